"""Plain-text normalisation shared by claim matching and search."""

import html
import re
import unicodedata

# Block-level tags separate words; inline ones (<em>, <a>…) may sit inside a word.
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|hr|li|ul|ol|h[1-6]|blockquote|div|figure|figcaption|table|tr|td|th)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "})


def normalise_text(value: str) -> str:
    """Text as a reader sees it: tags dropped, entities decoded, quotes and spaces folded.

    Claims are matched against the body in this form, so that the rich-text
    editor's markup, typographic quotes or re-wrapped lines never detach a claim.
    """
    text = fold(_TAG.sub("", _BLOCK_TAG.sub(" ", value)))
    return _SPACE.sub(" ", text).strip()


def fold(text: str) -> str:
    """Entities decoded, Unicode composed, typographic quotes and no-break spaces made plain."""
    return unicodedata.normalize("NFC", html.unescape(text)).translate(_QUOTES)
