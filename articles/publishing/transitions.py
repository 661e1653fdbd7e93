"""The one transitions table: which editorial step leads where, and who may take it.

``articles.publishing.workflow`` carries the steps out; the admin's buttons and the
API's ``transitions`` endpoint read this table to know what to offer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from articles.models import Article
from articles.publishing import roles

Status = Article.Status


class WorkflowError(Exception):
    """A refused editorial action; ``problems`` lists every reason in plain words."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(" ".join(self.problems))


class GateError(WorkflowError):
    """A change refused because the article would fail its publish gates."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    permission: str
    gated: bool = False
    needs_note: bool = False


def _t(name, label, sources, target, permission, **kwargs) -> Transition:
    return Transition(name, label, frozenset(sources), target, permission, **kwargs)


# The one transitions table.
TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("submit", "Submit for review", [Status.DRAFT], Status.IN_REVIEW, "submit_article"),
        _t(
            "request_changes",
            "Request changes",
            [Status.IN_REVIEW, Status.APPROVED],
            Status.DRAFT,
            "review_article",
            needs_note=True,
        ),
        _t("approve", "Approve", [Status.IN_REVIEW], Status.APPROVED, "review_article"),
        _t(
            "schedule",
            "Schedule",
            [Status.APPROVED],
            Status.SCHEDULED,
            "publish_article",
            gated=True,
        ),
        _t("unschedule", "Unschedule", [Status.SCHEDULED], Status.APPROVED, "publish_article"),
        _t(
            "publish",
            "Publish now",
            [Status.APPROVED, Status.SCHEDULED],
            Status.PUBLISHED,
            "publish_article",
            gated=True,
        ),
        _t(
            "unpublish",
            "Unpublish",
            [Status.PUBLISHED],
            Status.UNPUBLISHED,
            "publish_article",
            needs_note=True,
        ),
        _t("reopen", "Reopen as draft", [Status.UNPUBLISHED], Status.DRAFT, "publish_article"),
    ]
}


def permission_problem(user, article: Article, name: str) -> str:
    """Why ``user`` may not take transition ``name`` on ``article``; empty if they may."""
    transition = TRANSITIONS[name]
    if article.status not in transition.sources:
        return f"“{transition.label}” is not possible while the article is {state_phrase(article)}."
    if not user.has_perm(f"articles.{transition.permission}"):
        return f"You do not have permission to {transition.label.lower()}."
    if problem := roles.work_on_problem(user, article, reporters_may="submit"):
        return problem
    if name == "approve" and (problem := second_person_problem(user, article)):
        return problem
    return ""


def needs_second_person(article: Article) -> bool:
    """Four eyes: sponsored and AI-written pieces are always approved by someone other
    than who made or submitted them; other newsroom pieces when
    ``NEWSROOM_SECOND_APPROVAL`` is on (by default editors may approve their own work)."""
    return (
        article.desk == Article.Desk.COMMERCIAL
        or article.is_sponsored
        or article.has_ai_byline
        or settings.NEWSROOM_SECOND_APPROVAL
    )


def second_person_problem(user, article: Article) -> str:
    """Why ``user`` may not approve ``article`` under the four-eyes rule; empty if they may."""
    if not needs_second_person(article):
        return ""
    if user.pk in made_or_submitted(article):
        what = (
            "a sponsored piece"
            if article.desk == Article.Desk.COMMERCIAL or article.is_sponsored
            else "a piece written with an AI agent"
            if article.has_ai_byline
            else "a piece"
        )
        return (
            f"This is {what}: someone other than the person who created or submitted it "
            "must approve it."
        )
    return ""


def made_or_submitted(article: Article) -> dict[int, str]:
    """The people who may not be the second pair of eyes on ``article`` (approve it, or
    check an AI piece's claims), by primary key, with what each did (“created” or
    “submitted”; one query, for the submitter)."""
    makers = {}
    if article.created_by_id is not None:
        makers[article.created_by_id] = "created"
    if (by := submitter(article)) is not None:
        makers[by.pk] = "submitted"
    return makers


def submitter(article: Article):
    """The account that last submitted the article for review, if any (None for an agent)."""
    event = article.events.filter(action="submit").order_by("-created_at", "-pk").first()
    return event.actor if event else None


def state_phrase(article: Article) -> str:
    """The article's state as a sentence needs it: “a draft”, “in review”, “published”…"""
    return "a draft" if article.status == Status.DRAFT else article.get_status_display().lower()


def available_transitions(user, article: Article) -> list[Transition]:
    """The transitions ``user`` may take now, in table order (for buttons)."""
    return [t for t in TRANSITIONS.values() if not permission_problem(user, article, t.name)]
