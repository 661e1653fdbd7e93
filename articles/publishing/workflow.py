"""Every write that changes an article's editorial state.

Each function locks the article row, checks the one transitions table, the
desk firewall and the publish gates, changes the state, writes the audit event
and then tells the rest of the system (after commit). The admin, the API, the
management commands and background tasks all call these; nothing else writes
``status``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import django.dispatch
from django.db import transaction
from django.tasks import default_task_backend, task
from django.utils import timezone

from articles.models import (
    Article,
    ArticleEvent,
    Author,
    Correction,
    HumanReview,
    Sponsor,
    Sponsorship,
)
from articles.publishing import revisions, roles
from articles.publishing.gates import publish_problems
from articles.publishing.transitions import (
    TRANSITIONS,
    WorkflowError,
    permission_problem,
    state_phrase,
)

Status = Article.Status

# Sent after the transaction commits, with ``article`` and ``action``: the public
# site's cache and the partner webhooks listen here.
article_changed = django.dispatch.Signal()


def submitter(article: Article):
    """The account that last submitted the article for review, if any."""
    event = article.events.filter(action="submit").order_by("-created_at", "-pk").first()
    return event.actor if event else None


# -- the transitions -----------------------------------------------------------


def _locked(article: Article) -> Article:
    """Re-read the article under a row lock, with what the gates need."""
    return Article.objects.for_detail().select_for_update(of=("self",)).get(pk=article.pk)


def _log(
    article: Article,
    action: str,
    *,
    by,
    old: str = "",
    new: str = "",
    note: str = "",
    actor_name: str = "",
):
    return ArticleEvent.objects.create(
        article=article,
        action=action,
        from_status=old,
        to_status=new,
        actor=by,
        actor_name=actor_name or _name(by),
        note=note,
    )


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _touch(article: Article) -> None:
    """Mark the article as changed for readers and partners (ETags, "updated" times)."""
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())


def _notify(article: Article, action: str) -> None:
    transaction.on_commit(
        lambda: article_changed.send(sender=Article, article=article, action=action)
    )


def _transition(
    article: Article,
    name: str,
    *,
    by,
    note: str = "",
    on: dt.datetime | None = None,
    apply: Callable[[Article], dict] | None = None,
    agent: Author | None = None,
) -> Article:
    transition = TRANSITIONS[name]
    with transaction.atomic():
        locked = _locked(article)
        if by is not None and (problem := permission_problem(by, locked, name)):
            raise WorkflowError(problem)
        if agent is not None and (problem := _agent_problem(agent, locked, name)):
            raise WorkflowError(problem)
        if by is None and locked.status not in transition.sources:
            raise WorkflowError(f"The article is {state_phrase(locked)}.")
        if transition.needs_note and not note.strip():
            raise WorkflowError(f"Say why: “{transition.label}” needs a note.")
        if transition.gated and (problems := publish_problems(locked, on=on)):
            raise WorkflowError(problems)
        changes = {"status": transition.target}
        if apply:
            changes |= apply(locked)
        # A queryset update: a state change is not a content edit, so the
        # version (which guards editors' text) stays as it is.
        Article.objects.filter(pk=locked.pk).update(updated_at=timezone.now(), **changes)
        _log(
            locked,
            name,
            by=by,
            old=locked.status,
            new=transition.target,
            note=note,
            actor_name=f"{agent.name} (AI agent)" if agent else "",
        )
        for field, value in changes.items():
            setattr(article, field, value)
        _notify(article, name)
    return article


def submit(article: Article, *, by) -> Article:
    """Send a draft to the editors."""
    return _transition(article, "submit", by=by)


def _agent_problem(agent: Author, article: Article, name: str) -> str:
    if name != "submit":
        return "An AI agent can only submit its drafts for review; editors take every other step."
    if not any(b.author_id == agent.pk for b in article.byline_list):
        return "An AI agent can only submit drafts it is bylined on."
    return ""


def submit_by_agent(article: Article, *, agent: Author) -> Article:
    """An AI agent (through its API key) sends its own draft to the editors."""
    return _transition(article, "submit", by=None, agent=agent)


def request_changes(article: Article, *, by, note: str) -> Article:
    """Send the article back to its author as a draft, with a note they will see."""
    return _transition(article, "request_changes", by=by, note=note)


def approve(article: Article, *, by) -> Article:
    """Mark a reviewed article ready to schedule or publish."""
    return _transition(article, "approve", by=by)


def schedule(article: Article, *, by, at: dt.datetime) -> Article:
    """Have the article publish itself at ``at``; the gates are checked for that moment."""
    if at <= timezone.now():
        raise WorkflowError("Choose a time in the future, or publish now.")
    with transaction.atomic():
        article = _transition(
            article, "schedule", by=by, on=at, apply=lambda _: {"scheduled_for": at}
        )
        transaction.on_commit(lambda: _enqueue_publication(at))
    return article


def _enqueue_publication(at: dt.datetime) -> None:
    """With a queue that can defer (TASKS_BACKEND=database), publish on time without cron."""
    if default_task_backend.supports_defer:
        publish_due_articles.using(run_after=at).enqueue()


def unschedule(article: Article, *, by) -> Article:
    """Take a scheduled article back to approved."""
    return _transition(article, "unschedule", by=by, apply=lambda _: {"scheduled_for": None})


def publish(article: Article, *, by) -> Article:
    """Publish now; ``by=None`` is the scheduler publishing a due article."""
    now = timezone.now()

    def stamp(locked: Article) -> dict:
        # The first publication time stays: corrections show when a piece first ran.
        return {"published_at": locked.published_at or now, "scheduled_for": None}

    return _transition(article, "publish", by=by, on=now, apply=stamp)


def unpublish(article: Article, *, by, note: str) -> Article:
    """Take a published article down (readers then get 410 Gone); it is never deleted."""
    return _transition(article, "unpublish", by=by, note=note)


def reopen(article: Article, *, by) -> Article:
    """Turn an unpublished article back into a draft to be reworked."""
    return _transition(article, "reopen", by=by)


def publish_due(*, now: dt.datetime | None = None) -> list[Article]:
    """Publish every scheduled article whose time has come; safe to run concurrently.

    Rows another run has locked are skipped, so two runs never publish the same
    article twice. An article whose gates now fail (say, the campaign ended) goes
    back to approved with the reasons in the audit trail.
    """
    now = now or timezone.now()
    published = []
    due = Article.objects.filter(status=Status.SCHEDULED, scheduled_for__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            article = (
                Article.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=Status.SCHEDULED, scheduled_for__lte=now)
                .first()
            )
            if article is None:
                continue  # another run has it, or it changed meanwhile
            try:
                published.append(publish(article, by=None))
            except WorkflowError as exc:
                Article.objects.filter(pk=pk).update(status=Status.APPROVED, scheduled_for=None)
                _log(
                    article,
                    "schedule_failed",
                    by=None,
                    old=Status.SCHEDULED,
                    new=Status.APPROVED,
                    note=" ".join(exc.problems),
                )
    return published


@task
def publish_due_articles() -> int:
    """The background task: publish scheduled articles whose time has come; returns how many."""
    return len(publish_due())


def record_edit(article: Article, *, by) -> None:
    """After an editor saved the article: keep a full revision and, if readers can see
    it, tell the site and partners that it changed."""
    revisions.record(article, by=by)
    if article.status == Status.PUBLISHED:
        _notify(article, "updated")


# -- reviews, corrections, sponsorships ------------------------------------------


def record_review(article: Article, *, by, note: str = "") -> HumanReview:
    """Record that a human editor reviewed the current version (needed for AI-written pieces)."""
    with transaction.atomic():
        locked = _locked(article)
        if not by.has_perm("articles.review_article") or not roles.can_work_on(by, locked):
            raise WorkflowError("You do not have permission to review this article.")
        if locked.status not in {Status.IN_REVIEW, Status.APPROVED, Status.SCHEDULED}:
            raise WorkflowError("Only a submitted article can be reviewed.")
        if submitter(locked) == by:
            raise WorkflowError("You submitted this article; another editor must review it.")
        review = HumanReview.objects.create(
            article=locked, reviewer=by, reviewer_name=_name(by), version=locked.version, note=note
        )
        _log(locked, "review", by=by, note=note or f"Reviewed version {locked.version}.")
        _touch(locked)
    return review


def add_correction(article: Article, *, by, kind: str, text: str) -> Correction:
    """Append a dated correction or update note; a retraction also unpublishes the piece."""
    with transaction.atomic():
        locked = _locked(article)
        if not by.has_perm("articles.add_correction") or not roles.can_work_on(by, locked):
            raise WorkflowError("You do not have permission to add corrections to this article.")
        if locked.published_at is None:
            raise WorkflowError("Corrections are for published articles; edit the draft instead.")
        if not text.strip():
            raise WorkflowError("Write the correction.")
        correction = Correction.objects.create(article=locked, kind=kind, text=text, created_by=by)
        _touch(locked)
        _log(locked, f"correction:{kind}", by=by, note=text)
        if kind == Correction.Kind.RETRACTION and locked.status == Status.PUBLISHED:
            unpublish(locked, by=by, note=f"Retracted: {text}")
        _notify(locked, "corrected")
    return correction


def sponsorship_problem(user, article: Article) -> str:
    """Why ``user`` may not attach or change a sponsorship on ``article``; empty if allowed."""
    if not user.has_perm("articles.manage_sponsored_content"):
        return "Only the commercial desk can change a sponsorship."
    if article.desk != Article.Desk.COMMERCIAL:
        return (
            "A sponsorship can only be attached to a commercial-desk article, never to journalism."
        )
    if article.status != Status.DRAFT or article.published_at is not None:
        return (
            "A sponsorship can only be attached or changed while the article is a draft "
            "that has never been published."
        )
    return ""


def set_sponsorship(
    article: Article,
    *,
    by,
    sponsor: Sponsor,
    kind: str,
    disclosure: str,
    campaign_starts_on: dt.date,
    campaign_ends_on: dt.date | None = None,
) -> Sponsorship:
    """Attach or change the sponsorship of a commercial-desk draft (audited)."""
    with transaction.atomic():
        locked = _locked(article)
        if problem := sponsorship_problem(by, locked):
            raise WorkflowError(problem)
        sponsorship, created = Sponsorship.objects.update_or_create(
            article=locked,
            defaults={
                "sponsor": sponsor,
                "kind": kind,
                "disclosure": disclosure,
                "campaign_starts_on": campaign_starts_on,
                "campaign_ends_on": campaign_ends_on,
            },
        )
        _touch(locked)
        _log(
            locked,
            "sponsorship_added" if created else "sponsorship_changed",
            by=by,
            note=f"{sponsorship.full_label}; campaign {campaign_starts_on} to "
            f"{campaign_ends_on or 'open'}",
        )
    return sponsorship


def remove_sponsorship(article: Article, *, by, note: str = "") -> None:
    """Remove a sponsorship; a piece past the draft stage is taken back first (audited)."""
    with transaction.atomic():
        locked = _locked(article)
        if not by.has_perm("articles.manage_sponsored_content"):
            raise WorkflowError("Only the commercial desk can change a sponsorship.")
        sponsorship = locked.sponsorship_or_none
        if sponsorship is None:
            return
        # Never relabel a piece on its way to readers: a live one is taken down, one
        # in review, approved or scheduled goes back to draft to be looked at again.
        if locked.status != Status.DRAFT:
            target = Status.UNPUBLISHED if locked.status == Status.PUBLISHED else Status.DRAFT
            Article.objects.filter(pk=locked.pk).update(status=target, scheduled_for=None)
            _log(
                locked,
                "unpublish" if target == Status.UNPUBLISHED else "back_to_draft",
                by=by,
                old=locked.status,
                new=target,
                note="Its sponsorship was removed.",
            )
            _notify(locked, "unpublish" if target == Status.UNPUBLISHED else "back_to_draft")
        label = sponsorship.full_label
        sponsorship.delete()
        _touch(locked)
        _log(locked, "sponsorship_removed", by=by, note=note or f"Removed: {label}")
