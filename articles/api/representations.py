"""Articles as the partner API's JSON gives them, built as plain dicts.

The serializers in ``articles.api.serializers`` declare the shapes (they make the
OpenAPI schema); these functions build the same dicts without DRF's per-field
machinery, which cost more than the database on a page of twenty articles with their
bylines, claims and sources. ``tests/articles/api/test_representations.py`` proves the
two agree field for field. Every label, byline sentence and citation still comes from
``articles.labels`` and ``sources.citations``, through the models' own properties.

A list item is the article without its body (``expand=body`` adds it), with each
byline's author in brief (name, kind, AI disclosure, supervising editor, page) and the
lead image's teaser renditions only; the labels, bylines, review, claims and sources
are the detail's, key for key.
"""

from django.urls import reverse
from django.utils import timezone

from articles import labels
from articles.api.body_media import embeds_data
from articles.api.corrections import corrected_claim_data
from articles.api.serializers import ALL_SPECS, AUTHOR_BRIEF, TEASER_SPECS, absolute
from articles.api.translations import translations_data
from articles.media import renditions
from articles.models import Article, Author, Byline, Image
from articles.sanitize import sanitize_html
from articles.site.body import images_of, shown_media
from sources.api.serializers import claim_data


def iso(value) -> str | None:
    """A time as DRF's DateTimeField writes it: the current zone, ``Z`` for UTC."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


def _day(value) -> str | None:
    return value.isoformat() if value else None


def author_data(author: Author, *, brief: bool = False) -> dict:
    editor = author.supervising_editor
    data = {
        "id": author.pk,
        "name": author.name,
        "slug": author.slug,
        "kind": author.kind,
        "is_ai_agent": author.is_ai_agent,
        "description": author.description,
        "job_title": author.job_title,
        "bio": author.bio,
        "beats": author.beat_list,
        "operator": author.operator,
        "operator_url": author.operator_url,
        "system": author.system,
        "supervising_editor": (editor.get_full_name() or editor.get_username()) if editor else None,
        "disclosure": author.disclosure,
        "url": absolute(author.get_absolute_url()),
    }
    return {key: data[key] for key in AUTHOR_BRIEF} if brief else data


def byline_data(byline: Byline, *, brief: bool = False) -> dict:
    return {
        "role": byline.role,
        "role_label": byline.get_role_display(),
        "author": author_data(byline.author, brief=brief),
    }


def sponsorship_data(article: Article) -> dict | None:
    sponsorship = article.sponsorship_or_none
    if sponsorship is None:
        return None
    sponsor = sponsorship.sponsor
    return {
        "kind": sponsorship.kind,
        "label": sponsorship.label,
        "full_label": sponsorship.full_label,
        "sponsor_line": sponsorship.sponsor_line,
        "disclosure": sponsorship.disclosure,
        "sponsor": {
            "id": sponsor.pk,
            "name": sponsor.name,
            "slug": sponsor.slug,
            "website": sponsor.website,
            "description": sponsor.description,
        },
        "campaign_starts_on": _day(sponsorship.campaign_starts_on),
        "campaign_ends_on": _day(sponsorship.campaign_ends_on),
        "labels_policy": absolute(reverse("articles:standards", args=["labels"])),
    }


def image_data(image: Image | None, specs: tuple[str, ...] = ALL_SPECS) -> dict | None:
    if image is None:
        return None
    return {
        "id": image.pk,
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "copyright": image.copyright,
        "source_kind": image.source_kind,
        "reader_label": image.reader_label,
        "digital_source_type": image.digital_source_type,
        "width": image.width,
        "height": image.height,
        "renditions": [
            {**rendition, "url": absolute(rendition["url"])}
            for rendition in renditions.describe(image, specs)
        ],
    }


def related_data(pieces: list[Article]) -> list[dict]:
    """Pieces offered under an article (``articles.site.related``), as ``RelatedSerializer``
    gives them."""
    return [_related_piece(piece) for piece in pieces]


def _related_piece(piece: Article) -> dict:
    with labels.in_language(piece):  # its card's words, in its language
        return {
            "id": piece.pk,
            "url": absolute(piece.get_absolute_url()),
            "headline": piece.headline,
            "title_with_label": labels.title_with_label(piece),
            "is_sponsored": piece.is_sponsored,
            "label": piece.label,
            "published_at": iso(piece.published_at),
        }


def article_data(article: Article, *, detail: bool = True, body: bool | None = None) -> dict:
    """The article as ``ArticleSerializer`` (``detail``) or ``ArticleListItemSerializer``
    gives it; ``body`` adds the sanitised body to a list item. Labels, the byline
    sentence and citations are in the article's language, as on its page."""
    with labels.in_language(article):
        return _article_data(article, detail=detail, body=body)


def _article_data(article: Article, *, detail: bool, body: bool | None) -> dict:
    published = article.published_at
    review = article.latest_review
    level = article.ai_involvement_level
    section = article.section
    data = {
        "id": article.pk,
        "url": absolute(article.get_absolute_url()) if article.is_published else None,
        "slug": article.slug,
        "status": article.status,
        "headline": article.headline,
        "title_with_label": labels.title_with_label(article),
        "dek": article.dek,
    }
    if detail if body is None else body:
        data["body"] = sanitize_html(article.body, sponsored=article.is_sponsored)
        images, embeds = shown_media(article.body, images_of(article))
        data["body_media"] = {
            "images": [image_data(image) for image in images],
            "embeds": embeds_data(embeds),
        }
    data |= {
        "type_of_work": article.work_type.value,
        "schema_type": article.schema_type,
        "language": article.language,
        "translations": translations_data(article),
        "section": (
            {"id": section.pk, "name": section.name, "slug": section.slug} if section else None
        ),
        "tags": sorted(tag.name for tag in article.tags.all()),
        "is_sponsored": article.is_sponsored,
        "label": article.label,
        "sponsorship": sponsorship_data(article),
        "bylines": [byline_data(b, brief=not detail) for b in article.byline_list],
        "byline_text": labels.byline_text(article),
        "reviewed_by": (
            {
                "reviewer": review.reviewer_name,
                "reviewed_at": iso(review.reviewed_at),
                "version": review.version,
            }
            if review
            else None
        ),
        "ai_involvement": {
            "level": article.ai_involvement,
            "label": level.label,
            "digital_source_type": level.digital_source_type,
        },
        # Dates in citations read relative to the article's own publication date.
        "claims": [
            claim_data(
                claim,
                reference=published.date() if published else None,
                passages=article.is_published,  # third parties' words: once the page shows them
            )
            for claim in article.claims.all()
        ],
        "corrections": [
            {
                "kind": c.kind,
                "text": c.text,
                "created_at": iso(c.created_at),
                "claims": [corrected_claim_data(row) for row in c.corrected_claims.all()],
            }
            for c in article.corrections.all()
        ],
        "lead_image": image_data(article.lead_image, ALL_SPECS if detail else TEASER_SPECS),
        "published_at": iso(published),
        "embargoed_until": iso(article.embargoed_until),
        "expires_at": iso(article.expires_at),
        "updated_at": iso(article.updated_at),
        "modified_at": iso(article.modified_at),
        "version": article.version,
    }
    return data
