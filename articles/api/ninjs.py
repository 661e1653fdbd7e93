"""IPTC ninjs 3.1 (news in JSON) for articles, chosen by content negotiation.

The default output validates against IPTC's official 3.1 schema, and carries every
promise in standard fields, where no consumer can drop it:

- the label: first in ``genres``, in the main headline (label first), in
  ``trustIndicators`` (role ``sponsorship``) and ``descriptions`` (role
  ``sponsorship``: the full label and the disclosure); the sponsor in
  ``organisations`` (rel ``sponsor``);
- AI involvement: ``digitalSourceType``, ``by``, ``trustIndicators`` (role
  ``aiDisclosure``) and ``descriptions`` (role ``aiDisclosure``: what the agent is and
  who reviewed which version when); an AI agent is no person, so ``people`` holds the
  human authors and the reviewer, and the agent's operator is in ``organisations``
  (rel ``aiAgentOperator``);
- corrections: ``descriptions`` with role ``correction`` (``edNote`` is internal in
  ninjs, never for readers);
- sources: ``infoSources``, and each claim's citation in ``descriptions`` (role
  ``citation``).

The **extended profile** (``?profile=newsroom`` or ``Accept: application/ninjs+json;
profile=newsroom``) adds our own ``x-newsroom-*`` properties, described by the
published extension schema (``EXTENSION_SCHEMA``, served at
``/api/v1/ninjs/newsroom-extension.json``) written as IPTC's extension example shows.
"""

import json
from functools import cache
from pathlib import Path

from django.http import JsonResponse
from django.urls import reverse
from rest_framework.renderers import JSONRenderer

from articles import labels
from articles.api.body_media import ninjs_pictures
from articles.api.corrections import claims_summary, ninjs_claims
from articles.api.serializers import absolute
from articles.models import AIInvolvement, Article
from articles.sanitize import sanitize_html
from articles.site.body import images_of, portable_html, shown_media
from sources.citations import chain, citation_text

NINJS = {
    "name": "ninjs",
    "version": "3.1",
    "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json",
}
PUB_STATUS = {Article.Status.PUBLISHED: "usable", Article.Status.UNPUBLISHED: "canceled"}
# The extended profile's name (query or media-type parameter) and its schema.
EXTENDED = "newsroom"
EXTENSION_FILE = Path(__file__).with_name("ninjs_extension.json")
EXTENSION_URI = "https://newsroom.example/schemas/ninjs-newsroom-extension-1.0.json"


@cache
def extension_schema() -> dict:
    """Our published JSON Schema for the extended profile (ninjs 3.1 plus x-newsroom-*)."""
    return json.loads(EXTENSION_FILE.read_text())


def _policy(page: str) -> str:
    return absolute(reverse("articles:standards", args=[page]))


def article_to_ninjs(article: Article, *, full: bool = True, extended: bool = False) -> dict:
    """The article in ninjs; ``full=False`` (list items) leaves out the body and says so
    (``representationType: partial``); ``extended`` adds the x-newsroom-* properties."""
    with labels.in_language(article):  # its label and byline in its language, as on its page
        return _ninjs(article, full=full, extended=extended)


