"""Show each claim's sources where the claim stands in the body."""

import re
import unicodedata
from bisect import bisect_right

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from sources.citations import CitedClaim
from sources.text import fold, normalise_text

# What breaks the one-to-one reading of the body: a tag (a block tag reads as a space,
# others as nothing), a stray "<" (dropped), an entity (decoded).
_EVENT = re.compile(r"<[^>]+>|<|&#?\w+;")
_BLOCK = re.compile(
    r"</?(?:p|br|hr|li|ul|ol|h[1-6]|blockquote|div|figure|figcaption|table|tr|td|th)\b",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s\s+")
_ODD_SPACE = re.compile(r"[^\S ]")
_QUOTES = {"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "}


class _ReaderText:
    """The body as ``normalise_text`` sees it, and where each of its characters ends in
    the body (so markup can be inserted right behind any character).

    The body reads as ``fold`` reads it one character at a time (entities decoded,
    each character composed on its own, quotes and spaces made plain, a run of spaces
    made one, tags dropped and block tags read as a space), but a stretch at a time:
    between two tags or entities the body maps onto the text one to one, so each
    stretch is one segment (its first text index, the body offset after its first
    character, step 1); an entity's characters all end where it ends (step 0).
    """

    def __init__(self, body: str) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []  # text index where each segment starts
        self.bases: list[int] = []  # body offset just after the segment's first character
        self.steps: list[int] = []  # 1: one body character per text character; 0: all alike
        self.length = 0
        self.spaced = True  # nothing read yet, or the last character read was a space
        if not body.isascii():
            for quote, plain in _QUOTES.items():  # one character for one: offsets hold
                body = body.replace(quote, plain)
        done = 0
        for event in _EVENT.finditer(body):
            start = event.start()
            if start > done:
                self._plain(body[done:start], done)
            token = event.group()
            if token[0] == "&":
                self._emit(fold(token), event.end(), 0)
            elif not self.spaced and _BLOCK.match(token):
                self._segment(" ", start, 0)
                self.spaced = True
            done = event.end()
        if done < len(body):
            self._plain(body[done:], done)
        self.text = _ODD_SPACE.sub(" ", "".join(self.parts))

    def offset(self, index: int) -> int:
        """The body offset just after the character at ``index`` in the text."""
        segment = bisect_right(self.starts, index) - 1
        return self.bases[segment] + self.steps[segment] * (index - self.starts[segment])

    def _plain(self, text: str, at: int) -> None:
        if not (text.isascii() or unicodedata.is_normalized("NFC", text)):
            # Composing happens one character at a time, never across two.
            for i, char in enumerate(text):
                self._emit(fold(char), at + i + 1, 0)
        elif "  " in text or not text.isprintable():  # a run of spaces, or odd ones
            self._emit(text, at + 1, 1)
        else:  # the common case: single plain spaces between words
            if self.spaced and text[0] == " ":
                text, at = text[1:], at + 1
            if text:
                self._segment(text, at + 1, 1)
                self.spaced = text[-1] == " "

    def _emit(self, text: str, base: int, step: int) -> None:
        """Read ``text``, whose i-th character ends at ``base + step * i`` in the body."""
        if self.spaced:
            stripped = text.lstrip()
            base += step * (len(text) - len(stripped))
            text = stripped
        if not text:
            return
        start = 0
        for run in _SPACES.finditer(text):  # keep the first space of each run
            self._segment(text[start : run.start() + 1], base + step * start, step)
            start = run.end()
        self._segment(text[start:], base + step * start, step)
        self.spaced = text[-1].isspace()

    def _segment(self, text: str, base: int, step: int) -> None:
        if text:
            self.parts.append(text)
            self.starts.append(self.length)
            self.bases.append(base)
            self.steps.append(step)
            self.length += len(text)


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


def annotate_claims(
    body: str, cited_claims: list[CitedClaim], marks: dict | None = None
) -> SafeString:
    """``body`` (already sanitised) with each claim's citation right after the claim, and
    after that its mark from ``marks`` (by claim id: ``articles.site.corrected``), if any."""
    marks = marks or {}
    reader = None
    insertions = []
    for number, cited in enumerate(cited_claims, start=1):
        needle = normalise_text(cited.claim.text) if cited.parts else ""
        if not needle:
            continue
        reader = reader or _ReaderText(body)
        at = reader.text.find(needle)
        if at < 0:
            continue  # detached: the publish gates keep these off live pages
        markup = citation_markup(cited, number)
        if marks:
            markup += marks.get(cited.claim.pk, "")
        insertions.append((reader.offset(at + len(needle) - 1), number, markup))
    pieces, end = [], len(body)
    for offset, _, markup in sorted(insertions, key=lambda i: (i[0], i[1]), reverse=True):
        pieces += [body[offset:end], markup]
        end = offset
    pieces.append(body[:end])
    # The body was sanitised by nh3 and the citations are format_html output: safe.
    return mark_safe("".join(reversed(pieces)))  # noqa: S308 # nosec B308 B703
