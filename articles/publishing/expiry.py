"""The publication window outside the state transitions: an embargo put on or taken
off a scheduled piece without rescheduling it, and expiry.

Expiry: a published piece that takes itself down at its unpublish time.

Rights-limited pictures and time-limited offers carry an ``expires_at``. Editors who
may publish set or clear it (``set_expiry``); when it comes, the scheduler takes the
piece down through ``workflow.unpublish`` like an editor would: an audit event,
purges and webhooks, and readers get 410 Gone.

Embargoes are schedules (``workflow.schedule`` and ``articles.models.publication``);
``set_embargo`` turns the pre-release on or off for a piece already scheduled, keeping
its time: partners cleared for embargoed copy are sent it (``embargo_set``), or told
it is withdrawn until it publishes (``embargo_cleared``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.tasks import default_task_backend, task
from django.utils import timezone

from articles.models import Article
from articles.models.publication import expiry_problem
from articles.publishing import roles, workflow
from articles.publishing.transitions import WorkflowError

Status = Article.Status


def set_expiry(article: Article, *, by, at: dt.datetime | None) -> Article:
    """Have the article unpublish itself at ``at`` (``None`` clears it); for those who
    may schedule and publish it."""
    with transaction.atomic():
        locked = workflow.lock(article)
        if not by.has_perm("articles.publish_article") or not roles.can_work_on(by, locked):
            raise WorkflowError("You do not have permission to set when this article unpublishes.")
        if locked.status == Status.UNPUBLISHED:
            raise WorkflowError("The article is already unpublished.")
        if at is not None:
            if at <= timezone.now():
                raise WorkflowError("Choose an unpublish time in the future.")
            if problem := expiry_problem(at, locked.scheduled_for, locked.published_at):
                raise WorkflowError(problem)
        Article.objects.filter(pk=locked.pk).update(expires_at=at, updated_at=timezone.now())
        note = (
            f"Unpublishes itself at {timezone.localtime(at):%-d %B %Y %H:%M}."
            if at
            else "Unpublish time cleared."
        )
        workflow.log_event(locked, "expiry", by=by, note=note)
        article.expires_at = at
        if at is not None:
            transaction.on_commit(lambda: _enqueue_expiry(at))
    return article


def set_embargo(article: Article, *, by, embargo: bool) -> Article:
    """Put a scheduled article under embargo, or take it off, keeping its publication
    time; for those who may schedule it."""
    with transaction.atomic():
        locked = workflow.lock(article)
        if not by.has_perm("articles.publish_article") or not roles.can_work_on(by, locked):
            raise WorkflowError("You do not have permission to change this article's embargo.")
        if locked.status != Status.SCHEDULED:
            raise WorkflowError("Only a scheduled article can be put under embargo.")
        if locked.embargo == embargo:
            raise WorkflowError(
                "The article is already under embargo." if embargo else "It is not under embargo."
            )
        Article.objects.filter(pk=locked.pk).update(embargo=embargo, updated_at=timezone.now())
        at = f"{timezone.localtime(locked.scheduled_for):%-d %B %Y %H:%M}"
        note = (
            f"Embargoed until {at}: partners cleared for it receive it now."
            if embargo
            else f"Embargo lifted; partners sent it are told to withdraw it until {at}."
        )
        action = "embargo_set" if embargo else "embargo_cleared"
        workflow.log_event(locked, action, by=by, note=note)
        article.embargo = embargo
        workflow.notify(article, action)
    return article


def _enqueue_expiry(at: dt.datetime) -> None:
    """With a queue that can defer (TASKS_BACKEND=database), unpublish on time without cron."""
    if default_task_backend.supports_defer:
        unpublish_expired_articles.using(run_after=at).enqueue()


def unpublish_expired(*, now: dt.datetime | None = None) -> list[Article]:
    """Unpublish every published article whose unpublish time has come; safe to run
    concurrently (rows another run has locked are skipped)."""
    now = now or timezone.now()
    expired = []
    due = Article.objects.filter(status=Status.PUBLISHED, expires_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            article = (
                Article.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=Status.PUBLISHED, expires_at__lte=now)
                .first()
            )
            if article is None:
                continue  # another run has it, or an editor changed it meanwhile
            at = timezone.localtime(article.expires_at)
            note = f"Expired: its unpublish time ({at:%-d %B %Y %H:%M}) came."
            expired.append(workflow.unpublish(article, by=None, note=note))
    return expired


@task
def unpublish_expired_articles() -> int:
    """The background task: unpublish articles whose time is up; returns how many."""
    return len(unpublish_expired())