def _ninjs(article: Article, *, full: bool, extended: bool) -> dict:
    uri = absolute(reverse("articles:detail", args=[article.slug]))
    genres = [
        {
            "name": str(article.work_type.label),
            "uri": f"urn:newsroom:genre:{article.work_type.value}",
        }
    ]
    trust = [
        {"role": "publishingPrinciples", "title": "About our labels", "href": _policy("labels")},
        {
            "role": "correctionsPolicy",
            "title": "Corrections policy",
            "href": _policy("corrections"),
        },
    ]
    data = {
        "uri": uri,
        "standard": NINJS,
        "type": "text",
        "representationType": "full" if full else "partial",
        "firstCreated": article.created_at.isoformat(),
        "versionCreated": article.modified_at.isoformat(),
        "contentCreated": (article.published_at or article.created_at).isoformat(),
        # Under embargo it is usable from ``embargoedUntil`` on (IPTC: an embargo is a
        # time before which a usable item must not be published).
        "pubStatus": "usable"
        if article.embargoed_until
        else PUB_STATUS.get(article.status, "withheld"),
        **(
            {"embargoedUntil": article.embargoed_until.isoformat()}
            if article.embargoed_until
            else {}
        ),
        # No longer to be shown from then on: the piece unpublishes itself (expiry).
        **({"expires": article.expires_at.isoformat()} if article.expires_at else {}),
        "language": article.language,
        "headlines": [{"role": "main", "value": labels.title_with_label(article)}]
        + ([{"role": "sub", "value": article.dek}] if article.dek else []),
        "by": labels.byline_text(article),
        # Human beings only, as ninjs defines people: the human authors and the reviewer.
        "people": [
            {"name": b.author.name, "rel": b.role, "uri": absolute(b.author.get_absolute_url())}
            for b in article.byline_list
            if not b.author.is_ai_agent
        ],
        "organisations": [],
        "descriptions": [],
        "subjects": [{"name": tag.name} for tag in article.tags.all()],
        "genres": genres,
        "trustIndicators": trust,
        "infoSources": [],
    }
    if full:
        # Pictures as <img> and embeds as links in the HTML; the pictures also associated.
        images = images_of(article)
        body = sanitize_html(article.body, sponsored=article.is_sponsored)
        data["bodies"] = [
            {"role": "main", "contentType": "text/html", "value": portable_html(body, images)}
        ]
        if pictures := ninjs_pictures(shown_media(article.body, images)[0]):
            data["associations"] = pictures
    for claim in article.claims.all():
        for a in claim.attributions.all():
            source = {"name": a.document.publisher.name, "role": "source"}
            if a.document.url:
                source["uri"] = a.document.url
            sources = [source]
            # Each intermediary of the chain of custody, in order.
            for link in chain(a):
                sources.append(
                    {"name": link.publisher.name, "role": f"intermediary:{link.relation}"}
                    | ({"uri": link.url} if link.url else {})
                )
            # A document cited for several claims is one source, listed once.
            data["infoSources"] += [s for s in sources if s not in data["infoSources"]]
    if article.section_id:
        data["subjects"].append({"name": article.section.name, "rel": "section"})
    if article.ai_involvement != AIInvolvement.NONE:
        data["digitalSourceType"] = {
            "name": article.ai_involvement_level.label,
            "uri": article.digital_source_type,
        }
        trust.append({"role": "aiDisclosure", "title": "How we use AI", "href": _policy("ai")})
    _ai_agents(article, data)
    sponsorship = article.sponsorship_or_none
    if sponsorship is not None:
        genres.insert(
            0, {"name": sponsorship.label, "uri": f"urn:newsroom:label:{sponsorship.kind}"}
        )
        trust.insert(
            0,
            {"role": "sponsorship", "title": sponsorship.full_label, "href": _policy("labels")},
        )
        sponsor = sponsorship.sponsor
        data["organisations"].append(
            {"name": sponsor.name, "rel": "sponsor"}
            | ({"uri": sponsor.website} if sponsor.website else {})
        )
        _describe(data, "sponsorship", f"{sponsorship.full_label}. {sponsorship.disclosure}")
    corrections = list(article.corrections.all())
    for c in corrections:
        note = f"{c.get_kind_display()} ({c.created_at:%Y-%m-%d}): {c.text}"
        _describe(data, "correction", " ".join(filter(None, [note, claims_summary(c)])))
    # Dates in citations read relative to the article's own publication date, as on the site.
    reference = article.published_at.date() if article.published_at else None
    claims = list(article.claims.all())
    cited = [citation_text(c.attributions.all(), reference=reference) for c in claims]
    for claim, text in zip(claims, cited, strict=True):
        _describe(data, "citation", f"{claim.text} ({text})")
    for name in ("organisations", "descriptions", "people", "infoSources"):
        if not data[name]:
            del data[name]
    if extended:
        data |= _extension(article, claims, cited, corrections)
    return data


