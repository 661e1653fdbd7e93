"""The one HTML allow-list for article bodies.

The admin editor (django-prose-editor), the article's ``save()`` and the
templates all use this allow-list, so what an editor can make is exactly
what is stored and what readers get. HTML from anywhere else (the API,
agents' Markdown) is cleaned by the same function.
"""

from functools import cache

import nh3
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

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
def _cleaner(sponsored: bool) -> nh3.Cleaner:
    allowlist = allowlist_from_extensions(expand_extensions(BODY_EXTENSIONS))
    if sponsored:
        # Paid content: every link is marked as such for readers' agents and search engines.
        return nh3.Cleaner(**allowlist, set_tag_attribute_values={"a": {"rel": "sponsored"}})
    return nh3.Cleaner(**allowlist)


def sanitize_html(html: str, *, sponsored: bool = False) -> str:
    """Return ``html`` with everything outside the body allow-list removed.

    With ``sponsored``, links also get ``rel="sponsored"`` (Google's rule for paid links).
    """
    cleaned = _cleaner(sponsored).clean(html or "")
    # ProseMirror always leaves one empty paragraph: an empty body is empty.
    return "" if cleaned in ("<p></p>", "") else cleaned
