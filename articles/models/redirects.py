"""Old public addresses that still lead somewhere: a published article's or a section's
former URL (made automatically when its slug changes) or one an editor added by hand.

A redirect to an article or a section holds the record, not its URL, so a later slug
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

from articles.models.article import Article
from articles.models.newsroom import Section

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
    to_feed = models.BooleanField(
        "to the section's feed", default=False, help_text="The section's RSS feed, not its page."
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
                condition=(
                    Q(article__isnull=False, section__isnull=True, target_url="")
                    | Q(article__isnull=True, section__isnull=False, target_url="")
                    | (Q(article__isnull=True, section__isnull=True) & ~Q(target_url=""))
                ),
                name="redirect_one_target",
                violation_error_message="Choose exactly one target: an article, a section or "
                "a fixed address.",
            ),
            models.CheckConstraint(
                condition=Q(to_feed=False) | Q(section__isnull=False),
                name="redirect_feed_of_a_section",
                violation_error_message="Only a section has a feed.",
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
    def target_label(self) -> str:
        if self.article_id:
            return f"“{self.article.headline}”"
        if self.section_id:
            return f"{self.section.name} (feed)" if self.to_feed else self.section.name
        return self.target_url

    def target_path(self) -> str:
        """Where a reader is sent now: the target's current URL, or the fixed address."""
        if self.article_id:
            return self.article.get_absolute_url()
        if self.section_id:
            name = "articles:section_feed" if self.to_feed else "articles:section"
            return reverse(name, args=[self.section.slug])
        return self.target_url

    def surrogate_keys(self) -> set[str]:
        """The cache keys of the answer: this row, and the record it leads to (whose
        slug change must drop a cached 301 too)."""
        keys = {f"redirect-{self.pk}"}
        if self.article_id:
            keys.add(f"article-{self.article_id}")
        if self.section_id:
            keys.add(f"section-{self.section_id}")
        return keys
