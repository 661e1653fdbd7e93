"""A WordPress export (WXR) as pieces to import: posts only, with their authors,
categories (the first becomes the section, the others tags), tags, excerpt (the
standfirst) and featured image when its file is at hand.

WordPress stores posts without paragraph tags and adds them when it shows a post
(``wpautop``); ``autop`` below does the part of that an article needs: a blank line
starts a paragraph, a line break stays one, and chunks that already are blocks
(``<p>``, headings, lists, quotes, block-editor comments) are kept as they are. The
caption, gallery and embed shortcodes are dropped, their contents kept. Pictures in the
body are not imported (the body allow-list has no images); only the featured image is.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element  # nosec B405

from django.utils.text import slugify

from articles.importers import wxr
from articles.importers.common import (
    Entry,
    ImportFileError,
    Person,
    Picture,
    Piece,
    file_sha256,
    plain,
    shorten,
)

NOT_IMPORTED_STATUSES = {
    "trash": "in WordPress's trash",
    "auto-draft": "an empty automatic draft",
    "inherit": "a revision of another post",
}
DEFAULT_CATEGORY = "uncategorized"  # WordPress's catch-all: no section says more
DEK_LENGTH = 400  # Article.dek's max_length
_BLOCK = re.compile(
    r"^<(?:p|h[1-6]|ul|ol|li|dl|blockquote|div|figure|table|pre|hr|section|!--)\b", re.I
)
_SHORTCODE = re.compile(r"\[/?(?:caption|wp_caption|gallery|embed|audio|video|playlist)\b[^\]]*\]")


@dataclass
class Export:
    site: str
    entries: list[Entry] = field(default_factory=list)
    not_imported: Counter = field(default_factory=Counter)


def read(path: Path, *, media_dir: Path | None = None, image_source: str = "") -> Export:
    """The export at ``path``, item by item; ImportFileError if it cannot be read at all."""
    try:
        with path.open("rb") as stream:
            root, item_lines = wxr.parse(stream)
    except OSError as exc:
        raise ImportFileError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    except wxr.XMLFileError as exc:
        raise ImportFileError(f"{path.name} is not a WordPress export: {exc}.") from exc
    channel = wxr.child(root, "channel")
    if root.tag != "rss" or channel is None or not wxr.text(channel, "wp:wxr_version"):
        raise ImportFileError(
            f"{path.name} is not a WordPress export (WXR): it has no <rss><channel> with a "
            "<wp:wxr_version>. Export it from WordPress under Tools → Export."
        )
    site = (wxr.text(channel, "wp:base_blog_url") or wxr.text(channel, "link")).rstrip("/")
    if not site:
        raise ImportFileError(f"{path.name} does not say which site it came from (<link>).")
    reader = _Reader(channel, media_dir, image_source, source=f"wordpress:{site}"[:200])
    export = Export(site=site)
    for number, item in enumerate(wxr.children(channel, "item"), 1):
        post_type = wxr.text(item, "wp:post_type") or "item without a type"
        if post_type != "post":
            export.not_imported[post_type] += 1
            continue
        label = f"item {number} (line {item_lines.get(item, 0)}"
        if post_id := wxr.text(item, "wp:post_id"):
            label += f", post {post_id}"
        export.entries.append(reader.entry(item, f"{label})"))
    return export


class _Reader:
    def __init__(self, channel: Element, media_dir: Path | None, image_source: str, *, source):
        self.source = source
        self.media_dir, self.image_source = media_dir, image_source
        self.authors = {
            wxr.text(a, "wp:author_login"): Person(
                name=wxr.text(a, "wp:author_display_name")
                or " ".join(
                    filter(
                        None,
                        [wxr.text(a, "wp:author_first_name"), wxr.text(a, "wp:author_last_name")],
                    )
                )
                or wxr.text(a, "wp:author_login"),
                slug=slugify(wxr.text(a, "wp:author_login")),
            )
            for a in wxr.children(channel, "wp:author")
        }
        self.attachments = {
            wxr.text(item, "wp:post_id"): item
            for item in wxr.children(channel, "item")
            if wxr.text(item, "wp:post_type") == "attachment"
        }

    def entry(self, item: Element, label: str) -> Entry:
        post_id = wxr.text(item, "wp:post_id")
        status = wxr.text(item, "wp:status")
        headline = plain(wxr.text(item, "title"))
        if headline:
            label = f"{label[:-1]} “{shorten(headline, 60)[0]}”)"
        if not post_id:
            return Entry(label, error="it has no <wp:post_id>, so it cannot be recognised again")
        if status in NOT_IMPORTED_STATUSES:
            return Entry(label, skipped=f"not imported: {NOT_IMPORTED_STATUSES[status]}")
        if not headline:
            return Entry(label, error="it has no title")
        entry = Entry(label)
        categories = [
            (c.get("nicename") or slugify(c.text or ""), plain(c.text or ""))
            for c in wxr.children(item, "category")
            if c.get("domain") == "category"
        ]
        categories = [(slug, name) for slug, name in categories if slug and name]
        sections = [c for c in categories if c[0] != DEFAULT_CATEGORY]
        tags = [
            plain(c.text or "")
            for c in wxr.children(item, "category")
            if c.get("domain") == "post_tag" and plain(c.text or "")
        ]
        tags += [name for _, name in sections[1:]]
        dek, cut = shorten(plain(wxr.text(item, "excerpt:encoded")), DEK_LENGTH)
        if cut:
            entry.notes.append(f"the excerpt was shortened to {DEK_LENGTH} characters")
        creator = wxr.text(item, "dc:creator")
        authors = [self.authors.get(creator) or Person(name=creator, slug=slugify(creator))]
        note = f"WordPress post {post_id} ({status or 'no status'}"
        if status == "publish":
            when = wxr.text(item, "wp:post_date_gmt") or wxr.text(item, "wp:post_date")
            note += f", published there {when} UTC" if when else ", published there"
            entry.notes.append("published on WordPress: imported as a draft for review")
        entry.piece = Piece(
            source=self.source,
            external_id=post_id,
            headline=headline,
            body=autop(wxr.text(item, "content:encoded")),
            dek=dek,
            slug=slugify(unquote(wxr.text(item, "wp:post_name")), allow_unicode=False),
            section=sections[0] if sections else None,
            tags=list(dict.fromkeys(tags)),
            authors=[a for a in authors if a.name],
            picture=self.picture(item, entry),
            note=f"{note}, from {self.source.removeprefix('wordpress:')})",
        )
        return entry

    def picture(self, item: Element, entry: Entry) -> Picture | None:
        """The featured image, if the export names one and its file is in the media folder."""
        thumbnail = _meta(item, "_thumbnail_id")
        if not thumbnail:
            return None
        attachment = self.attachments.get(thumbnail)
        url = wxr.text(attachment, "wp:attachment_url") if attachment is not None else ""
        if not url:
            entry.notes.append(f"featured image {thumbnail} is not in the export")
            return None
        path = self.find_file(url)
        if path is None:
            where = f" in {self.media_dir}" if self.media_dir else " (no --media-dir given)"
            entry.notes.append(f"featured image not found as a file{where}: {url}")
            return None
        return Picture(
            path=str(path),
            alt_text=plain(_meta(attachment, "_wp_attachment_image_alt")),
            caption=plain(wxr.text(attachment, "excerpt:encoded")),
            sha256=file_sha256(path),
            source_kind=self.image_source,
        )

    def find_file(self, url: str) -> Path | None:
        """``url``'s file in the media folder: by its uploads path, else by its name.
        Never outside the folder, whatever ``..`` or links the URL holds."""
        if self.media_dir is None:
            return None
        root = self.media_dir.resolve()
        parts = PurePosixPath(unquote(urlsplit(url).path)).parts
        if "uploads" in parts:
            parts = parts[len(parts) - parts[::-1].index("uploads") :]
        candidates = [Path(*parts[i:]) for i in range(len(parts)) if parts[i] != "/"]
        for relative in candidates:
            path = (root / relative).resolve()
            if path.is_relative_to(root) and path.is_file():
                return path
        return None


def _person(author: Element) -> Person:
    """A ``<wp:author>``: their display name, else first and last name, else login."""
    login = wxr.text(author, "wp:author_login")
    full = f"{wxr.text(author, 'wp:author_first_name')} {wxr.text(author, 'wp:author_last_name')}"
    name = plain(wxr.text(author, "wp:author_display_name")) or plain(full) or login
    return Person(name=name, slug=slugify(login))


def _meta(item: Element, key: str) -> str:
    for meta in wxr.children(item, "wp:postmeta"):
        if wxr.text(meta, "wp:meta_key") == key:
            return wxr.text(meta, "wp:meta_value")
    return ""


def autop(content: str) -> str:
    """WordPress's stored post text as HTML paragraphs (a minimal ``wpautop``)."""
    content = _SHORTCODE.sub("", (content or "").replace("\r\n", "\n").replace("\r", "\n"))
    blocks = []
    for chunk in re.split(r"\n\s*\n", content.strip()):
        chunk = chunk.strip()
        if not chunk:
            continue
        blocks.append(chunk if _BLOCK.match(chunk) else f"<p>{chunk.replace(chr(10), '<br>')}</p>")
    return "\n".join(blocks)
