"""Full snapshots of articles, readable differences between them, and restore.

Nothing is ever overwritten: every save records a revision, a restore records a
new one, and a save refused for an edit conflict is kept as a revision too.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q
from django.utils.text import Truncator

from articles.models import Article, Author, Byline, PartnerKey, Revision
from articles.publishing import translations
from articles.publishing.claim_sync import keep_claims
from sources.models import Attribution, AttributionHop, Claim, Publisher, SourceDocument
from sources.text import normalise_text

# Fields copied to and from a snapshot as they are.
CONTENT_FIELDS = [
    "headline",
    "dek",
    "body",
    "type_of_work",
    "language",
    "ai_involvement",
]
LABELS = {
    "headline": "Headline",
    "dek": "Standfirst",
    "body": "Body",
    "type_of_work": "Type of work",
    "language": "Language",
    "translation_of": "Translation of",
    "ai_involvement": "AI involvement",
    "section": "Section",
    "lead_image": "Lead image",
    "tags": "Tags",
    "bylines": "Bylines",
    "claims": "Claims and sources",
    "sponsorship": "Sponsorship",
}


def snapshot(article: Article) -> dict:
    """Everything a reader or editor would call “the article”, as JSON-ready data."""
    data = {field: getattr(article, field) for field in CONTENT_FIELDS}
    data["section"] = (
        {"id": article.section_id, "name": article.section.name} if article.section_id else None
    )
    data["lead_image"] = article.lead_image_id
    data["translation_of"] = article.translation_of_id
    data["tags"] = sorted(article.tags.names())
    data["bylines"] = [
        {"author": b.author_id, "name": b.author.name, "role": b.role}
        for b in article.bylines.select_related("author").order_by("position", "pk")
    ]
    data["claims"] = [
        {
            "text": claim.text,
            "sources": [
                {
                    "document": a.document_id,
                    "title": str(a.document),
                    "via": a.via_id,
                    "via_name": a.via.name if a.via_id else "",
                    "relation": a.relation,
                    "via_url": a.via_url,
                    "via_on": a.via_on.isoformat() if a.via_on else None,
                    "hops": [
                        {
                            "publisher": h.publisher_id,
                            "name": h.publisher.name,
                            "relation": h.relation,
                            "url": h.url,
                            "on": h.on.isoformat() if h.on else None,
                        }
                        for h in a.hops.all()
                    ],
                    "passage": a.passage,
                }
                for a in claim.attributions.all()
            ],
        }
        for claim in Claim.objects.filter(article=article).with_citations()
    ]
    sponsorship = article.sponsorship_or_none
    data["sponsorship"] = (
        {
            "sponsor": sponsorship.sponsor.name,
            "kind": sponsorship.kind,
            "disclosure": sponsorship.disclosure,
            "campaign_starts_on": sponsorship.campaign_starts_on.isoformat(),
            "campaign_ends_on": (
                sponsorship.campaign_ends_on.isoformat() if sponsorship.campaign_ends_on else None
            ),
        }
        if sponsorship
        else None
    )
    return data


def agent_actor_name(agent: Author, key: PartnerKey | None = None) -> str:
    """How revisions and the audit trail name an AI agent acting through its key:
    “Sift (AI agent, key “Sift drafts”)”. An agent has no account, so this is all they keep."""
    suffix = f" (AI agent, key “{key.name}”)" if key is not None else " (AI agent)"
    room = Revision._meta.get_field("created_by_name").max_length - len(suffix)
    return Truncator(agent.name).chars(room) + suffix


def record(
    article: Article,
    *,
    by=None,
    kind: str = Revision.Kind.SAVED,
    note: str = "",
    data: dict | None = None,
    by_name: str = "",
    version: int | None = None,
) -> Revision:
    """Store a revision of ``article`` (or of ``data``, for a refused save or an
    autosave, typed on ``version``); ``by_name`` names who saved it when that is not a
    user's own name (an AI agent and its key)."""
    with transaction.atomic():
        # Lock the article so two saves never take the same revision number.
        Article.objects.select_for_update().filter(pk=article.pk).exists()
        return Revision.objects.create(
            article=article,
            number=_next_number(article, kind),
            version=article.version if version is None else version,
            kind=kind,
            data=data if data is not None else snapshot(article),
            created_by=by,
            created_by_name=by_name or ((by.get_full_name() or by.get_username()) if by else ""),
            note=note,
        )


def _next_number(article: Article, kind: str) -> int:
    """Saves are numbered 1, 2, 3… without gaps. An autosave (never a save, and dropped
    when its editor saves) takes a number above them and moves up when a save needs it."""
    autosave = Revision.Kind.AUTOSAVE
    numbers = article.revisions.aggregate(
        top=Max("number"), saved=Max("number", filter=~Q(kind=autosave))
    )
    top, saved = numbers["top"] or 0, numbers["saved"] or 0
    if kind == autosave:
        return top + 1
    if top > saved:
        in_the_way = article.revisions.filter(kind=autosave, number=saved + 1)
        in_the_way.update(number=top + 1)
    return saved + 1


def history(article: Article):
    """The article's revisions as saved, newest first: never an editor's autosave."""
    return article.revisions.exclude(kind=Revision.Kind.AUTOSAVE)


@dataclass
class FieldDiff:
    field: str
    label: str
    lines: list[tuple[str, str]]  # (" " | "-" | "+", text)


