from django import template
from django.utils.safestring import mark_safe

from articles import labels
from articles.sanitize import sanitize_html

register = template.Library()


@register.filter
def sanitized(html: str) -> str:
    """Body HTML through the one allow-list again at render time (defence in depth)."""
    # nh3 has just cleaned it with the one allow-list.
    return mark_safe(sanitize_html(html))  # noqa: S308 # nosec B308 B703


# The label and byline wording lives in articles.labels; templates only call it.
register.filter("title_with_label", labels.title_with_label)
register.filter("byline_text", labels.byline_text)
register.filter("byline_groups", labels.byline_groups)
register.filter("reviewed_by", labels.reviewed_by)
register.filter("ai_mark", labels.teaser_ai_mark)
