"""Sponsorship changes, through the workflow: which kind a piece may carry, who may
attach, change or remove it, and how a piece on its way to readers is taken back before
it is relabelled. Audited.

Sponsorship follows its kind. Native advertising is the commercial desk's: only its
staff (``manage_sponsored_content``) attach it, only to their own desk's pieces.
Underwriting funds newsroom journalism and the sponsor has no say in it, so the
commercial desk never handles it: newsroom editors holding ``manage_underwriting``
(the standards editor) attach it, only to newsroom pieces, without needing to edit the
text. Either is attached or changed only while the piece is a draft that has never been
published; removing one from a piece past the draft stage takes the piece back first.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from articles.models import Article, Sponsor, Sponsorship
from articles.publishing import roles, workflow
from articles.publishing.gates import SPONSORSHIP_KIND_OF_DESK, sponsorship_kind_problem
from articles.publishing.transitions import WorkflowError

Status = Article.Status


def kind_for(article: Article) -> str:
    """The one kind of sponsorship ``article``'s desk may carry."""
    return SPONSORSHIP_KIND_OF_DESK[article.desk]


def kind_problem(article: Article, kind: str) -> str:
    """Why a sponsorship of ``kind`` contradicts ``article``'s desk; empty if it fits."""
    return sponsorship_kind_problem(article.desk, kind)


def manage_problem(user, article: Article) -> str:
    """Why ``user`` may not manage (attach, change or remove) the sponsorship of
    ``article``, whatever its state; empty if they may."""
    if article.desk == Article.Desk.COMMERCIAL:
        if not user.has_perm("articles.manage_sponsored_content"):
            return "Only the commercial desk can change the sponsorship of a commercial-desk piece."
        return ""
    if roles.desk_for_new_article(user) == Article.Desk.COMMERCIAL:
        return "The commercial desk never handles the underwriting of newsroom journalism."
    if not user.has_perm("articles.manage_underwriting"):
        return (
            "Only editors who manage underwriting (the standards editor) can change the "
            "underwriting of a newsroom piece."
        )
    return ""


def sponsorship_problem(user, article: Article, kind: str | None = None) -> str:
    """Why ``user`` may not attach or change a sponsorship (of ``kind``, when given) on
    ``article`` now; empty if allowed."""
    if kind is not None and (problem := kind_problem(article, kind)):
        return problem
    if problem := manage_problem(user, article):
        return problem
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
    """Attach or change the sponsorship of a draft that has never been published: native
    advertising on a commercial-desk piece, underwriting on a newsroom one (audited)."""
    with transaction.atomic():
        locked = workflow.lock(article)
        if problem := sponsorship_problem(by, locked, kind):
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
        workflow.touch(locked)
        workflow.log_event(
            locked,
            "sponsorship_added" if created else "sponsorship_changed",
            by=by,
            note=f"{sponsorship.full_label}; campaign {campaign_starts_on} to "
            f"{campaign_ends_on or 'open'}",
        )
    return sponsorship


def remove_sponsorship(article: Article, *, by, note: str = "") -> None:
    """Remove a sponsorship; a piece past the draft stage is taken back first (audited).

    Whoever manages its desk's sponsorships may remove one of either kind, so a piece
    carrying the other desk's kind (old data) can always be put right.
    """
    with transaction.atomic():
        locked = workflow.lock(article)
        if problem := manage_problem(by, locked):
            raise WorkflowError(problem)
        sponsorship = locked.sponsorship_or_none
        if sponsorship is None:
            return
        # Never relabel a piece on its way to readers: a live one is taken down, one
        # in review, approved or scheduled goes back to draft to be looked at again.
        label = sponsorship.full_label
        if locked.status != Status.DRAFT:
            target = Status.UNPUBLISHED if locked.status == Status.PUBLISHED else Status.DRAFT
            Article.objects.filter(pk=locked.pk).update(status=target, scheduled_for=None)
            workflow.log_event(
                locked,
                "unpublish" if target == Status.UNPUBLISHED else "back_to_draft",
                by=by,
                old=locked.status,
                new=target,
                note=f"Its sponsorship ({label}) was removed" + (f": {note}" if note else "."),
            )
            workflow.notify(
                locked, "unpublish" if target == Status.UNPUBLISHED else "back_to_draft"
            )
            # The caller's copy too: the admin saves the rest of the page after this, and
            # must not take the piece for live (nor announce an edit of it).
            article.status, article.scheduled_for = target, None
        sponsorship.delete()
        workflow.touch(locked)
        workflow.log_event(locked, "sponsorship_removed", by=by, note=note or f"Removed: {label}")
