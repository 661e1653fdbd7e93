"""Small pieces of HTML the admin screens share: status badges, image thumbnails and
the compact diff of two revisions."""

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles.media import renditions
from articles.models import AIInvolvement, Article, Image
from articles.publishing import revisions

STATUS_COLOURS = {
    Article.Status.DRAFT: "#5f6368",
    Article.Status.IN_REVIEW: "#8a5a00",
    Article.Status.APPROVED: "#1f6f43",
    Article.Status.SCHEDULED: "#1a4f8b",
    Article.Status.PUBLISHED: "#0b6b2f",
    Article.Status.UNPUBLISHED: "#9b1c1c",
}


# Under embargo: partners already have it, so it must not read as an ordinary schedule.
EMBARGO_COLOUR = "#6b2fa0"


def status_badge(article: Article) -> str:
    if until := article.embargoed_until:
        colour, text = EMBARGO_COLOUR, f"Embargoed until {timezone.localtime(until):%-d %b %H:%M}"
        kind = "embargoed"
    else:
        colour, text = STATUS_COLOURS.get(article.status, "#5f6368"), article.get_status_display()
        kind = article.status
    # The colour inline: it is data (one per state), the shape is admin.css's .badge.
    return format_html(
        '<span class="badge status-badge status-{}" style="background:{}">{}</span>',
        kind,
        colour,
        text,
    )


def status_badges(article: Article) -> str:
    """The list's state column: the state, then the reader-facing label and the AI
    involvement as small badges, so one narrow column says all three."""
    ai = article.ai_involvement
    return format_html(
        '<span class="badges">{}{}{}</span>',
        status_badge(article),
        format_html(' <span class="badge badge-label">{}</span>', article.label)
        if article.label
        else "",
        format_html(' <span class="badge badge-ai">{}</span>', article.get_ai_involvement_display())
        if ai and ai != AIInvolvement.NONE
        else "",
    )


def compact_date(when) -> str:
    """A list's date in one short line ("4 Dec 16:25", the year only when it is not this
    one's); a dash when there is none."""
    if when is None:
        return "—"
    local = timezone.localtime(when)
    if local.year == timezone.localtime().year:
        return f"{local:%-d %b %H:%M}"
    return f"{local:%-d %b %Y %H:%M}"


def list_thumbnail(image: Image | None) -> str:
    """A list row's small picture, from the renditions the list prefetched: never a query
    or a resize while the list draws (a missing one shows an empty frame until made)."""
    if image is None:
        return format_html('<span class="list-thumbnail list-thumbnail-empty">{}</span>', "")
    key = image.rendition_key
    made = [
        r
        for r in image.renditions.all()
        if r.spec == "thumbnail" and r.format == "webp" and r.source_key == key
    ]
    if not made:
        return format_html('<span class="list-thumbnail list-thumbnail-empty">{}</span>', "")
    smallest = min(made, key=lambda r: r.width)
    return format_html(
        '<img src="{}" alt="" width="48" height="48" loading="lazy" '
        'class="list-thumbnail image-thumbnail">',
        smallest.file.url,
    )


def article_link(article: Article) -> str:
    """A link to the article's own page, where its records are changed through the workflow."""
    return format_html(
        '<a href="{}">{}</a>', reverse("admin:articles_article_change", args=[article.pk]), article
    )


def image_thumbnail(image: Image, *, width: int = 80) -> str:
    """The admin's small preview of an image: its square 160 px WebP rendition at ``width``."""
    try:
        thumbnail = renditions.get_rendition(image, "thumbnail", "webp")
    except renditions.RenditionError:
        return format_html('<span class="image-missing">{}</span>', "Image file unreadable")
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}" loading="lazy" class="image-thumbnail">',
        thumbnail.file.url,
        width,
        round(width * thumbnail.height / thumbnail.width),
    )


def diff_html(changes: list[revisions.FieldDiff], per_field: int = 6) -> str:
    """A compact list of removed and added lines, field by field."""

    def marked(op: str, text: str) -> str:
        return format_html("<del>{}</del>" if op == "-" else "<ins>{}</ins>", text)

    return format_html_join(
        "",
        "<li><strong>{}</strong>: {}</li>",
        (
            (
                change.label,
                format_html_join(
                    " ",
                    "{}",
                    ((marked(op, text),) for op, text in change.lines[:per_field] if op != " "),
                ),
            )
            for change in changes
        ),
    )
