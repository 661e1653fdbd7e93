from django import template
from django.utils.safestring import mark_safe

from articles.sanitize import sanitize_html

register = template.Library()


@register.filter
def sanitized(html: str) -> str:
    """Body HTML through the one allow-list again at render time (defence in depth)."""
    return mark_safe(sanitize_html(html))  # noqa: S308 - nh3 has just cleaned it
