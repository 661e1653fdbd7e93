"""Inline citations become claims: the body's "(Sony; Reuters/Yahoo Finance)" and
"according to Bloomberg as quoted by Yahoo Finance" (found by ``sources.inline``) made
claims with their sources, and their words taken out of the body, so that readers see
one generated citation per claim.

``propose`` lists what accepting would make; ``accept`` makes it as one edit of the
article (row locked, new version, revision, audit event), under the rules of any edit:
only those who may edit it now, and never on a live piece, whose text changes on its
own page. The agent API files drafts with ``"citations": "inline"`` through
``parse_for_filing``/``make_claims`` inside its own filing transaction.
Accepting the same text twice never doubles a claim or a source.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet

from articles.models import Article
from articles.publishing import roles, sourcing, workflow
from articles.publishing.doubling import doubled_citations  # noqa: F401 - part of this API
from articles.publishing.transitions import WorkflowError
from articles.sanitize import sanitize_html
from sources.chains import attribution_chain_problems
from sources.inline import Candidate, Citation, find, key_of
from sources.inline_html import mark_crossing_markup, remove_from_html
from sources.models import Attribution, AttributionHop, Claim, Publisher, SourceDocument
from sources.text import normalise_text

LIVE = (
    "This piece is live: its text changes on its own page, where every edit is held to "
    "the publish checks. Take the citations out there."
)


@dataclass
class Adjustment:
    """What the editor changed in a proposal before accepting it."""

    text: str = ""  # the claim's words, if not the proposed ones
    documents: dict[int, int] = field(default_factory=dict)  # source index -> chosen id


def candidate(document: SourceDocument, tier: int = 0) -> Candidate:
    return Candidate(
        document.pk,
        document.title,
        document.publisher.name,
        document.published_on,
        document.kind,
        tier,
    )


def _own_documents(article: Article) -> list[SourceDocument]:
    """The documents the article's claims already cite (as prefetched, if so)."""
    found = {}
    for claim in article.claims.all():
        for attribution in claim.attributions.all():
            found[attribution.document_id] = attribution.document
    return list(found.values())


def parse(
    body: str, documents: Iterable[SourceDocument], *, library: bool | QuerySet = True
) -> list[Citation]:
    """The citations in ``body``, resolved among ``documents`` and (``library``: True for
    every document, a queryset for those a user may read, False for none) the other
    documents of the publishers they name: three queries."""
    names = list(Publisher.objects.values_list("name", flat=True))
    own = [candidate(d) for d in {d.pk: d for d in documents}.values()]
    citations = find(body, own, names)
    if library is not False:
        have = {key_of(c.publisher) for c in own}
        named = {key_of(s.publisher) for c in citations for s in c.sources} - have
        if named:
            publishers = Publisher.objects.values_list("pk", "name")
            ids = [pk for pk, name in publishers if key_of(name) in named]
            # Only what the editor may read (the desk firewall of shared records).
            pool = SourceDocument.objects.all() if library is True else library
            more = pool.filter(publisher__in=ids).select_related("publisher")
            citations = find(body, own + [candidate(d, tier=1) for d in more], names)
    mark_crossing_markup(body, citations)
    return citations


def propose(article: Article, documents: Iterable[SourceDocument] = (), *, user) -> list[Citation]:
    """The body's inline citations as proposed claims, resolved among the documents its
    claims cite, ``documents`` and the rest of the library ``user`` may know of (the
    reading firewall: never a document only the other desk's unpublished work cites)."""
    library = SourceDocument.objects.filter(sourcing.known_documents(user))
    return parse(article.body, [*_own_documents(article), *documents], library=library)


def _adjusted(citation: Citation, adjustment: Adjustment | None) -> Citation:
    if adjustment is None:
        return citation
    for index, chosen in adjustment.documents.items():
        if index < len(citation.sources):
            source = citation.sources[index]
            picked = [c for c in source.choices if c.id == chosen]
            if picked:
                source.choices, source.reason = picked, ""
    if adjustment.text.strip():
        citation.claim = adjustment.text.strip()
    return citation


def _attribute(claim: Claim, citation: Citation, names: dict[str, Publisher], documents) -> None:
    """The citation's sources as attributions of ``claim``, each chain checked
    (``sources.chains``); a document the claim cites already is left as it is."""
    have = set(claim.attributions.values_list("document_id", flat=True))
    for position, source in enumerate(citation.sources, start=len(have)):
        if source.document is None or source.document.id in have:
            continue
        have.add(source.document.id)
        via = source.via
        attribution = Attribution(
            claim=claim,
            document=documents[source.document.id],
            via=names[key_of(via.publisher)] if via else None,
            relation=via.relation if via else "",
            via_on=via.on if via else None,
            position=position,
        )
        hops = [
            AttributionHop(
                position=i, publisher=names[key_of(hop.publisher)], relation=hop.relation, on=hop.on
            )
            for i, hop in enumerate(source.hops[1:])
        ]
        problems = attribution_chain_problems(attribution, hops)
        if via and attribution.via_id == attribution.document.publisher_id:
            problems.append(f"{via.publisher} cannot pass on its own document.")
        if problems:
            raise WorkflowError([f"“{citation.text}”: {problem}" for problem in problems])
        attribution.save()
        for hop in hops:
            hop.attribution = attribution
        AttributionHop.objects.bulk_create(hops)