def _lines(data: dict, field: str) -> list[str]:
    value = data.get(field)
    if field == "body":
        # One line per paragraph, as a reader would compare them.
        paragraphs = (value or "").replace("</p>", "</p>\n").replace("</li>", "</li>\n")
        return [normalise_text(p) for p in paragraphs.splitlines() if normalise_text(p)]
    if field == "section":
        return [value["name"]] if value else []
    if field == "bylines":
        return [f"{b['role']}: {b['name']}" for b in value or []]
    if field == "claims":
        return [f"{c['text']} — {_sources_line(c['sources'])}" for c in value or []]
    if field == "sponsorship":
        return [f"{k}: {v}" for k, v in (value or {}).items()]
    if field == "tags":
        return [", ".join(value or [])]
    return [str(value)] if value not in (None, "") else []


def _sources_line(sources: list[dict]) -> str:
    return "; ".join(_source_line(s) for s in sources) or "no source"


def _source_line(source: dict) -> str:
    """“Title via Reuters (quoted_by, 2026-05-08) → Yahoo Finance (carried_by)”, and the
    supporting passage, so that a changed chain, date or passage shows in the diff."""
    line = source["title"]
    if source["via"]:
        steps = [(source["via_name"], source["relation"], source.get("via_on"))]
        steps += [(h["name"], h["relation"], h["on"]) for h in source.get("hops", [])]
        line += " via " + " → ".join(
            f"{name} ({', '.join(filter(None, [relation, on]))})" for name, relation, on in steps
        )
    if passage := source.get("passage"):
        line += f" — passage: “{Truncator(passage).chars(120)}”"
    return line


def diff(old: dict, new: dict) -> list[FieldDiff]:
    """What changed between two snapshots, field by field, line by line."""
    changes = []
    for field, label in LABELS.items():
        before, after = _lines(old, field), _lines(new, field)
        if before == after:
            continue
        lines = []
        for line in difflib.ndiff(before, after):
            if line[:1] in {" ", "-", "+"}:
                lines.append((line[:1], line[2:]))
        changes.append(FieldDiff(field, label, lines))
    return changes


def restore(revision: Revision, *, by) -> tuple[Revision, list[str]]:
    """Bring the article back to ``revision``; returns the new revision and any warnings.

    Status, slug and sponsorship are not restored: publishing state changes only
    through the workflow, URLs stay stable, and the sponsorship firewall has its
    own audited path.
    """
    data = revision.data
    warnings: list[str] = []
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=revision.article_id)
        for field in CONTENT_FIELDS:
            setattr(article, field, data[field])
        section = data.get("section")
        article.section_id = section["id"] if section else None
        article.lead_image_id = data.get("lead_image")
        warnings += _restore_translation_of(article, data.get("translation_of"))
        article.save()
        article.tags.set(data.get("tags", []))

        article.bylines.all().delete()
        authors = set(Author.objects.values_list("pk", flat=True))
        for position, b in enumerate(data.get("bylines", [])):
            if b["author"] not in authors:
                warnings.append(f"The author {b['name']} no longer exists and was not restored.")
                continue
            Byline.objects.create(
                article=article, author_id=b["author"], role=b["role"], position=position
            )

        documents = set(SourceDocument.objects.values_list("pk", flat=True))
        publishers = set(Publisher.objects.values_list("pk", flat=True))
        # A claim worded as in the revision keeps its row, so its checks and corrections.
        kept = keep_claims(article, [c["text"] for c in data.get("claims", [])])
        for c in data.get("claims", []):
            claim = kept[c["text"]]
            for position, s in enumerate(c["sources"]):
                if s["document"] not in documents or (s["via"] and s["via"] not in publishers):
                    warnings.append(f"“{s['title']}” no longer exists and was not restored.")
                    continue
                attribution = Attribution.objects.create(
                    claim=claim,
                    document_id=s["document"],
                    via_id=s["via"],
                    relation=s["relation"],
                    via_url=s["via_url"],
                    via_on=s.get("via_on"),
                    passage=s.get("passage", ""),
                    position=position,
                )
                warnings += _restore_hops(attribution, s.get("hops", []), publishers)
        article.reorder_claims()
        new = record(
            article,
            by=by,
            kind=Revision.Kind.RESTORED,
            note=f"Restored revision {revision.number}",
        )
    return new, warnings


def _restore_hops(attribution: Attribution, hops: list[dict], publishers: set) -> list[str]:
    """The attribution's chain of custody as the revision held it. A chain is restored
    whole or not at all: a gap would read as a chain the source never passed through."""
    if missing := [h["name"] for h in hops if h["publisher"] not in publishers]:
        names = ", ".join(missing)
        return [
            f"The chain of “{attribution.document}” named {names}, which no longer "
            "exists; the chain was restored without its further intermediaries."
        ]
    AttributionHop.objects.bulk_create(
        AttributionHop(
            attribution=attribution,
            position=position,
            publisher_id=h["publisher"],
            relation=h["relation"],
            url=h["url"],
            on=h["on"],
        )
        for position, h in enumerate(hops)
    )
    return []


def _restore_translation_of(article: Article, pk: int | None) -> list[str]:
    """The original the revision named, if it still exists and the translation rules
    still allow it (the family may have changed since); otherwise the current one stays."""
    if pk == article.translation_of_id:
        return []
    original = Article.objects.filter(pk=pk).first() if pk else None
    if pk and original is None:
        return ["The original it translated no longer exists; “Translation of” was kept."]
    if translations.problems(article, original=original, language=article.language):
        return ["Its former original no longer fits the translation rules; kept as it is."]
    article.translation_of = original
    return []
