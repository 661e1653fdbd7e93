"""How readers see that a claim was checked: beside its citation, a link to the words of
its sources that support it and who checked it when (``sources.verification``), listed
under the article's sources. Drawn on the server, no script: the page is cached and
its CSP allows none inline."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from sources import verification
from sources.citations import CitedClaim, attribution_text


@dataclass
class CheckedClaim:
    """One entry of the page's list of checked claims."""

    number: int  # the claim's number in the body (its citation is #claim-<number>)
    claim: object
    check: object | None  # the current verification, or None when only passages are shown
    passages: list[dict]  # each source's words, link, title and supporting passage

    @property
    def checked_by(self) -> str:
        return verification.checker_name(self.check) if self.check else ""


def checked_claims(cited_claims: list[CitedClaim]) -> list[CheckedClaim]:
    """The claims a reader can open: those verified as they read now, or whose sources
    hold a supporting passage, numbered as their citations are."""
    entries = []
    for number, cited in enumerate(cited_claims, start=1):
        claim = cited.claim
        check = verification.current_verification(claim)
        passages = [
            {
                "words": attribution_text(a),
                "title": a.document.title,
                "link": a.link,
                "passage": a.passage.strip(),
            }
            for a in claim.attributions.all()
            if a.passage.strip()
        ]
        if cited.parts and (check is not None or passages):
            entries.append(CheckedClaim(number, claim, check, passages))
    return entries


def marks(entries: list[CheckedClaim], also: dict | None = None) -> dict[int, SafeString]:
    """Each listed claim's link to its entry, by claim id, before any other mark
    (``also``) the claim has, for ``annotate_claims``."""
    found = dict(also or {})
    for entry in entries:
        words = gettext("checked") if entry.check else gettext("source passage")
        link = format_html(
            ' <a class="claim-check-link" href="#check-{}">{}</a>', entry.number, words
        )
        found[entry.claim.pk] = link + found.get(entry.claim.pk, SafeString(""))
    return found