def strip(body: str, citations: Sequence[Citation]) -> str:
    """``body`` without the words of ``citations``; refused if they cannot be found in
    its HTML (a citation split by markup the text does not show)."""
    stripped = remove_from_html(body, citations)
    if stripped is None:
        raise WorkflowError(
            "The citations could not be found in the body's markup: take them out by hand."
        )
    return stripped


def make_claims(article: Article, citations: Sequence[Citation]) -> list[Claim]:
    """Claims (and their sources) for ``citations``, whose words the saved body no longer
    carries; a claim already there with the same words gains only the sources it lacks."""
    body_text = normalise_text(article.body)
    problems = [
        f"“{c.claim[:80]}” does not appear in the body once its citation is taken out: quote "
        "it exactly."
        for c in citations
        if normalise_text(c.claim) not in body_text or "\x00" in c.claim
    ]
    limit = Claim._meta.get_field("text").max_length
    problems += [
        f"“{c.claim[:80]}…” is too long for a claim." for c in citations if len(c.claim) > limit
    ]
    if problems:
        raise WorkflowError(problems)
    names = {key_of(p.name): p for p in Publisher.objects.all()}
    ids = [s.document.id for c in citations for s in c.sources if s.document]
    documents = SourceDocument.objects.select_related("publisher").in_bulk(ids)
    claims = []
    for citation in citations:
        claim, _ = Claim.objects.get_or_create(article=article, text=citation.claim)
        _attribute(claim, citation, names, documents)
        claims.append(claim)
    getattr(article, "_prefetched_objects_cache", {}).pop("claims", None)
    article.reorder_claims()
    return claims


def accept(
    article: Article,
    keys: Iterable[str],
    *,
    by,
    adjustments: dict[str, Adjustment] | None = None,
    drop: Iterable[str] = (),
) -> list[Claim]:
    """Make the proposals named by ``keys`` claims (as adjusted) and take their words
    out of the body; ``drop`` only takes words out. One edit of the article."""
    adjustments = adjustments or {}
    keys, drop = list(dict.fromkeys(keys)), [k for k in dict.fromkeys(drop) if k not in keys]
    with transaction.atomic():
        article = workflow.lock(article)
        if not roles.can_edit(by, article):
            raise WorkflowError("You may not edit this article now, so not its claims either.")
        if article.status == Article.Status.PUBLISHED:
            raise WorkflowError(LIVE)
        proposals = {c.key: c for c in propose(article, user=by)}
        if missing := [k for k in [*keys, *drop] if k not in proposals]:
            raise WorkflowError(
                f"The body has changed since the proposals were made ({len(missing)} no longer "
                "match): look at them again."
            )
        chosen = [_adjusted(proposals[k], adjustments.get(k)) for k in keys]
        if problems := [f"“{c.text}”: {p}" for c in chosen for p in c.problems]:
            raise WorkflowError(problems)
        if not chosen and not drop:
            raise WorkflowError("Choose at least one citation to accept or take out.")
        known = workflow.live_problems(article)
        article.body = strip(article.body, [*chosen, *(proposals[k] for k in drop)])
        article.body = sanitize_html(article.body)
        article.save()
        claims = make_claims(article, chosen)
        note = "; ".join(f"“{c.claim}” ({c.text})" for c in chosen)
        if drop:
            removed = "; ".join(proposals[k].text for k in drop)
            note = f"{note}. Citation text taken out: {removed}" if note else removed
        workflow.log_event(
            article,
            "claims_from_citations" if chosen else "citations_removed",
            by=by,
            note=f"Inline citations made claims: {note}." if chosen else f"{note}.",
        )
        workflow.record_edit(article, by=by, known_problems=known)
    return claims


def parse_for_filing(body: str, documents: Iterable[SourceDocument]):
    """For the agent API: the resolved citations of ``body`` (among the request's
    documents only, no library lookup), the body without their words, and the
    unresolved ones, each with its offset in the stored body's text."""
    body = sanitize_html(body)
    citations = parse(body, documents, library=False)
    resolved = [c for c in citations if c.resolved]
    stripped = strip(body, resolved)
    unresolved = []
    for citation in citations:
        if citation.resolved:
            continue
        shift = sum(r.end - r.start for r in resolved if r.removable and r.end <= citation.start)
        unresolved.append(
            {
                "text": citation.text,
                "position": citation.position - shift,
                "reason": " ".join(citation.problems),
            }
        )
    return resolved, stripped, unresolved
