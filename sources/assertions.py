"""Sentences of a body that read as factual assertions but are not claims.

A sentence is an assertion when it carries a figure or amount, a date, a direct quotation
or a reporting verb ("said", "according to"…); one that a claim covers (the claim's text
is in it, or it is in the claim) is sourced already. Sentences are read from the body as
``normalise_text`` reads it, so each is found verbatim in the text claims are matched
against, and "make it a claim" attaches.

Pure and deterministic: no models, no settings, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sources.text import fold, normalise_text

FIGURE, DATE, QUOTATION, REPORTING = "figure", "date", "quotation", "reporting"
KIND_LABELS = {
    FIGURE: "a figure or amount",
    DATE: "a date",
    QUOTATION: "a direct quotation",
    REPORTING: "a reporting verb",
}


@dataclass(frozen=True)
class Finding:
    """One unsourced sentence and why it reads as an assertion (``kinds``, in KIND_LABELS)."""

    text: str
    kinds: tuple[str, ...]

    @property
    def why(self) -> str:
        return ", ".join(KIND_LABELS[kind] for kind in self.kinds)


# -- splitting ------------------------------------------------------------------------

# Blocks: each paragraph, list item, heading, quotation or cell ends any sentence in it.
_BLOCK_SPLIT = re.compile(
    r"(</?(?:p|br|hr|li|ul|ol|h[1-6]|blockquote|div|figure|figcaption|table|tr|td|th|"
    r"pre|dl|dt|dd|section|article|aside)\b[^>]*>)",
    re.IGNORECASE,
)
_HEADING_OPEN = re.compile(r"<h[1-6]\b", re.IGNORECASE)
_HEADING_CLOSE = re.compile(r"</h[1-6]\s*>", re.IGNORECASE)
# A sentence end: . ! ? (and any closing quotes or brackets), a space, then what starts a
# sentence (a capital, a digit, an opening quote or bracket).
_END = re.compile(r"[.!?…]+[\"')\]»]*(?= +[\"'(\[«„]?[A-Z0-9À-ÖØ-Þ])")
_WORD_BEFORE = re.compile(r"([\w.'-]+)[.!?…]*[\"')\]]*$")
_NEXT_WORD = re.compile(r" +[\"'(\[«„]?([\w'-]+)")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words a period after which never ends a sentence.
_TITLES = _words(
    "mr mrs ms mx dr prof sr jr st sen rep gov gen lt col sgt capt cmdr adm rev hon pres "
    "supt insp det fr messrs mme mlle no nos vol fig figs pp p ch art sec approx vs v cf "
    "ca est dept univ assn bros ave rd blvd mt ft oz lb lbs km kg cm mm jan feb mar apr "
    "jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun"
)
# Initialisms ("U.S.") and these end a sentence only before a word that usually starts one.
_MAYBE_END = _words("inc ltd co corp plc llc etc al")
_STARTERS = _words(
    "the a an it its he she they we i you this that these those there but and so yet "
    "in on at after before when while if as his her their our my however meanwhile "
    "some many most no one two three"
)
_QUOTE_MARK = re.compile(r'["„«»]')
_INITIALISM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$")


def sentences(body: str) -> list[str]:
    """The body's sentences, each as ``normalise_text`` reads it; headings are titles, not
    sentences, and are left out."""
    found: list[str] = []
    in_heading = False
    for piece in _BLOCK_SPLIT.split(body):
        if _BLOCK_SPLIT.fullmatch(piece):
            if _HEADING_OPEN.match(piece):
                in_heading = True
            elif _HEADING_CLOSE.match(piece):
                in_heading = False
            continue
        if not in_heading and (text := normalise_text(piece)):
            found += split_text(text)
    return found


def split_text(text: str) -> list[str]:
    """``text`` (one block, normalised) cut into sentences."""
    quoted = _quoted_spans(text)
    parts, start = [], 0
    for end in _END.finditer(text):
        at = end.end()
        if _inside(at, quoted) or not _ends_sentence(text, start, end.start(), at):
            continue
        parts.append(text[start:at].strip())
        start = at
    parts.append(text[start:].strip())
    return [part for part in parts if part]


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where quotations open and close: straight quotes paired in order, „…" and «…»;
    one left open at the end of the block is ignored."""
    spans, opened = [], None
    for match in _QUOTE_MARK.finditer(text):
        mark, at = match.group(), match.start()
        if opened is None:
            if mark != "»":
                opened = at
        elif mark != "«" and mark != "„":
            spans.append((opened, at))
            opened = None
    return spans


