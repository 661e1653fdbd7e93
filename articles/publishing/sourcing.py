"""Changes made to a claim on its own page (its sources, or removing it), saved as edits
of its article.

A claim's sources are what readers see beside it, so these follow the article's rules:
the article's row is locked, only those who may edit it now may change them, and each
change gives the article a new version, an audit event and ``workflow.record_edit`` (a
full revision; for a published piece the publish gates, then the public pages and
partners told).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from articles.models import Article
from articles.publishing import roles, workflow
from articles.publishing.transitions import WorkflowError
from sources.citations import citation_text
from sources.models import Attribution, Claim


def change_sources(
    claim: Claim, *, by, save: Callable[[], object], review_note: str | None = None
) -> None:
    """Save a change to ``claim``'s sources (``save`` writes it) as an edit of its article;
    ``review_note`` records the editor's review of the new version, as ``record_edit`` does."""
    with transaction.atomic():
        article = _editable(claim, by=by)
        before, known = _citation(claim), workflow.live_problems(article)
        save()
        note = f"Sources of the claim “{claim}”: {_citation(claim)} (before: {before})."
        _record(
            article, by=by, action="sources_changed", note=note, known=known, review=review_note
        )


def remove_claim(claim: Claim, *, by) -> None:
    """Delete ``claim`` (and its attributions) as an edit of its article."""
    with transaction.atomic():
        article = _editable(claim, by=by)
        note = f"Removed the claim “{claim}”, which cited {_citation(claim)}."
        known = workflow.live_problems(article)
        claim.delete()
        _record(article, by=by, action="claim_removed", note=note, known=known)


def _editable(claim: Claim, *, by) -> Article:
    article = workflow.lock(claim.article)
    if not roles.can_edit(by, article):
        raise WorkflowError("You may not edit this article now, so not its claims either.")
    return article


def _record(article: Article, *, by, action: str, note: str, known, review=None) -> None:
    # A new version, as for any edit: API clients' ETags and editors' open forms are stale,
    # and a review of the old version no longer covers what readers see.
    Article.objects.filter(pk=article.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    article.refresh_from_db(fields=["version", "updated_at"])
    workflow.log_event(article, action, by=by, note=note)
    # Raises WorkflowError if a published piece now fails a gate it passed (a claim left
    # without a source, say); the caller's transaction then undoes everything above.
    workflow.record_edit(article, by=by, review_note=review, known_problems=known)


def _citation(claim: Claim) -> str:
    attributions = claim.attributions.select_related("document__publisher", "via")
    return citation_text(attributions) or "no source"


# -- the reading firewall of shared source records ------------------------------------
# A document cited only by the other desk's unpublished work tells of that work: the
# admin's lists and pages, and the inline-citation proposals, show each user only the
# documents cited nowhere or cited by something they may read.


def readable_citations(user):
    """The attributions ``user`` may know of: those on articles they may read."""
    return Attribution.objects.filter(claim__article__in=Article.objects.readable_by(user))


def known_documents(user) -> Q:
    """Documents ``user`` may know of: cited by nothing, or by an article they may read."""
    document = OuterRef("pk")
    return ~Exists(Attribution.objects.filter(document=document)) | Exists(
        readable_citations(user).filter(document=document)
    )