def _describe(data: dict, role: str, text: str) -> None:
    data["descriptions"].append({"role": role, "contentType": "text/plain", "value": text})


def _ai_agents(article: Article, data: dict) -> None:
    """An AI agent in the byline: its operator as an organisation, what it is and who
    reviewed the piece as a description, the reviewer among the people."""
    agents = [b.author for b in article.byline_list if b.author.is_ai_agent]
    for agent in agents:
        operator = {"name": agent.operator, "rel": "aiAgentOperator"}
        if agent.operator_url:
            operator["uri"] = agent.operator_url
        if operator not in data["organisations"]:
            data["organisations"].append(operator)
        about = " ".join(
            part for part in (f"{agent.name} is {agent.description}.", agent.disclosure) if part
        )
        _describe(data, "aiDisclosure", about)
    review = article.latest_review
    if agents and review is not None:
        data["people"].append({"name": review.reviewer_name, "rel": "reviewer"})
        _describe(
            data,
            "aiDisclosure",
            f"Reviewed by {review.reviewer_name}, a human editor, on "
            f"{review.reviewed_at:%Y-%m-%d %H:%M} UTC (version {review.version}).",
        )


def _extension(article: Article, claims, cited, corrections) -> dict:
    """The extended profile's own properties (see ``ninjs_extension.json``)."""
    extra: dict = {"profile": EXTENSION_URI}
    sponsorship = article.sponsorship_or_none
    if sponsorship is not None:
        extra["x-newsroom-sponsorship"] = {
            "label": sponsorship.label,
            "fullLabel": sponsorship.full_label,
            "kind": sponsorship.kind,
            "sponsor": sponsorship.sponsor.name,
            "disclosure": sponsorship.disclosure,
        }
    agents = [b.author for b in article.byline_list if b.author.is_ai_agent]
    if agents:
        review = article.latest_review
        extra["x-newsroom-ai"] = {
            "involvement": article.ai_involvement,
            "agents": [
                {
                    "name": agent.name,
                    "uri": absolute(agent.get_absolute_url()),
                    "description": agent.description,
                    "operator": agent.operator,
                    "disclosure": agent.disclosure,
                }
                for agent in agents
            ],
            "review": {
                "reviewer": review.reviewer_name,
                "version": review.version,
                "reviewedAt": review.reviewed_at.isoformat(),
            }
            if review
            else None,
        }
    if claims:
        extra["x-newsroom-citations"] = [
            {
                "claim": c.text,
                "citation": text,
                "sources": [_chained(a) for a in c.attributions.all()],
            }
            for c, text in zip(claims, cited, strict=True)
        ]
    if corrections:
        extra["x-newsroom-corrections"] = [
            {"kind": c.kind, "text": c.text, "createdAt": c.created_at.isoformat()}
            | ({"claims": named} if (named := ninjs_claims(c)) else {})
            for c in corrections
        ]
    return extra


def _chained(attribution) -> dict:
    """One source of a claim with its chain of custody (see ``ninjs_extension.json``)."""
    document = attribution.document
    links = [
        {"name": link.publisher.name, "relation": link.relation}
        | ({"uri": link.url} if link.url else {})
        | ({"date": link.on.isoformat()} if link.on else {})
        for link in chain(attribution)
    ]
    return (
        {"publisher": document.publisher.name, "title": document.title}
        | ({"uri": document.url} if document.url else {})
        | ({"date": document.published_on.isoformat()} if document.published_on else {})
        | {"chain": links}
    )


class NinjsRenderer(JSONRenderer):
    """``Accept: application/ninjs+json`` (or ``?format=ninjs``) on article endpoints."""

    media_type = "application/ninjs+json"
    format = "ninjs"


def ninjs_extension(request):
    """Our published JSON Schema of the extended ninjs profile."""
    return JsonResponse(extension_schema(), content_type="application/schema+json")