def _inside(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(opened < at <= closed for opened, closed in spans)


def _ends_sentence(text: str, start: int, stop: int, at: int) -> bool:
    if text[stop] != ".":
        return True  # ! ? …
    match = _WORD_BEFORE.search(text, max(start, stop - 40), stop + 1)
    word = match.group(1).rstrip(".").lower() if match else ""
    if word in _TITLES:
        return False
    if word in _MAYBE_END or _INITIALISM.match(word) or (len(word) == 1 and word.isalpha()):
        following = _NEXT_WORD.match(text, at)
        return bool(following) and following.group(1).lower() in _STARTERS
    return True


# -- what makes an assertion ------------------------------------------------------------

# Single words are looked up in sets (one pass over the sentence's words); the few
# phrases and patterns run only when a cheap test says they may match.
_WORD = re.compile(r"[^\W\d_]+")
_FIGURE_WORDS = _words(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred hundreds thousand thousands million millions billion billions trillion "
    "trillions dozen dozens half double doubled doubling triple tripled treble trebled "
    "quadruple quadrupled halved tenfold twofold threefold percent twice thrice largest "
    "biggest smallest highest lowest fastest slowest cheapest busiest "
    # German and French, as the demo's translations write them.
    "dutzend douzaine verdoppelt doublé millionen milliarde milliarden milliard milliards "
    "prozent"
)
_FIGURE_MARK = re.compile(r"[\d%£$€¥₹]")
_FIGURE_PHRASE = re.compile(
    r"\b(?:per cent|pour cent|percentage points?|(?:a|one|two|three) (?:third|quarter|fifth|"
    r"tenth)s?|(?:a|new|all-time) record|record (?:highs?|lows?|levels?|numbers?))\b"
)
_MONTHS = _words(
    "January February March April June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
)
_DATE_WORDS = _words(
    "monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays "
    "thursdays fridays saturdays sundays yesterday today tonight tomorrow midnight midday noon"
)
_MAY = re.compile(r"(?<=[a-z,] )May\b|\bMay(?= \d)")  # the month, not "may" the verb
_DATE_PHRASE = re.compile(
    r"\b(?:last|next|this|earlier this|later this|previous|coming)\s+"
    r"(?:year|month|week|weekend|decade|century|spring|summer|autumn|fall|winter|quarter|"
    r"night|morning|evening)\b|\b(?:years?|months?|weeks?|days?|decades?) ago\b|"
    r"\b(?:first|second|third|fourth) quarter\b"
)
_DATE_FIGURE = re.compile(r"\b(?:1[5-9]|20)\d\d(?:s\b)?|\bQ[1-4]\b")
_DATE_CUES = _words("last next this previous coming ago quarter")
_QUOTATION = re.compile(
    r'"([^"]+)"|„([^"]+)"|«([^»]+)»|(?:^|(?<=[\s(\[—–-]))\'([^\']+?)\'(?![A-Za-z])'
)
_REPORTING_WORDS = _words(
    "said says told tells reported reports announced announces estimated estimates forecast "
    "forecasts forecasted predicted predicts confirmed stated claimed warned disclosed "
    "testified admitted sagte sagten berichtete laut zufolge kündigte selon"
)
_REPORTING_PHRASE = re.compile(r"\baccording to\b|\ba (?:déclaré|annoncé|indiqué)\b")
# "say" as a verb with a subject ("Engineers say"), not "to say", "cannot say", "no say".
_SAY = re.compile(
    r"(?<!to )(?<!would )(?<!could )(?<!can )(?<!will )(?<!might )(?<!must )"
    r"(?<!should )(?<!may )(?<!not )(?<!no )\bsay\b"
)


def assertion_kinds(sentence: str) -> tuple[str, ...]:
    """Why ``sentence`` reads as a factual assertion: its kinds, in a fixed order; empty
    for none."""
    sentence = fold(sentence)
    lowered = sentence.lower()
    cased = set(_WORD.findall(sentence))
    words = {word.lower() for word in cased}
    kinds = []
    has_digit = bool(_FIGURE_MARK.search(sentence))
    if has_digit or words & _FIGURE_WORDS or _FIGURE_PHRASE.search(lowered):
        kinds.append(FIGURE)
    if (
        cased & _MONTHS
        or words & _DATE_WORDS
        or ("May" in cased and _MAY.search(sentence))
        or (words & _DATE_CUES and _DATE_PHRASE.search(lowered))
        or (has_digit and _DATE_FIGURE.search(sentence))
    ):
        kinds.append(DATE)
    if any(mark in sentence for mark in "\"„«'"):
        for match in _QUOTATION.finditer(sentence):
            quoted = next(group for group in match.groups() if group).split()
            # Three words or more, and not a title ("The Lantern Keepers").
            if len(quoted) >= 3 and not all(word[0].isupper() for word in quoted):
                kinds.append(QUOTATION)
                break
    if (
        words & _REPORTING_WORDS
        or ("say" in words and _SAY.search(lowered))
        or (("according" in words or "a" in words) and _REPORTING_PHRASE.search(lowered))
    ):
        kinds.append(REPORTING)
    return tuple(kinds)


def unsourced_statements(body: str, claim_texts: Iterable[str] = ()) -> list[Finding]:
    """The body's assertions that no claim covers, in body order, each once."""
    claims = [text for text in (normalise_text(c) for c in claim_texts) if text]
    findings, seen = [], set()
    for sentence in sentences(body):
        if sentence in seen or any(c in sentence or sentence in c for c in claims):
            continue
        if kinds := assertion_kinds(sentence):
            seen.add(sentence)
            findings.append(Finding(sentence, kinds))
    return findings
