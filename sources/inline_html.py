"""Taking inline citations (``sources.inline``) out of an article's body: from its plain
text, and from its HTML with the markup around them kept. Pure, as the parser is."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sources.inline import BLOCK_TAG, Citation
from sources.text import fold, normalise_text


def remove(text: str, citations: Iterable[Citation]) -> str:
    """``text`` (the body's plain text) without the removable ``citations``."""
    for citation in sorted(citations, key=lambda c: c.start, reverse=True):
        if not citation.removable:
            continue
        rest = text[citation.end :]
        if citation.capitalise and rest:
            rest = rest[0].upper() + rest[1:]
        text = text[: citation.start] + rest
    return text


_TOKEN = re.compile(r"(<[^>]*>)|(&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);?)|(.)", re.I | re.S)
_FOLD = {"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "}


def _text_map(body: str) -> tuple[str, list[tuple[int, int]]] | None:
    """The body's plain text (as ``normalise_text`` makes it) and, for each of its
    characters, the stretch of HTML it comes from; None where the two cannot be lined
    up (Unicode composition changed the text)."""
    chars: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(body):
        if m.group(1):
            if BLOCK_TAG.fullmatch(m.group(1)):
                chars.append((" ", m.start(), m.start()))  # never remove a block's tag
        elif m.group(2):
            chars.extend((c, m.start(), m.end()) for c in fold(m.group(2)))
        else:
            chars.append((_FOLD.get(m.group(3), m.group(3)), m.start(), m.end()))
    text, spans = [], []
    for char, start, end in chars:
        if char.isspace():
            if text and text[-1] == " ":
                spans[-1] = (spans[-1][0], max(spans[-1][1], end))
                continue
            char = " "
        text.append(char)
        spans.append((start, end))
    while text and text[-1] == " ":
        text.pop(), spans.pop()
    while text and text[0] == " ":
        text.pop(0), spans.pop(0)
    plain = "".join(text)
    return (plain, spans) if plain == normalise_text(body) else None


_TAG_PARTS = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_VOID = {"br", "hr", "img", "wbr"}


def _balanced(fragment: str) -> bool:
    """True when every element the HTML ``fragment`` opens it also closes, and it closes
    none it did not open: a whole link around a source's name may go with it."""
    open_tags: list[str] = []
    for closing, name, self_closing in _TAG_PARTS.findall(fragment):
        name = name.lower()
        if name in _VOID or self_closing:
            continue
        if not closing:
            open_tags.append(name)
        elif not open_tags or open_tags.pop() != name:
            return False
    return not open_tags


def mark_crossing_markup(body: str, citations: Iterable[Citation]) -> None:
    """Give each removable citation whose words cross the body's markup (begin inside a
    bold or a link and end outside it) a reason: taking a slice of HTML out would break
    the markup, so the citation is left for the editor to take out by hand."""
    citations = [c for c in citations if c.removable and c.end > c.start and not c.reason]
    mapped = _text_map(body) if citations else None
    if mapped is None:
        return
    text, spans = mapped
    for citation in citations:
        if citation.end > len(text):
            continue
        if not _balanced(body[spans[citation.start][0] : spans[citation.end - 1][1]]):
            citation.reason = (
                f"“{citation.text}” crosses the body's formatting (bold, italics or a "
                "link): take its words out by hand."
            )


def remove_from_html(body: str, citations: Iterable[Citation]) -> str | None:
    """``body`` without the removable ``citations``' words, markup kept around them;
    None when the body's text cannot be lined up with its HTML."""
    citations = [c for c in citations if c.removable and c.end > c.start]
    if not citations:
        return body
    mapped = _text_map(body)
    if mapped is None:
        return None
    text, spans = mapped
    if any(c.end > len(text) or c.text not in text[c.start : c.end] for c in citations):
        return None  # the text read is not this body's: take nothing out
    for citation in sorted(citations, key=lambda c: c.start, reverse=True):
        start, end = spans[citation.start][0], spans[citation.end - 1][1]
        if not _balanced(body[start:end]):
            return None  # its words cross markup (mark_crossing_markup says so first)
        rest = body[end:]
        if citation.capitalise and citation.end < len(text):
            at = spans[citation.end][0] - end
            if 0 <= at < len(rest) and rest[at].islower():
                rest = rest[:at] + rest[at].upper() + rest[at + 1 :]
        body = body[:start] + rest
    return body
