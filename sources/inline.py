"""Citations written inline in an article's body, found and resolved to documents.

Pure and deterministic: no queries, no clock. Given the body (HTML) and the candidate
source documents, ``find`` returns each citation with the clause it supports, the
span of body text it occupies, and its sources resolved to documents (or why not).
The shapes newsrooms and agents write:

- after a clause, in parentheses: ``(Sony)``, ``(Sony; Reuters/Yahoo Finance)``,
  ``(Reuters via Yahoo Finance, April 10)``, ``(Bloomberg as quoted by Yahoo Finance)``;
- in running text: ``…, according to Sony.``, ``According to Sony's May 8 release, …``,
  ``according to Bloomberg as quoted by Yahoo Finance``, ``according to Sony's May 8
  release and a Reuters report published by Yahoo Finance``, chains ``according to
  Bloomberg as cited by Reuters, as carried by Yahoo Finance``;
- ``Sony said …`` / ``Reuters reported …``: the sentence is the claim and the words stay
  (taking "Sony said" away would leave "it" and "its" without a referent).

Positions are offsets in the body's plain text (``sources.text.normalise_text``), where
typographic quotes and no-break spaces are already folded.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.text import slugify

from sources.citations import Relation
from sources.inline_words import CONNECTORS, DATE, KIND, KIND_WORDS, day_of, sentences, to_date
from sources.text import fold, normalise_text

BLOCK_TAG = re.compile(
    r"</?(?:p|br|hr|li|ul|ol|h[1-6]|blockquote|div|figure|figcaption|table|tr|td|th)\b[^>]*>",
    re.IGNORECASE,
)
_ACCORDING = re.compile(r"\baccording to\s+", re.IGNORECASE)
_REPORTED = re.compile(
    r"\s+(?:said|says|reported|reports|announced|announces|stated|told|wrote|estimated)\b",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"[A-Z0-9][\w&.'-]*(?:\s+(?:[A-Z0-9&][\w&.'-]*|of|de|and))*")
_PAREN = re.compile(r"\s*\(([^()]{1,300})\)")
CLAIM_MAX = 1000


@dataclass(frozen=True)
class Candidate:
    """A document a citation may name: from the article's sources, or the library."""

    id: int
    title: str
    publisher: str
    published_on: dt.date | None = None
    kind: str = ""
    tier: int = 0  # 0: the article's own (or the request's); 1: the wider library

    def describe(self) -> str:
        day = f", {self.published_on:%-d %B %Y}" if self.published_on else ""
        return f"“{self.title}” ({self.publisher}{day})"


@dataclass
class Hop:
    publisher: str
    relation: str
    on: dt.date | None = None

    @property
    def words(self) -> str:
        return self.relation.replace("_", " ")


@dataclass
class Source:
    """One source named in a citation, resolved (``document``) or not (``reason``)."""

    text: str
    publisher: str
    day: tuple[int, int, int | None] | None = None  # (month, day, year or None)
    kinds: tuple[str, ...] = ()
    hops: list[Hop] = field(default_factory=list)  # the first is the attribution's "via"
    choices: list[Candidate] = field(default_factory=list)
    reason: str = ""

    @property
    def document(self) -> Candidate | None:
        return self.choices[0] if len(self.choices) == 1 and not self.reason else None

    @property
    def via(self) -> Hop | None:
        return self.hops[0] if self.hops else None


@dataclass
class Citation:
    """An inline citation: ``text`` at ``start``–``end`` of the body text, supporting
    ``claim``. Removing it leaves the claim's words in the body (``capitalise``: the
    first letter after it is made a capital, as it now starts the sentence)."""

    text: str
    start: int
    end: int
    claim: str
    sources: list[Source]
    capitalise: bool = False
    removable: bool = True
    reason: str = ""
    position: int = 0  # where the words themselves start in the body text

    @property
    def resolved(self) -> bool:
        return not self.reason and all(s.document is not None for s in self.sources)

    @property
    def problems(self) -> list[str]:
        if self.reason:
            return [self.reason]
        return [s.reason for s in self.sources if s.reason]

    @property
    def key(self) -> str:
        """Stable while the body does not change: names the citation in a form."""
        return f"{self.start}-{self.end}"


def key_of(name: str) -> str:
    return slugify(fold(name)) or fold(name).strip().lower()


class _Names:
    """Publisher names as they may be written, matched longest first."""

    def __init__(self, names: Iterable[str]):
        self.by_key = {key_of(n): n for n in names if key_of(n)}
        words = sorted({fold(n).strip() for n in self.by_key.values()}, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w])", re.I)
            if words
            else None
        )

    def at(self, text: str, pos: int, *, strict: bool) -> str:
        """The publisher name written at ``pos``: a known one, or (not ``strict``) any
        capitalised run of words; empty if none."""
        # Any case but a lower-case first letter: "(time)" is not the publisher Time.
        if self.pattern and (m := self.pattern.match(text, pos)) and not m.group(0)[0].islower():
            return m.group(0)
        if not strict and (m := _CAPITALISED.match(text, pos)):
            name = re.split(r"\s+(?:and|of|de)\s+(?=[a-z])|\s+and\s+", m.group(0))[0]
            return re.sub(r"'s?$|[.']+$", "", name)
        return ""

    def known(self, name: str) -> bool:
        return key_of(name) in self.by_key


