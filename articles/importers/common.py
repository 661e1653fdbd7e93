"""What every importer shares: the item as read from a file (``Piece``), the run over
all items with its progress bar, and the summary an operator reads at the end.

A reader (``wordpress``, ``ninjs``) turns a file into ``Entry`` rows: a ``Piece`` to
store, or a reason to skip or refuse the item, each named by its place in the file.
``saving.run`` stores each piece in a transaction of its own, so one bad item leaves
nothing behind while the others import.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.html import escape, strip_tags


class ImportFileError(Exception):
    """The whole file (or directory) cannot be read; nothing was imported."""


class ItemError(Exception):
    """This item is refused; the message says why."""


@dataclass
class Person:
    """An author to find (a human, by name, then slug) or create."""

    name: str
    slug: str = ""
    job_title: str = ""


@dataclass
class Source:
    """The document a piece rests on (agency copy): its publisher, and the lead it covers."""

    publisher: str
    title: str
    url: str = ""
    published_on: str = ""  # ISO date
    claim: str = ""  # the text of the body the source stands behind


@dataclass
class Picture:
    """A lead image as a file on disk, with what the export says about it."""

    path: str
    alt_text: str = ""
    caption: str = ""
    source_kind: str = "staff"  # Image.SourceKind, as the operator says (--image-source)
    sha256: str = ""  # of the file as it is on disk, so a replaced file counts as a change


@dataclass
class Piece:
    """One article as an export describes it, ready to be stored as a draft."""

    source: str  # ImportRecord.source: ``wordpress:<site>``, ``ninjs:<agency>``
    external_id: str
    headline: str
    body: str  # HTML; sanitised by Article.save like every other door's
    dek: str = ""
    slug: str = ""
    language: str = ""
    section: tuple[str, str] | None = None  # (slug, name)
    tags: list[str] = field(default_factory=list)
    authors: list[Person] = field(default_factory=list)
    picture: Picture | None = None
    document: Source | None = None
    ai_involvement: str = "none"
    note: str = ""  # for the revision and the audit trail: where it came from

    def fingerprint(self) -> str:
        """A hash of what the item says; the picture by its content, wherever its file is."""
        content = asdict(self)
        if content["picture"]:
            del content["picture"]["path"]
        data = json.dumps(content, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()


@dataclass
class Entry:
    """One item of the file: a piece to store, or why it is skipped or refused."""

    label: str  # ``item 3 (line 45, post 12)``
    piece: Piece | None = None
    skipped: str = ""
    error: str = ""
    notes: list[str] = field(default_factory=list)  # told in the summary, stored anyway


OUTCOMES = ("created", "updated", "unchanged", "skipped", "failed")


@dataclass
class Summary:
    title: str
    dry_run: bool = False
    counts: Counter = field(default_factory=Counter)
    not_imported: Counter = field(default_factory=Counter)  # kinds of item left alone
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    new_records: Counter = field(default_factory=Counter)  # "author", "section", …

    @property
    def ok(self) -> bool:
        return not self.failed

    def lines(self) -> list[str]:
        lines = [self.title]
        if self.dry_run:
            lines.append("Dry run: nothing was stored; the counts say what an import would do.")
        lines += [f"  {outcome:<10} {self.counts[outcome]}" for outcome in OUTCOMES]
        if self.not_imported:
            left = ", ".join(f"{n} {kind}" for kind, n in sorted(self.not_imported.items()))
            lines.append(f"Not articles, left alone: {left}")
        if self.new_records:
            made = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(self.new_records.items()))
            lines.append(f"New records: {made}")
        for heading, rows in (
            ("Skipped:", self.skipped),
            ("Failed (nothing stored for these):", self.failed),
            ("Notes:", self.notes),
        ):
            if rows:
                lines.append(heading)
                lines += [f"  {label}: {reason}" for label, reason in rows]
        return lines


class Progress:
    """A progress bar on the command's stderr, redrawn in place: ``[#####     ] 5/10``."""

    WIDTH = 30

    def __init__(self, stream, total: int, label: str):
        self.stream, self.total, self.label = stream, total, label

    def show(self, done: int) -> None:
        filled = self.WIDTH * done // self.total if self.total else self.WIDTH
        bar = "#" * filled + " " * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{self.total}", ending="")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("")


def describe(exc: ValidationError) -> str:
    """A model's validation errors on one line: ``headline: Ensure this value …``."""
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    return "; ".join(
        f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
        for name, messages in exc.message_dict.items()
    )


# -- text as exports carry it ------------------------------------------------------

_SPACE = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def plain(value: str) -> str:
    """Markup dropped, entities decoded, whitespace folded: for headlines and standfirsts."""
    return _SPACE.sub(" ", html.unescape(strip_tags(value or ""))).strip()


def shorten(value: str, limit: int) -> tuple[str, bool]:
    """``value`` within ``limit`` characters, cut at a word with “…”; and whether it was cut."""
    if len(value) <= limit:
        return value, False
    cut = value[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return f"{cut}…", True


def text_to_html(value: str) -> str:
    """Plain text as paragraphs: a blank line starts a new one, a line break stays one."""
    paragraphs = _PARAGRAPH_BREAK.split((value or "").replace("\r\n", "\n").strip())
    return "".join(
        "<p>" + escape(p.strip()).replace("\n", "<br>") + "</p>" for p in paragraphs if p.strip()
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
