"""The append-only history of a piece: public corrections, the audit trail,
full revisions and recorded human reviews; and the preview links shared for it.
Written by ``articles.publishing``."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article


class Correction(models.Model):
    """A dated public note on a published article; append-only."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        CLARIFICATION = "clarification", _("Clarification")
        UPDATE = "update", _("Update")
        RETRACTION = "retraction", _("Retraction")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=15, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(help_text="What was wrong and what is right now, in plain words.")
    created_at = models.DateTimeField("dated", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["article", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="correction_text_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=["correction", "clarification", "update", "retraction"]),
                name="correction_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Corrections are append-only; add a new note instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Corrections are append-only and cannot be deleted.")


class CorrectedClaim(models.Model):
    """A claim a correction names, with its wording and sources before and after.

    Kept as text as well as linked: the page and the API can say what the claim read
    and cited before, even after the claim is edited again or deleted (``claim`` then
    becomes null and ``corrected_text`` says what replaced it, empty when withdrawn).
    """

    correction = models.ForeignKey(
        Correction, on_delete=models.CASCADE, related_name="corrected_claims"
    )
    claim = models.ForeignKey(
        "sources.Claim",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="corrections",
    )
    previous_text = models.CharField(max_length=1000)
    previous_citation = models.CharField(max_length=2000, blank=True)
    # [{"document": id, "publisher": name, "title": …, "citation": …}] as cited before.
    previous_sources = models.JSONField(default=list, blank=True)
    corrected_text = models.CharField(max_length=1000, blank=True)
    corrected_citation = models.CharField(max_length=2000, blank=True)

    class Meta:
        ordering = ["correction", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(previous_text=""), name="corrected_claim_previous_text_not_empty"
            ),
            models.UniqueConstraint(
                fields=["correction", "claim"], name="corrected_claim_once_per_correction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.correction}: {self.previous_text[:60]}"


class ArticleEvent(models.Model):
    """The audit trail: every transition, review and sponsorship change, never edited."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text too, so the trail still names people whose accounts are gone.
    actor_name = models.CharField(max_length=150, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        who = self.actor_name or "the scheduler"
        return f"{self.action} by {who} at {self.created_at:%Y-%m-%d %H:%M}"


class Revision(models.Model):
    """A full snapshot of an article as saved: fields, bylines, claims, sponsorship, tags."""

    class Kind(models.TextChoices):
        SAVED = "saved", "Saved"
        RESTORED = "restored", "Restored from an earlier revision"
        REFUSED = "refused", "Refused save (edit conflict), kept for recovery"
        # Saved in the background while an editor types: never the article's text,
        # never a new version; offered back when the editor reopens the page.
        AUTOSAVE = "autosave", "Autosaved while typing, not saved"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    version = models.PositiveIntegerField(help_text="The article's version this snapshot shows.")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.SAVED)
    data = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_name = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of “{self.article}”"


class HumanReview(models.Model):
    """A human editor's recorded review of an article version (EU AI Act art. 50(4) evidence)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="article_reviews"
    )
    reviewer_name = models.CharField(max_length=150)
    version = models.PositiveIntegerField(help_text="The article version that was reviewed.")
    note = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "-reviewed_at", "-pk"]

    def __str__(self) -> str:
        return f"Reviewed by {self.reviewer_name} (version {self.version})"


class PreviewLink(models.Model):
    """A shareable link that shows an unpublished article without an account, until it
    expires or is revoked. Only a SHA-256 of its token is kept: whoever reads the database
    (or a backup of it) cannot open the link."""

    class State(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"
        WITHDRAWN = "withdrawn", "Dead: the article was withdrawn"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    note = models.CharField(
        "for", max_length=200, blank=True, help_text="Who it is for, e.g. “for Kestrel's approval”."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text too, so the list still names people whose accounts are gone.
    created_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_by_name = models.CharField(max_length=150, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    use_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["article", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="preview_link_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"Preview link to “{self.article}” made {self.created_at:%Y-%m-%d %H:%M}"

    def state(self, *, withdrawn_at=None, now=None) -> State:
        """Where the link stands; ``withdrawn_at`` is when readers last lost the article:
        a link made before then never shows it again."""
        if self.revoked_at is not None:
            return self.State.REVOKED
        if withdrawn_at is not None and self.created_at <= withdrawn_at:
            return self.State.WITHDRAWN
        if self.expires_at <= (now or timezone.now()):
            return self.State.EXPIRED
        return self.State.ACTIVE
