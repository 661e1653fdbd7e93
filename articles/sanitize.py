"""The one HTML allow-list for article bodies.

The admin editor (django-prose-editor), the article's ``save()`` and the
templates all use this allow-list, so what an editor can make is exactly
what is stored and what readers get. HTML from anywhere else (the API,
agents' Markdown) is cleaned by the same function.
"""

from functools import cache

from django_prose_editor.fields import create_sanitizer

BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
}


@cache
def _cleaner():
    return create_sanitizer(BODY_EXTENSIONS)


def sanitize_html(html: str) -> str:
    """Return ``html`` with everything outside the body allow-list removed."""
    return _cleaner()(html or "")
