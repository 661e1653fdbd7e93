"""Making a sentence of the body a claim (the unsourced-statements list offers it), as
an edit of the article, under the rules of any edit: the article's row is locked, only
those who may edit it now may do it, and a published piece must keep passing its publish
gates (a new claim has no source yet, so a live piece refuses it, as it refuses a claim
added on its page)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article
from articles.publishing import roles, workflow
from articles.publishing.transitions import WorkflowError
from sources.models import Claim


def make_claim(article: Article, text: str, *, by) -> Claim:
    """Make ``text`` (a sentence of the body) a claim of ``article``, as an edit of it:
    only those who may edit it now, and a published piece must keep passing its gates
    (a new claim has no source yet, so a live piece refuses it)."""
    with transaction.atomic():
        article = workflow.lock(article)
        if not roles.can_edit(by, article):
            raise WorkflowError("You may not edit this article now, so not its claims either.")
        known = workflow.live_problems(article)
        claim = Claim(article=article, text=text.strip())
        if "\x00" in claim.text:
            raise WorkflowError("Null characters are not allowed.")
        if len(claim.text) > Claim._meta.get_field("text").max_length:
            raise WorkflowError("This sentence is too long for a claim: quote part of it.")
        try:
            claim.full_clean(validate_constraints=False)
        except ValidationError as exc:
            raise WorkflowError(exc.messages) from None
        if any(other.text == claim.text for other in article.claims.all()):
            raise WorkflowError("This sentence is a claim already.")
        claim.save()
        article._prefetched_objects_cache.pop("claims", None)  # read them again, new one too
        article.reorder_claims()
        Article.objects.filter(pk=article.pk).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        article.refresh_from_db(fields=["version", "updated_at"])
        workflow.log_event(article, "claim_added", by=by, note=f"Made a claim: “{claim}”.")
        workflow.record_edit(article, by=by, known_problems=known)
    return claim
