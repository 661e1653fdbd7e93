"""The body as readers and partners get it: its picture and embed markers drawn.

A stored body holds ``<figure data-image="ID"></figure>`` and ``<figure
data-embed="URL"></figure>`` markers (``articles.sanitize``, ``articles.media.embeds``). The
page draws a picture as ``{% picture %}`` does a lead image (renditions, caption,
credit, the "AI-generated image" label) and an embed as a sandboxed iframe or a link
card; ninjs gets plain ``<img>`` and links with absolute URLs. A marker naming an image
that no longer exists, or a provider no longer on the allow-list, is left out.

All the pictures of a body (or of a page of bodies) come from one query, and their
renditions from one more (``images_for``), however many there are.
"""

import re

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.media import embeds, renditions
from articles.models import Image, Rendition
from articles.prefetch import prefetched
from articles.templatetags.images import picture

# A marker and whatever ended up inside it (the editor writes none): drawn as one.
_FIGURE = re.compile(r'<figure data-(image|embed)="([^"]*)">(.*?)</figure>', re.DOTALL)
BODY_SIZES = "(min-width: 48rem) 42rem, 100vw"


def images_for(bodies: list[str]) -> dict[int, Image]:
    """The library images the ``bodies`` show, by id, with their renditions: two queries
    for all of them (none when no body shows a picture)."""
    ids = {pk for body in bodies for pk in embeds.markers(body)[0]}
    if not ids:
        return {}
    renditions_in_order = Rendition.objects.order_by("spec", "format", "width")
    images = (
        Image.objects.filter(pk__in=ids)
        .order_by()
        .prefetch_related(Prefetch("renditions", queryset=renditions_in_order))
    )
    return {image.pk: image for image in prefetched(images)}


def attach_images(articles: list) -> None:
    """Fetch the body pictures of ``articles`` together (``images_of`` then reads them)."""
    found = images_for([article.body for article in articles])
    for article in articles:
        article._body_images = found


def images_of(article) -> dict[int, Image]:
    """The pictures ``article``'s body shows: those ``attach_images`` fetched, or its own."""
    if not hasattr(article, "_body_images"):
        article._body_images = images_for([article.body])
    return article._body_images


def reader_html(body: str, images: dict[int, Image]) -> SafeString:
    """``body`` (sanitised, perhaps annotated) with its markers drawn for the site."""

    def draw(match: re.Match) -> str:
        kind, value = match[1], match[2]
        if kind == "image":
            image = images.get(int(value)) if value.isdigit() else None
            return picture(image, "hero", sizes=BODY_SIZES) if image else ""
        embed = embeds.parse(value.replace("&amp;", "&"))
        return render_to_string("articles/_embed.html", {"embed": embed}) if embed else ""

    # Safe: ``body`` is the sanitiser's output, and each marker becomes our own template's
    # escaped markup for an image we hold or an allow-listed embed.
    return mark_safe(_FIGURE.sub(draw, body))  # noqa: S308 # nosec B308 B703


def portable_html(body: str, images: dict[int, Image]) -> str:
    """``body`` for other systems (ninjs): pictures as ``<img>`` with an absolute URL,
    their label, caption and credit; embeds as links to where the provider shows them."""

    def draw(match: re.Match) -> str:
        kind, value = match[1], match[2]
        if kind == "image":
            image = images.get(int(value)) if value.isdigit() else None
            url = _picture_url(image) if image else ""
            if not url:
                return ""
            words = " ".join(filter(None, [image.reader_label, image.caption, image.credit]))
            caption = format_html("<figcaption>{}</figcaption>", words) if words else ""
            return format_html(
                '<figure><img src="{}" alt="{}">{}</figure>', url, image.alt_text, caption
            )
        embed = embeds.parse(value.replace("&amp;", "&"))
        if embed is None:
            return ""
        return format_html(
            '<p><a href="{}">{}: {}</a></p>', embed.link, embed.provider, _name(embed)
        )

    return _FIGURE.sub(draw, body)


def shown_media(body: str, images: dict[int, Image]) -> tuple[list[Image], list[embeds.Embed]]:
    """The pictures (that exist) and embeds (on the allow-list) ``body`` shows, in order,
    each once."""
    ids, urls = embeds.markers(body)
    shown = [images[pk] for pk in dict.fromkeys(ids) if pk in images]
    found = [embed for url in dict.fromkeys(urls) if (embed := embeds.parse(url))]
    return shown, found


def _name(embed: embeds.Embed) -> str:
    return f"{embed.title} by {embed.author}" if embed.author else embed.title


def _picture_url(image: Image) -> str:
    """The widest hero rendition in the fallback format, else the original (absolute)."""
    try:
        made = renditions.ready_picture(image, "hero")
    except renditions.RenditionError:
        made = None
    if made is not None:
        return settings.SITE_URL + made.fallback[-1].file.url
    return settings.SITE_URL + image.file.url if image.file else ""
