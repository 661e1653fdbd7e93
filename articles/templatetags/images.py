"""``{% picture image "card" sizes="…" loading="lazy" %}``: responsive images for pages."""

import logging
from collections import OrderedDict

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string

from articles.media import renditions

register = template.Library()
logger = logging.getLogger("newsroom.images")

# Rendered pictures by everything their markup is made of (see _facts), newest use last.
# The same picture appears on many pages (a lead image on its article, its section, the
# home page, the rail), and its markup is a tenth of a list page's rendering time.
RENDERED_PICTURES = 4096
_rendered: OrderedDict[tuple, str] = OrderedDict()


@register.simple_tag
def picture(image, spec: str, sizes: str = "100vw", loading: str = "lazy", caption: bool = True):
    """A <figure> with a <picture>: WebP srcset ladder, JPEG/PNG fallback <img> with width,
    height and alt (so nothing shifts as it loads), and a figcaption with the caption, the
    credit and, for AI-generated pictures, their label (shown even when ``caption`` is off).

    Renditions not made yet are queued, and meanwhile the original is shown (its own
    width and height, no srcset); see articles.media.renditions.
    """
    if spec not in renditions.SPECS:
        raise template.TemplateSyntaxError(
            f"Unknown picture spec {spec!r}; choose from {sorted(renditions.SPECS)}."
        )
    if loading not in ("lazy", "eager"):
        raise template.TemplateSyntaxError('loading must be "lazy" or "eager".')
    made = original = None
    if image is not None:
        try:
            made = renditions.ready_picture(image, spec)
            original = image.file if made is None and image.file else None
        except renditions.RenditionError:
            # A page without its picture beats no page: say so in the log, not to readers.
            logger.exception("Could not make the %s renditions of image %s", spec, image.pk)
    if image is None or not (made or original):
        return ""
    facts = _facts(image, made, original, spec, sizes, loading, caption)
    if (html := _rendered.get(facts)) is not None:
        _rendered.move_to_end(facts)
        return html
    html = render_to_string(
        "articles/_picture.html",
        {
            "image": image,
            "spec": spec,
            "picture": made,
            "original": original,
            "sizes": sizes,
            "loading": loading,
            "caption": caption,
        },
    )
    _rendered[facts] = html
    if len(_rendered) > RENDERED_PICTURES:
        _rendered.popitem(last=False)
    return html


def _facts(image, made, original, *options) -> tuple:
    """Every value ``_picture.html`` shows: the same facts always make the same markup,
    so a changed caption, label, alt text or rendition is a new entry, never a stale one."""
    files = (
        tuple((r.file.name, r.width, r.height) for r in (*made.webp, *made.fallback))
        if made
        else (original.name, image.width, image.height)
    )
    shown = (image.alt_text, image.reader_label, image.caption, image.credit)
    return (image.pk, files, shown, options)


@receiver(setting_changed)
def _forget_urls(setting, **kwargs):
    # The markup holds URLs made by the storage the settings describe.
    if setting in ("MEDIA_URL", "STORAGES"):
        _rendered.clear()