_LEAD = re.compile(r"(?:an?|the)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"'s?(?=\s)")
_SPACES = re.compile(r"\s*")


def _chain(text: str, pos: int, names: _Names, *, strict: bool) -> tuple[Source | None, int]:
    """One source and the outlets it came through, read from ``pos``: ``Sony``, ``Sony's
    May 8 release``, ``a Reuters report published by Yahoo Finance``, ``Reuters via Yahoo
    Finance, April 10``, ``Bloomberg as cited by Reuters, as carried by Yahoo Finance``."""
    start = pos
    if lead := _LEAD.match(text, pos):
        pos = lead.end()
    name = names.at(text, pos, strict=strict)
    if not name:
        return None, start
    pos += len(name)
    source = Source(text="", publisher=name)
    possessive = _POSSESSIVE.match(text, pos)
    if possessive:
        pos = possessive.end()
    after = _SPACES.match(text, pos).end()
    if (day := DATE.match(text, after)) and (possessive or lead):
        source.day, pos = day_of(day), day.end()
        after = _SPACES.match(text, pos).end()
    if kind := KIND.match(text, after):
        source.kinds, pos = KIND_WORDS[kind.group(0).lower()], kind.end()
    while (m := CONNECTORS.match(text, pos)) and (
        hop_name := names.at(text, m.end(), strict=strict)
    ):
        relation = (
            Relation.QUOTED_BY if m["quoted"] else Relation.DATA_FROM if m["data"] else ""
        ) or Relation.CARRIED_BY
        pos = m.end() + len(hop_name)
        hop = Hop(hop_name, relation)
        # "…, on May 9": when this outlet carried it; "…, April 10": the document's date.
        if (on := re.compile(r",?\s+on\s+").match(text, pos)) and (
            day := DATE.match(text, on.end())
        ):
            hop.on, pos = to_date(day_of(day), None), day.end()
        source.hops.append(hop)
    comma = re.compile(r",\s*").match(text, pos)
    if source.day is None and comma and (day := DATE.match(text, comma.end())):
        source.day, pos = day_of(day), day.end()
    source.text = text[start:pos].strip()
    return source, pos


_SEPARATOR = re.compile(r"\s*(?:;|,?\s+and\s+)\s*")


def _sources(text: str, pos: int, names: _Names, *, strict: bool) -> tuple[list[Source], int]:
    """Sources separated by ``;`` or ``and``, read from ``pos``; past the first, only
    a known publisher's name (or "a/an …") carries on the list."""
    found: list[Source] = []
    source, pos = _chain(text, pos, names, strict=strict)
    while source is not None:
        found.append(source)
        if not (m := _SEPARATOR.match(text, pos)):
            break
        # In parentheses any name may follow a ";"; in running text "and" joins sources
        # only when a known outlet (or "a …") follows, not "and Microsoft said".
        loose = strict and ";" in m.group(0)
        lead = _LEAD.match(text, m.end())
        source, end = _chain(text, m.end(), names, strict=not (loose or lead))
        if source is not None:
            pos = end
    return found, pos


def _resolve(source: Source, candidates: Sequence[Candidate], names: _Names, reference):
    key = key_of(source.publisher)
    own = [c for c in candidates if key_of(c.publisher) == key]
    if not own:
        own = [c for c in candidates if key_of(c.publisher).startswith(key + "-")]
    for hop in source.hops:
        if not names.known(hop.publisher):
            source.reason = f"“{hop.publisher}” is not a known publisher (unknown intermediary)."
            return
    if not own:
        source.reason = f"No document from {source.publisher} is among the sources."
        return
    tier = min(c.tier for c in own)
    own = [c for c in own if c.tier == tier]
    if source.day is not None:
        month, number, year = source.day
        dated = [
            c
            for c in own
            if c.published_on
            and (c.published_on.month, c.published_on.day) == (month, number)
            and (year is None or c.published_on.year == year)
        ]
        if not dated:
            written = to_date(source.day, reference)
            day = f"{written:%-d %B}" if written else "that date"
            others = "; ".join(c.describe() for c in own[:3])
            source.reason = (
                f"No document from {source.publisher} is dated {day} "
                f"(the date does not match: {others})."
            )
            return
        own = dated
    if source.kinds and (kinded := [c for c in own if c.kind in source.kinds]):
        own = kinded
    source.choices = list(own)
    if len(own) > 1:
        listed = " and ".join(c.describe() for c in own[:3])
        source.reason = f"“{source.text}” matches {len(own)} documents: {listed}; choose one."


def segments(body: str) -> list[tuple[int, str]]:
    """The body's blocks as (offset in the body text, text); joined by one space, as
    ``normalise_text`` joins them."""
    segments, offset = [], 0
    for piece in BLOCK_TAG.split(body):
        text = normalise_text(piece)
        if text:
            segments.append((offset, text))
            offset += len(text) + 1
    return segments


def _tidy(clause: str) -> str:
    return re.sub(r"^[,;:\s]+|[\s,;:.!?]+$", "", clause)


_CLOSE_PAREN = re.compile(r"[\s.]*\)")
_LEAD_ACCORDING = re.compile(r"according to\s+", re.IGNORECASE)


def _in_sentence(sentence: str, names: _Names) -> list[Citation]:
    """The citations of one sentence, in order, their spans within it."""
    found: list[Citation] = []
    for m in _PAREN.finditer(sentence):
        pos = m.start(1)
        if lead := _LEAD_ACCORDING.match(sentence, pos):
            pos = lead.end()
        sources, pos = _sources(sentence, pos, names, strict=True)
        if not sources or not (close := _CLOSE_PAREN.match(sentence, pos)):
            continue  # "(PS5)", "(in dollars)": not a citation
        if close.end() != m.end():
            continue
        found.append(Citation(m.group(0).strip(), m.start(), m.end(), "", sources))
    for m in _ACCORDING.finditer(sentence):
        if any(c.start <= m.start() < c.end for c in found):
            continue
        sources, pos = _sources(sentence, m.end(), names, strict=False)
        if not sources:
            continue
        text = sentence[m.start() : pos]
        before = sentence[: m.start()].rstrip()
        if not before:  # "According to Sony, sales rose."
            comma = re.compile(r"\s*,?\s*").match(sentence, pos)
            found.append(Citation(text, 0, comma.end(), "", sources, capitalise=True))
        elif before.endswith(","):  # "Sales rose, according to Sony." / "Sales, according…, rose"
            end = pos + (1 if sentence[pos : pos + 1] == "," else 0)
            found.append(Citation(text, len(before) - 1, end, "", sources))
        else:  # "Sales rose according to Sony."
            found.append(Citation(text, len(before), pos, "", sources))
    if not found and (m := _REPORTED.search(sentence)):
        name = names.at(sentence, 0, strict=True)
        if name and len(name) == m.start():
            source = Source(text=name, publisher=name)
            found.append(Citation(name, 0, 0, "", [source], removable=False))
    kept: list[Citation] = []
    for citation in sorted(found, key=lambda c: c.start):
        if not kept or citation.start >= kept[-1].end:  # two never share a character
            kept.append(citation)
    return kept


def _claim(sentence: str, citation: Citation, previous: Citation | None, following: int) -> str:
    """The words ``citation`` supports, as they read once it (and the one before it in
    the sentence, ``previous``) is taken out."""
    start = previous.end if previous else 0
    before = sentence[start : citation.start]
    if previous and previous.capitalise:  # "According to X, the …" now reads "The …"
        before = before[:1].upper() + before[1:]
    if not citation.removable:  # "Sony said …": the whole sentence
        return _tidy(before + sentence[citation.start : following])
    rest = sentence[citation.end : following]
    if citation.capitalise:
        return _tidy(rest[:1].upper() + rest[1:])
    if citation.text.startswith("("):
        return _tidy(before)
    # Running text: the clause on both sides of "…, according to X, …".
    return _tidy(before + rest)


def find(
    body: str,
    candidates: Sequence[Candidate],
    publishers: Iterable[str] = (),
    *,
    reference: dt.date | None = None,
) -> list[Citation]:
    """Every inline citation in ``body``, in body order, with its claim and its sources
    resolved among ``candidates`` (names in ``publishers`` are known outlets too)."""
    names = _Names([*publishers, *(c.publisher for c in candidates)])
    citations: list[Citation] = []
    for offset, text in segments(body):
        for s_start, s_end in sentences(text):
            sentence = text[s_start:s_end]
            found = _in_sentence(sentence, names)
            ends = [c.start for c in found[1:]] + [len(sentence)]
            for i, citation in enumerate(found):  # all in the sentence's own offsets first
                citation.claim = _claim(sentence, citation, found[i - 1] if i else None, ends[i])
                citation.position = max(
                    sentence.find(citation.text, citation.start), citation.start
                )
            for citation in found:
                citation.start, citation.end = (
                    citation.start + offset + s_start,
                    citation.end + offset + s_start,
                )
                citation.position += offset + s_start
                if not citation.claim:
                    citation.reason = "There is no clause before this citation to make a claim of."
                elif len(citation.claim) > CLAIM_MAX:
                    citation.reason = "The clause is too long for a claim: split the sentence."
                for source in citation.sources:
                    _resolve(source, candidates, names, reference)
            citations += found
    return citations
