"""``{% picture image "card" sizes="…" loading="lazy" %}``: responsive images for pages."""

import logging

from django import template

from articles.media import renditions

register = template.Library()
logger = logging.getLogger("newsroom.images")


@register.inclusion_tag("articles/_picture.html")
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
    return {
        "image": image,
        "spec": spec,
        "picture": made,
        "original": original,
        "sizes": sizes,
        "loading": loading,
        "caption": caption,
    }
