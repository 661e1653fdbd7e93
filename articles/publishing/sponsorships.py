"""Sponsorship changes, through the workflow: who may attach, change or remove one, and
how a piece on its way to readers is taken back before it is relabelled. Audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from articles.models import Article, Sponsor, Sponsorship
from articles.publishing import workflow
from articles.publishing.transitions import WorkflowError

Status = Article.Status


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
        locked = workflow.lock(article)
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
    """Remove a sponsorship; a piece past the draft stage is taken back first (audited)."""
    with transaction.atomic():
        locked = workflow.lock(article)
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
            workflow.log_event(
                locked,
                "unpublish" if target == Status.UNPUBLISHED else "back_to_draft",
                by=by,
                old=locked.status,
                new=target,
                note="Its sponsorship was removed.",
            )
            workflow.notify(
                locked, "unpublish" if target == Status.UNPUBLISHED else "back_to_draft"
            )
        label = sponsorship.full_label
        sponsorship.delete()
        workflow.touch(locked)
        workflow.log_event(locked, "sponsorship_removed", by=by, note=note or f"Removed: {label}")
