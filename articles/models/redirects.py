"""Old public addresses that still lead somewhere: a published article's, a section's, an
author's or a tag's former URL (made automatically when its slug changes) or one an
editor added by hand.

A redirect to one of those records holds the record, not its URL, so a later slug
change moves it along and a reader always gets one hop. Only a fixed target (a path on
this site or an address elsewhere) is stored as text. Paths are stored normalised:
one leading slash, no host, no query string, no fragment (``normalise_path``).
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords
from taggit.models import Tag

from articles.models.article import Article
from articles.models.newsroom import Author, Section

MAX_PATH = 400


def normalise_path(value: str) -> str:
    """``value`` (a path, or a URL of this site pasted from the browser) as stored: the
    path alone, decoded as Django decodes it, with one leading slash. Raises
    ``ValueError`` with a reader-friendly reason when it is not a usable path."""
    value = (value or "").strip()
    if not value:
        raise ValueError("Enter the old address, for example /articles/old-slug/.")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError("An address cannot contain spaces or control characters.")
    parts = urlsplit(value)
    if parts.scheme and parts.scheme not in ("http", "https"):
        raise ValueError("Only http and https addresses can be redirected.")
    if not (parts.scheme or parts.netloc or value.startswith("/")):
        parts = urlsplit("/" + value)  # "articles/old/", typed without its slash
    path = unquote(parts.path)
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError("Enter a path on this site, starting with one “/”.")
    if any(segment in (".", "..") for segment in path.split("/")):
        raise ValueError("An address cannot contain “.” or “..” segments.")
    if len(path) > MAX_PATH:
        raise ValueError(f"An address can be at most {MAX_PATH} characters long.")
    return path


# The records a redirect can follow; at most one is set, and then no fixed address.
TARGETS = ("article", "section", "author", "tag")
# Each record's page and, where it has one, its feed.
PAGE_URLS = {
    "article": ("articles:detail", None),
    "section": ("articles:section", "articles:section_feed"),
    "author": ("articles:author", "articles:author_feed"),
    "tag": ("articles:tag", None),
}


def _one_target() -> Q:
    """Exactly one of the records, or none and a fixed address."""
    none = {f"{name}__isnull": True for name in TARGETS}
    condition = Q()
    for name in TARGETS:
        condition |= Q(**(none | {f"{name}__isnull": False}), target_url="")
    return condition | (Q(**none) & ~Q(target_url=""))


class Redirect(models.Model):
    class Kind(models.TextChoices):
        AUTOMATIC = "automatic", "Automatic (slug changed)"
        MANUAL = "manual", "Added by an editor"

    old_path = models.CharField(
        "old address",
        max_length=MAX_PATH,
        unique=True,
        help_text="The path readers arrive at, e.g. /articles/old-slug/ (no host, no ?query).",
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="redirects",
        help_text="Follows the article when its slug changes again.",
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="redirects",
        help_text="Follows the section when its slug changes again.",
    )
    author = models.ForeignKey(
        Author,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="redirects",
        help_text="Follows the author's page when its slug changes again.",
    )
    tag = models.ForeignKey(
        Tag,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="redirects",
        help_text="Follows the tag's page when its slug changes again.",
    )
    to_feed = models.BooleanField(
        "to the feed",
        default=False,
        help_text="The section's or author's RSS feed, not its page.",
    )
    target_url = models.CharField(
        "fixed target",
        max_length=MAX_PATH,
        blank=True,
        help_text="A path on this site (/about/corrections/) or an https:// address elsewhere, "
        "when the target is neither an article nor a section.",
    )
    permanent = models.BooleanField(
        default=True, help_text="301 (moved for good); untick for a temporary 302."
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.MANUAL, editable=False)
    note = models.CharField(max_length=300, blank=True, help_text="Why it exists, for editors.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    # Who added, changed or removed it, and why (the admin's History button).
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=_one_target(),
                name="redirect_one_target",
                violation_error_message="Choose exactly one target: an article, a section, "
                "an author, a tag or a fixed address.",
            ),
            models.CheckConstraint(
                condition=Q(to_feed=False) | Q(section__isnull=False) | Q(author__isnull=False),
                name="redirect_feed_of_a_section",
                violation_error_message="Only a section or an author has a feed.",
            ),
            models.CheckConstraint(
                condition=~Q(old_path=F("target_url")),
                name="redirect_not_to_itself",
                violation_error_message="An address cannot redirect to itself.",
            ),
            models.CheckConstraint(
                condition=Q(old_path__startswith="/"), name="redirect_old_path_is_a_path"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["automatic", "manual"]), name="redirect_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="manual") | Q(target_url=""),
                name="redirect_automatic_to_a_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_path} → {self.target_label}"

    @property
    def target_name(self) -> str | None:
        """Which record it leads to ("article", "section", "author", "tag"), or None for
        a fixed address."""
        return next((name for name in TARGETS if getattr(self, f"{name}_id")), None)

    @property
    def target_label(self) -> str:
        if (name := self.target_name) is None:
            return self.target_url
        record = getattr(self, name)
        label = f"“{record.headline}”" if name == "article" else f"{record.name}"
        if name == "tag":
            label = f"Tag: {label}"
        return f"{label} (feed)" if self.to_feed else label

    def target_path(self) -> str:
        """Where a reader is sent now: the target's current URL, or the fixed address."""
        if (name := self.target_name) is None:
            return self.target_url
        page, feed = PAGE_URLS[name]
        return reverse(feed if self.to_feed and feed else page, args=[getattr(self, name).slug])

    def surrogate_keys(self) -> set[str]:
        """The cache keys of the answer: this row, and the record it leads to (whose
        slug change must drop a cached 301 too)."""
        keys = {f"redirect-{self.pk}"}
        if (name := self.target_name) is not None:
            keys.add(f"{name}-{getattr(self, f'{name}_id')}")
        return keys
