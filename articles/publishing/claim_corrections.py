"""Corrections that name the claims they correct: what each claim read and cited before
the change, and what it reads and cites as of the correction.

``workflow.add_correction(..., claims=…, before=…)`` calls ``record`` inside its own
transaction, so every door (the article page in the admin, tests, commands) shares
these rules:

- only claims of the corrected article can be named (a claim removed in the same save
  counts: it was the article's when the editor chose it);
- the previous state is the one readers saw before the change: ``before`` (what the
  door captured with ``capture`` before it saved anything) when the claim differs from
  it; otherwise the claim as the article's revisions last showed it differently, since
  the last correction naming it (a change of sources made on the claim's own page, then
  corrected); otherwise the claim as it stands (a clarification that changes nothing);
- a claim the same save removed is kept as withdrawn: ``claim`` empty, ``corrected_text``
  empty.

The records are append-only: nothing here or in the admin edits or deletes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace

from django.db.models import Max

from articles import labels
from articles.models import Article, CorrectedClaim, Correction, Revision
from articles.publishing.transitions import WorkflowError
from sources.citations import citation_text
from sources.models import Claim, Publisher, SourceDocument

# How far back the revisions are read for a claim's earlier state.
REVISIONS_READ = 200
TEXT_LIMIT = CorrectedClaim._meta.get_field("previous_text").max_length
CITATION_LIMIT = CorrectedClaim._meta.get_field("previous_citation").max_length


def capture(article: Article) -> dict[int, dict]:
    """The state of each of ``article``'s claims now, by claim id: take it before a save
    that may change them, and pass it to ``workflow.add_correction`` as ``before``."""
    claims = Claim.objects.filter(article=article).with_citations()
    return {
        claim.pk: claim_state(article, claim.text, claim.attributions.all()) for claim in claims
    }


def claim_state(article: Article, text: str, attributions: Iterable) -> dict:
    """A claim's wording, citation (``sources.citations``) and sources, as stored."""
    attributions = list(attributions)
    reference = article.published_at.date() if article.published_at else None
    with labels.in_language(article):  # the citation as the article's readers read it
        citation = citation_text(attributions, reference=reference)
    return {
        "text": text,
        "citation": citation,
        "sources": [
            {
                "document": a.document_id,
                "publisher": a.document.publisher.name,
                "title": a.document.title,
                "url": a.document.url,
                "via": a.via.name if a.via_id else None,
                "relation": a.relation,
                "via_url": a.via_url,
            }
            for a in attributions
        ],
    }


def problems(article: Article, claim_ids: Iterable[int], before: dict | None = None) -> list[str]:
    """Why these claims cannot be named by a correction of ``article`` (empty when they can)."""
    ids = set(claim_ids)
    known = set(before or ()) | set(
        Claim.objects.filter(article=article, pk__in=ids).values_list("pk", flat=True)
    )
    if ids - known:
        return ["A correction can only name claims of the article it corrects."]
    return []


def record(
    correction: Correction, claims: Iterable, *, before: dict | None = None
) -> list[CorrectedClaim]:
    """Store what each named claim (a ``Claim`` or its id) read before and reads now (see
    the module's rules)."""
    article = correction.article
    try:
        ids = list(dict.fromkeys(int(getattr(claim, "pk", claim)) for claim in claims))
    except (TypeError, ValueError):
        raise WorkflowError(["Name each claim by its id."]) from None
    if not ids:
        return []
    if found := problems(article, ids, before):
        raise WorkflowError(found)
    before = before or {}
    now = {
        claim.pk: claim
        for claim in Claim.objects.filter(article=article, pk__in=ids).with_citations()
    }
    history = _History(correction, ids)
    rows = []
    for pk in ids:
        claim = now.get(pk)
        if claim is None:  # removed by the save this correction goes with
            previous, current = before[pk], None
        else:
            current = claim_state(article, claim.text, claim.attributions.all())
            captured = before.get(pk)
            if captured is not None and _differs(captured, current):
                previous = captured
            else:
                previous = history.earlier(pk, captured or current) or captured or current
        rows.append(
            CorrectedClaim(
                correction=correction,
                claim=claim,
                previous_text=previous["text"][:TEXT_LIMIT],
                previous_citation=previous["citation"][:CITATION_LIMIT],
                previous_sources=previous["sources"],
                corrected_text=current["text"][:TEXT_LIMIT] if current else "",
                corrected_citation=current["citation"][:CITATION_LIMIT] if current else "",
            )
        )
    return CorrectedClaim.objects.bulk_create(rows)


