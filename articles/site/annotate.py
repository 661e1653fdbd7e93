"""Show each claim's sources where the claim stands in the body."""

import re

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from sources.citations import CitedClaim
from sources.text import fold, normalise_text

_TOKEN = re.compile(r"<[^>]+>|[^<]+")
_CHAR = re.compile(r"&#?\w+;|.", re.DOTALL)
_BLOCK = re.compile(
    r"</?(?:p|br|hr|li|ul|ol|h[1-6]|blockquote|div|figure|figcaption|table|tr|td|th)\b",
    re.IGNORECASE,
)


def _reader_text(body: str) -> tuple[str, list[int]]:
    """The body as ``normalise_text`` sees it, with, for each character, the offset in
    ``body`` just after it (so markup can be inserted right behind any character)."""
    chars: list[str] = []
    offsets: list[int] = []

    def emit(char: str, offset: int) -> None:
        if char.isspace():
            if not chars or chars[-1] == " ":
                return
            char = " "
        chars.append(char)
        offsets.append(offset)

    for token in _TOKEN.finditer(body):
        if token.group().startswith("<"):
            if _BLOCK.match(token.group()):
                emit(" ", token.start())
            continue
        for piece in _CHAR.finditer(token.group()):
            for char in fold(piece.group()):
                emit(char, token.start() + piece.end())
    return "".join(chars), offsets


def citation_markup(cited: CitedClaim, number: int) -> SafeString:
    links = format_html_join(
        "; ",
        '<a href="#source-{}">{}</a>',
        ((source, words) for words, source in cited.parts),
    )
    return format_html(
        ' <span class="citation" id="claim-{}">(<span class="visually-hidden">Source: '
        "</span>{})</span>",
        number,
        links,
    )


def annotate_claims(body: str, cited_claims: list[CitedClaim]) -> SafeString:
    """``body`` (already sanitised) with each claim's citation right after the claim."""
    text, offsets = _reader_text(body)
    insertions = []
    for number, cited in enumerate(cited_claims, start=1):
        needle = normalise_text(cited.claim.text)
        at = text.find(needle) if needle and cited.parts else -1
        if at < 0:
            continue  # detached or unsourced: the publish gates keep these off live pages
        insertions.append((offsets[at + len(needle) - 1], number, citation_markup(cited, number)))
    for offset, _, markup in sorted(insertions, key=lambda i: (i[0], i[1]), reverse=True):
        body = body[:offset] + markup + body[offset:]
    return mark_safe(body)  # noqa: S308 - sanitised body plus our own escaped markup
