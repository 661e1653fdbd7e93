"""Who paid: sponsors, and the sponsorship that alone makes an article sponsored content."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from articles import labels
from articles.images import CheckedImageField
from articles.models.article import Article


class Sponsor(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    website = models.URLField(blank=True)
    logo = CheckedImageField(upload_to="sponsors/", blank=True)
    description = models.TextField(blank=True)

    # The name is in every label of its pieces: each change is kept (who, when, what, why).
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:sponsor", args=[self.slug])


class Sponsorship(models.Model):
    """The single fact that makes an article sponsored, and how it must be labelled."""

    # The kinds and their fixed labels are one vocabulary, kept in articles.labels.
    Kind = labels.SponsorshipKind

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="sponsorship")
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="sponsorships")
    kind = models.CharField(max_length=20, choices=Kind)
    disclosure = models.TextField(
        help_text="Shown with the label: who paid, who produced it, and the newsroom's role.",
    )
    campaign_starts_on = models.DateField()
    campaign_ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["native_advertising", "underwriting"]),
                name="sponsorship_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(disclosure=""),
                name="sponsorship_has_disclosure",
                violation_error_message="A sponsorship needs its disclosure text.",
            ),
            models.CheckConstraint(
                condition=Q(campaign_ends_on__isnull=True)
                | Q(campaign_ends_on__gte=F("campaign_starts_on")),
                name="sponsorship_campaign_dates_ordered",
                violation_error_message="The campaign cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} — {self.article}"

    @property
    def is_advertising(self) -> bool:
        return self.kind == self.Kind.NATIVE_ADVERTISING

    @property
    def label(self) -> str:
        return labels.sponsorship_label(self.kind, self.sponsor.name)

    @property
    def sponsor_line(self) -> str:
        return labels.sponsorship_sponsor_line(self.kind, self.sponsor.name)

    @property
    def full_label(self) -> str:
        return labels.sponsorship_full_label(self.kind, self.sponsor.name)

    def is_active_on(self, day: date) -> bool:
        return self.campaign_starts_on <= day and (
            self.campaign_ends_on is None or day <= self.campaign_ends_on
        )
