"""Changes to many articles at once, as the article list's bulk actions make them.

Each article goes through the rules it meets on its own page: the desk firewall and
who may edit it now (``roles``), the transitions table and its notes (``workflow``),
the publish gates a live piece must keep passing, and the human review a live piece
with an AI byline needs for every new version (refused here with that reason: a bulk
action cannot record a review of each piece's text). An article changed since the
editor confirmed the selection is refused too, so nobody overwrites what they never saw.

Each article is changed in its own transaction, under its row lock, so one refusal never
undoes the others; the site and partners hear of the batch once (``workflow.batched``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article, Section
from articles.publishing import roles, workflow
from articles.publishing.transitions import WorkflowError, state_phrase

Status = Article.Status

AI_REVIEW_NEEDED = (
    "Published with an AI agent in its byline: readers are told a human reviewed the "
    "version they read, so change it on its own page, where you can record that review."
)


@dataclass(frozen=True)
class Refusal:
    headline: str
    reason: str


@dataclass
class Outcome:
    """What a bulk action did: the articles changed, those that needed no change, and
    those refused with the reason."""

    done: list[Article] = field(default_factory=list)
    unchanged: list[Article] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


# -- the actions ----------------------------------------------------------------------


def add_tags(
    articles: Iterable[Article], *, by, names: list[str], versions: dict | None = None
) -> Outcome:
    """Add the tags ``names`` to each article (an edit of each)."""

    def apply(article: Article) -> str:
        have = {_key(name) for name in article.tags.names()}
        new = [name for name in names if _key(name) not in have]
        if new:
            article.tags.add(*new)
        return _quoted(new) and f"Added the tags {_quoted(new)} (bulk action)."

    return _each(articles, versions, lambda a: _edit(a, by=by, action="tags_added", apply=apply))


def remove_tags(
    articles: Iterable[Article], *, by, names: list[str], versions: dict | None = None
) -> Outcome:
    """Remove the tags ``names`` from each article that has them (an edit of each)."""
    wanted = {_key(name) for name in names}

    def apply(article: Article) -> str:
        gone = [name for name in article.tags.names() if _key(name) in wanted]
        if gone:
            article.tags.remove(*gone)
        return _quoted(gone) and f"Removed the tags {_quoted(gone)} (bulk action)."

    return _each(articles, versions, lambda a: _edit(a, by=by, action="tags_removed", apply=apply))


def move_to_section(
    articles: Iterable[Article], *, by, section: Section, versions: dict | None = None
) -> Outcome:
    """Move each article to ``section`` (an edit of each)."""

    def apply(article: Article) -> str:
        if article.section_id == section.pk:
            return ""
        before = article.section.name if article.section_id else "no section"
        Article.objects.filter(pk=article.pk).update(section=section)
        return f"Moved from “{before}” to “{section.name}” (bulk action)."

    return _each(articles, versions, lambda a: _edit(a, by=by, action="section_moved", apply=apply))


def request_changes(
    articles: Iterable[Article], *, by, note: str, versions: dict | None = None
) -> Outcome:
    """Send each article back to its author as a draft, with ``note``."""
    return _each(articles, versions, lambda a: bool(workflow.request_changes(a, by=by, note=note)))


def unpublish(
    articles: Iterable[Article], *, by, note: str, versions: dict | None = None
) -> Outcome:
    """Take each published article down, with ``note``; nothing is ever deleted."""
    return _each(articles, versions, lambda a: bool(workflow.unpublish(a, by=by, note=note)))


# -- one article at a time ------------------------------------------------------------


def _each(
    articles: Iterable[Article], versions: dict | None, change: Callable[[Article], bool]
) -> Outcome:
    outcome = Outcome()
    with workflow.batched():
        for article in articles:
            try:
                with transaction.atomic():
                    locked = workflow.lock(article)
                    if problem := _stale_problem(locked, versions):
                        raise WorkflowError(problem)
                    changed = change(locked)
            except Article.DoesNotExist:
                outcome.refused.append(Refusal(article.headline, "It no longer exists."))
            except WorkflowError as refused:
                outcome.refused.append(Refusal(article.headline, " ".join(refused.problems)))
            else:
                (outcome.done if changed else outcome.unchanged).append(locked)
    return outcome


def _stale_problem(article: Article, versions: dict | None) -> str:
    seen = (versions or {}).get(article.pk)
    if seen is None or seen == article.version:
        return ""
    return (
        f"Someone saved it after you chose it (version {seen}, now {article.version}): "
        "look at it again."
    )


def _edit(article: Article, *, by, action: str, apply: Callable[[Article], str]) -> bool:
    """Change ``article`` with ``apply`` (which says what it did, or returns "" for
    nothing) as an edit: a new version, an audit event and ``workflow.record_edit``."""
    if problem := edit_problem(by, article):
        raise WorkflowError(problem)
    known = workflow.live_problems(article)
    if not (note := apply(article)):
        return False
    if article.status == Status.PUBLISHED and article.has_ai_byline:
        # Raised after the change, inside its transaction: nothing of it is kept.
        raise WorkflowError(AI_REVIEW_NEEDED)
    # A new version, as for any edit: open forms and API ETags are stale, and readers
    # see the change (tags and the section are on the page and in feeds).
    Article.objects.filter(pk=article.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    article.refresh_from_db(fields=["version", "updated_at", "section"])
    workflow.log_event(article, action, by=by, note=note)
    # For a live piece: refused (and all of the above undone) if it now fails a publish
    # gate it passed; otherwise its pages are refreshed and partners told, with the batch.
    workflow.record_edit(article, by=by, known_problems=known)
    return True


def edit_problem(user, article: Article) -> str:
    """Why ``user`` may not change ``article``'s content now; empty if they may."""
    if roles.can_edit(user, article):
        return ""
    if problem := roles.work_on_problem(user, article, reporters_may="change"):
        return problem
    return f"It is {state_phrase(article)}: only an editor who may publish can change it now."


def _key(name: str) -> str:
    return name.casefold() if getattr(settings, "TAGGIT_CASE_INSENSITIVE", False) else name


def _quoted(names: list[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)
