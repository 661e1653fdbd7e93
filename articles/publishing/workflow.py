"""Every write that changes an article's editorial state.

Each function locks the article row, checks the one transitions table, the
desk firewall and the publish gates, changes the state, writes the audit event
and then tells the rest of the system (after commit). The admin, the API, the
management commands and background tasks all call these; nothing else writes
``status``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection

from django.db import transaction
from django.tasks import default_task_backend, task
from django.utils import timezone

from articles.models import (
    Article,
    ArticleEvent,
    Author,
    Correction,
    HumanReview,
    PartnerKey,
    Revision,
)
from articles.publishing import claim_corrections, revisions, roles
from articles.publishing.gates import publish_problems
from articles.publishing.notifying import (  # noqa: F401 - part of the workflow's API
    article_changed,
    articles_changed,
    batched,
    notify,
    notify_many,
)
from articles.publishing.transitions import (
    TRANSITIONS,
    GateError,
    WorkflowError,
    permission_problem,
    state_phrase,
    submitter,
)

Status = Article.Status


# -- the transitions -----------------------------------------------------------


def lock(article: Article) -> Article:
    """Re-read the article under a row lock, with what the gates need."""
    return Article.objects.for_detail().select_for_update(of=("self",)).get(pk=article.pk)


def log_event(
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
        actor_name=actor_name or name_of(by),
        note=note,
    )


def name_of(user) -> str:
    """How the audit trail names a person (kept as text too, so it outlives accounts)."""
    return (user.get_full_name() or user.get_username()) if user else ""


def touch(article: Article) -> None:
    """Mark the article as changed for readers and partners (ETags, "updated" times)."""
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())


def _transition(
    article: Article,
    name: str,
    *,
    by,
    note: str = "",
    on: dt.datetime | None = None,
    apply: Callable[[Article], dict] | None = None,
    agent: Author | None = None,
    key: PartnerKey | None = None,
) -> Article:
    transition = TRANSITIONS[name]
    with transaction.atomic():
        locked = lock(article)
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
        log_event(
            locked,
            name,
            by=by,
            old=locked.status,
            new=transition.target,
            note=note,
            actor_name=revisions.agent_actor_name(agent, key) if agent else "",
        )
        for field, value in changes.items():
            setattr(article, field, value)
        notify(article, name)
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


def submit_by_agent(article: Article, *, agent: Author, key: PartnerKey | None = None) -> Article:
    """An AI agent (through its API key) sends its own draft to the editors."""
    return _transition(article, "submit", by=None, agent=agent, key=key)


def request_changes(article: Article, *, by, note: str) -> Article:
    """Send the article back to its author as a draft, with a note they will see."""
    return _transition(article, "request_changes", by=by, note=note)


def approve(article: Article, *, by) -> Article:
    """Mark a reviewed article ready to schedule or publish."""
    return _transition(article, "approve", by=by)


def schedule(article: Article, *, by, at: dt.datetime, embargo: bool = False) -> Article:
    """Have the article publish itself at ``at``; the gates are checked for that moment.
    Under ``embargo``, partners cleared for it receive it before then."""
    if at <= timezone.now():
        raise WorkflowError("Choose a time in the future, or publish now.")
    with transaction.atomic():
        window = {"scheduled_for": at, "embargo": embargo}
        article = _transition(article, "schedule", by=by, on=at, apply=lambda _: window)
        transaction.on_commit(lambda: _enqueue_publication(at))
    return article


def _enqueue_publication(at: dt.datetime) -> None:
    """With a queue that can defer (TASKS_BACKEND=database), publish on time without cron."""
    if default_task_backend.supports_defer:
        publish_due_articles.using(run_after=at).enqueue()


def unschedule(article: Article, *, by) -> Article:
    """Take a scheduled article back to approved."""
    window = {"scheduled_for": None, "embargo": False}
    return _transition(article, "unschedule", by=by, apply=lambda _: window)


def publish(article: Article, *, by) -> Article:
    """Publish now; ``by=None`` is the scheduler publishing a due article."""
    now = timezone.now()

    def stamp(locked: Article) -> dict:
        # The first publication time stays: corrections show when a piece first ran.
        return {"published_at": locked.published_at or now, "scheduled_for": None, "embargo": False}

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
                Article.objects.filter(pk=pk).update(
                    status=Status.APPROVED, scheduled_for=None, embargo=False
                )
                log_event(
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


def record_edit(
    article: Article,
    *,
    by,
    actor_name: str = "",
    note: str | None = None,
    review_note: str | None = None,
    known_problems: Collection[str] = (),
) -> None:
    """After an editor saved the article: keep a full revision and, if readers can see
    it, put the edit on its audit trail and tell the site and partners that it changed.

    A published piece must keep passing its publish gates, so an edit that breaks one
    raises ``WorkflowError`` (the caller's transaction then undoes the save).
    ``known_problems`` are those the piece had before this edit (from ``live_problems``):
    they do not block it, so one problem can be fixed while another waits. For a piece
    with an AI agent in its byline, any edit is a new version that readers are told a
    human reviewed: ``review_note`` records the editor's review of it first; without
    one, the edit is refused. ``note`` says what changed, for the "edit" event of a live
    piece; callers that write their own, more specific event (the API's, a claim's
    sources) leave it out.
    """
    # What is stored, not what the caller holds: the same save may have taken the piece
    # down (its sponsorship removed, a retraction), and then readers see no edit.
    article.status = Article.objects.values_list("status", flat=True).get(pk=article.pk)
    live = article.status == Status.PUBLISHED
    if live:
        if review_note is not None:
            record_review(article, by=by, note=review_note)
        problems = live_problems(lock(article))
        if new := [problem for problem in problems if problem not in known_problems]:
            raise GateError(new)
    revisions.record(article, by=by, by_name=actor_name)
    if live:
        if note is not None:
            log_event(article, "edit", by=by, note=note, actor_name=actor_name)
        notify(article, "updated")


def live_problems(article: Article) -> list[str]:
    """The publish gates a published article fails now (none for other states)."""
    return publish_problems(article) if article.status == Status.PUBLISHED else []


def restore_revision(revision: Revision, *, by) -> tuple[Revision, list[str]]:
    """Bring an article back to an earlier revision as a new one; a published piece is
    held to its publish gates, as any edit is, and readers and partners are told."""
    with transaction.atomic():
        known = live_problems(lock(revision.article))
        new, warnings = revisions.restore(revision, by=by)
        article = lock(revision.article)
        if problems := [p for p in live_problems(article) if p not in known]:
            raise GateError(problems)
        log_event(
            article,
            "restore",
            by=by,
            note=f"Restored revision {revision.number} as revision {new.number}.",
        )
        if article.status == Status.PUBLISHED:
            notify(article, "updated")
    return new, warnings


# -- reviews and corrections (sponsorship changes: articles.publishing.sponsorships) ---


def record_review(article: Article, *, by, note: str = "") -> HumanReview:
    """Record that a human editor reviewed the current version (needed for AI-written pieces)."""
    with transaction.atomic():
        locked = lock(article)
        if not by.has_perm("articles.review_article") or not roles.can_work_on(by, locked):
            raise WorkflowError("You do not have permission to review this article.")
        if locked.status not in {
            Status.IN_REVIEW,
            Status.APPROVED,
            Status.SCHEDULED,
            Status.PUBLISHED,
        }:
            raise WorkflowError("Only a submitted or published article can be reviewed.")
        if submitter(locked) == by:
            raise WorkflowError("You submitted this article; another editor must review it.")
        review = HumanReview.objects.create(
            article=locked,
            reviewer=by,
            reviewer_name=name_of(by),
            version=locked.version,
            note=note,
        )
        log_event(locked, "review", by=by, note=note or f"Reviewed version {locked.version}.")
        touch(locked)
    return review


def add_correction(
    article: Article, *, by, kind: str, text: str, claims=(), before: dict | None = None
) -> Correction:
    """Append a dated correction or update note; a retraction also unpublishes the piece.
    ``claims`` (ids) are the claims it corrects, ``before`` their state before the change
    (``claim_corrections.capture``): see ``articles.publishing.claim_corrections``."""
    with transaction.atomic():
        locked = lock(article)
        if not by.has_perm("articles.add_correction") or not roles.can_work_on(by, locked):
            raise WorkflowError("You do not have permission to add corrections to this article.")
        if locked.published_at is None:
            raise WorkflowError("Corrections are for published articles; edit the draft instead.")
        if not text.strip():
            raise WorkflowError("Write the correction.")
        correction = Correction.objects.create(article=locked, kind=kind, text=text, created_by=by)
        named = claim_corrections.record(correction, claims, before=before)
        touch(locked)
        note = "\n".join(filter(None, [text, claim_corrections.audit_note(named)]))
        log_event(locked, f"correction:{kind}", by=by, note=note)
        if kind == Correction.Kind.RETRACTION and locked.status == Status.PUBLISHED:
            unpublish(locked, by=by, note=f"Retracted: {text}")
        notify(locked, "corrected")
    return correction
