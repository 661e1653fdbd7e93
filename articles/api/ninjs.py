"""IPTC ninjs 3.1 (news in JSON) for articles, chosen by content negotiation.

ninjs has no field for sponsorship, so it is carried three ways no consumer can
miss: in ``genres`` and ``trustIndicators`` (standard fields) and in the
documented extension property ``x-newsroom-sponsorship``. AI authorship is in
``digitalSourceType``, ``by`` and ``trustIndicators``.
"""

from django.urls import reverse
from rest_framework.renderers import JSONRenderer

from articles import labels
from articles.api.serializers import absolute
from articles.models import AIInvolvement, Article
from articles.sanitize import sanitize_html
from sources.citations import citation_text

NINJS = {
    "name": "ninjs",
    "version": "3.1",
    "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json",
}
PUB_STATUS = {Article.Status.PUBLISHED: "usable", Article.Status.UNPUBLISHED: "canceled"}


def _policy(page: str) -> str:
    return absolute(reverse("articles:standards", args=[page]))


def article_to_ninjs(article: Article, *, full: bool = True) -> dict:
    """The article in ninjs; ``full=False`` (list items) leaves out the body and says so
    (``representationType: partial``)."""
    uri = absolute(reverse("articles:detail", args=[article.slug]))
    genres = [
        {"name": article.work_type.label, "uri": f"urn:newsroom:genre:{article.work_type.value}"}
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
        "people": [
            {
                "name": b.author.name,
                "rel": b.role,
                "uri": absolute(b.author.get_absolute_url()),
                **({"description": b.author.description} if b.author.is_ai_agent else {}),
            }
            for b in article.byline_list
        ],
        "subjects": [{"name": tag.name} for tag in article.tags.all()],
        "genres": genres,
        "trustIndicators": trust,
        "infoSources": [],
    }
    if full:
        data["bodies"] = [
            {
                "role": "main",
                "contentType": "text/html",
                "value": sanitize_html(article.body, sponsored=article.is_sponsored),
            }
        ]
    for claim in article.claims.all():
        for a in claim.attributions.all():
            source = {"name": a.document.publisher.name, "role": "source"}
            if a.document.url:
                source["uri"] = a.document.url
            sources = [source]
            if a.via_id:
                sources.append(
                    {"name": a.via.name, "role": f"intermediary:{a.relation}"}
                    | ({"uri": a.via_url} if a.via_url else {})
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
    sponsorship = article.sponsorship_or_none
    if sponsorship is not None:
        genres.insert(
            0, {"name": sponsorship.label, "uri": f"urn:newsroom:label:{sponsorship.kind}"}
        )
        trust.insert(
            0,
            {"role": "sponsorship", "title": sponsorship.full_label, "href": _policy("labels")},
        )
        data["x-newsroom-sponsorship"] = {
            "label": sponsorship.label,
            "fullLabel": sponsorship.full_label,
            "kind": sponsorship.kind,
            "sponsor": sponsorship.sponsor.name,
            "disclosure": sponsorship.disclosure,
        }
    corrections = list(article.corrections.all())
    if corrections:
        data["edNote"] = " ".join(
            f"{c.get_kind_display()} ({c.created_at:%Y-%m-%d}): {c.text}" for c in corrections
        )
    # Dates in citations read relative to the article's own publication date, as on the site.
    reference = article.published_at.date() if article.published_at else None
    cited = [citation_text(c.attributions.all(), reference=reference) for c in article.claims.all()]
    if cited:
        data["x-newsroom-citations"] = [
            {"claim": c.text, "citation": text}
            for c, text in zip(article.claims.all(), cited, strict=True)
        ]
    return data


class NinjsRenderer(JSONRenderer):
    """``Accept: application/ninjs+json`` (or ``?format=ninjs``) on article endpoints."""

    media_type = "application/ninjs+json"
    format = "ninjs"