def audit_note(rows: list[CorrectedClaim]) -> str:
    """The audit trail's lines for the named claims: what each read, and reads now."""
    lines = []
    for row in rows:
        was = f"“{row.previous_text}” ({row.previous_citation or 'no source'})"
        if row.claim_id is None:
            lines.append(f"Claim withdrawn: {was}.")
        else:
            now = f"“{row.corrected_text}” ({row.corrected_citation or 'no source'})"
            lines.append(f"Claim corrected: {was} → {now}.")
    return "\n".join(lines)


def _differs(a: dict, b: dict) -> bool:
    # The citation too: it words the whole chain of custody, which the keys do not hold.
    return a["text"] != b["text"] or a["citation"] != b["citation"] or _keys(a) != _keys(b)


def _keys(state: dict) -> list[tuple]:
    return [(s["document"], s["via"], s["relation"]) for s in state["sources"]]


class _History:
    """The article's saved revisions, newest first, read once for all named claims."""

    def __init__(self, correction: Correction, ids: list[int]) -> None:
        self.article = correction.article
        named = CorrectedClaim.objects.filter(claim_id__in=ids).exclude(correction=correction)
        self.bounds = dict(
            named.values("claim_id")
            .annotate(at=Max("correction__created_at"))
            .values_list("claim_id", "at")
        )
        self._revisions: list[Revision] | None = None

    def revisions(self) -> list[Revision]:
        if self._revisions is None:
            kept = [Revision.Kind.SAVED, Revision.Kind.RESTORED]
            self._revisions = list(
                self.article.revisions.filter(kind__in=kept)
                .order_by("-number")
                .only("created_at", "data")[:REVISIONS_READ]
            )
        return self._revisions

    def earlier(self, pk: int, state: dict) -> dict | None:
        """The claim as the newest revision showing it differently from ``state`` had it,
        back to the last correction naming it (or the first publication)."""
        bound = self.bounds.get(pk) or self.article.published_at
        text = state["text"]
        for revision in self.revisions():
            entry = _entry(revision.data, pk, text)
            if entry is None:
                return None  # the claim read otherwise then: its own page told us nothing
            stored = [
                (s["document"], s.get("via_name") or None, s.get("relation", ""))
                for s in entry.get("sources", [])
            ]
            if entry["text"] != text or stored != _keys(state):
                return self._state(entry)
            if bound is not None and revision.created_at < bound:
                return None
        return None

    def _state(self, entry: dict) -> dict:
        sources = entry.get("sources", [])
        documents = SourceDocument.objects.select_related("publisher").in_bulk(
            [s["document"] for s in sources]
        )
        vias = Publisher.objects.in_bulk([s["via"] for s in sources if s.get("via")])
        attributions = [
            SimpleNamespace(
                document=documents[s["document"]],
                document_id=s["document"],
                via=vias.get(s.get("via")),
                via_id=s.get("via"),
                relation=s.get("relation", ""),
                via_url=s.get("via_url", ""),
            )
            for s in sources
            if s["document"] in documents
        ]
        return claim_state(self.article, entry["text"], attributions)


def _entry(data: dict, pk: int, text: str) -> dict | None:
    """The claim in a revision's snapshot: by its id where snapshots carry one, else by text."""
    for entry in data.get("claims", []):
        if entry.get("id") == pk or ("id" not in entry and entry.get("text") == text):
            return entry
    return None
