"""The words inline citations (``sources.inline``) are written with: dates, the kinds
of document, and how one outlet passed a source on to the next."""

from __future__ import annotations

import datetime as dt
import re

# "jan", "january", …: each month by its names, as dates are written in English.
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ],
        start=1,
    )
    for name in names.split()
}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DATE = re.compile(
    rf"(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH})|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?!\d))"
    r"(?:,?\s+(?P<year>\d{4}))?",
    re.IGNORECASE,
)
# Words naming what kind of document it is ("Sony's May 8 release", "a Reuters report").
KIND_WORDS = {
    "press release": ("press_release",),
    "release": ("press_release",),
    "statement": ("press_release",),
    "report": ("wire_report", "news_article"),
    "article": ("news_article",),
    "story": ("news_article", "wire_report"),
    "filing": ("filing",),
    "data": ("dataset",),
    "dataset": ("dataset",),
    "interview": ("interview",),
}
KIND = re.compile(
    r"(?:" + "|".join(sorted(KIND_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
# How one outlet passed a source to the next, as written between their names.
CONNECTORS = re.compile(
    r"\s*(?:,\s*)?(?:(?P<carried>as carried by|carried by|published by|via|/)"
    r"|(?P<quoted>as quoted by|quoted by|as cited by|cited by|as reported by)"
    r"|(?P<data>using data from|data via))\s*",
    re.IGNORECASE,
)


def day_of(match: re.Match) -> tuple[int, int, int | None]:
    month = MONTHS[(match["m1"] or match["m2"]).lower().rstrip(".")]
    year = int(match["year"]) if match["year"] else None
    return month, int(match["d1"] or match["d2"]), year


def to_date(day: tuple[int, int, int | None] | None, reference: dt.date | None):
    if day is None:
        return None
    month, number, year = day
    try:
        return dt.date(year or (reference.year if reference else 2000), month, number)
    except ValueError:
        return None


_SENTENCE_END = re.compile(r"(?<![A-Z])(?<!\b[A-Z][a-z])[.!?][\"')\]]*(?=\s+[\"'(\[A-Z0-9]|$)")
# Words a full stop follows without ending the sentence.
ABBREVIATIONS = {
    *(m for m in MONTHS if len(m) <= 4 and m not in ("may", "june", "july")),
    "inc",
    "corp",
    "co",
    "ltd",
    "no",
    "vs",
    "approx",
    "est",
    "dept",
}


def sentences(text: str) -> list[tuple[int, int]]:
    """Where each sentence of ``text`` starts and ends."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        word = re.search(r"(\w+)\.$", text[start : m.start() + 1])
        if word and word.group(1).lower() in ABBREVIATIONS:
            continue  # "Apr. 10", "Kestrel Inc. said"
        spans.append((start, m.end()))
        start = m.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans
