"""Giving an article a new set of claims without losing what hangs on the ones it keeps.

A claim's checks (``sources.verification``) and the corrections that name it
(``CorrectedClaim``) point at its row: deleting every claim and making them again
would drop each check and each “Corrected” mark, even for claims that did not change.
So the claims whose wording is still wanted keep their rows; only their sources (and
the sources' chains) are cleared, for the caller to give again. A check holds by the
claim's fingerprint, not by row ids, so a claim given back the same sources stays
verified, and one given other sources needs checking again.

Used by the API's drafting (``drafting``) and by restoring a revision (``revisions``),
inside their transactions.
"""

from __future__ import annotations

from collections.abc import Iterable

from articles.models import Article
from sources.models import Attribution, Claim


def keep_claims(article: Article, texts: Iterable[str]) -> dict[str, Claim]:
    """The article's claims for ``texts`` (stored wording), by text: a claim it already
    has keeps its row, without sources; a new text is a new claim; the claims not named
    are deleted. Call ``article.reorder_claims()`` once their sources are in."""
    wanted = dict.fromkeys(texts)
    current = {claim.text: claim for claim in Claim.objects.filter(article=article)}
    if gone := [claim.pk for text, claim in current.items() if text not in wanted]:
        Claim.objects.filter(pk__in=gone).delete()
    if kept := [claim.pk for text, claim in current.items() if text in wanted]:
        Attribution.objects.filter(claim__in=kept).delete()  # their hops go with them
    return {
        text: current.get(text) or Claim.objects.create(article=article, text=text)
        for text in wanted
    }
