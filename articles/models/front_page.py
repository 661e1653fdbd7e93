"""The curated front page: the slots of the home page's top stories that editors pin a
story to, until a time of their choosing. Written by ``articles.publishing.front_page``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from articles.models.article import Article

# The lead and the twelve stories of "Latest" below it.
TOP_STORIES = 13


def published_pieces() -> Q:
    """What a slot may be pinned to (the admin's autocomplete offers only these)."""
    return Q(status=Article.Status.PUBLISHED)


class FrontPageSlot(models.Model):
    """A position on the home page (0 is the lead), what kind of story it takes, and the
    story pinned to it. A position without a current pin is filled automatically."""

    class Kind(models.TextChoices):
        LEAD = "lead", "Lead"
        TOP = "top", "Top story"
        # Only a sponsored piece may be pinned here, and only here may one be pinned.
        SPONSORED = "sponsored", "Sponsored"

    position = models.PositiveSmallIntegerField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.TOP)
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=published_pieces,
    )
    pinned_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    # Who pinned, moved or unpinned what, and when: the audit of the front page.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["position"]
        # The admin's index names the page after what editors change there.
        verbose_name_plural = "front page"
        constraints = [
            models.CheckConstraint(
                condition=Q(position__lt=TOP_STORIES), name="front_page_slot_position_range"
            ),
            models.CheckConstraint(
                condition=Q(position=0, kind="lead")
                | (Q(position__gt=0) & Q(kind__in=["top", "sponsored"])),
                name="front_page_slot_lead_first",
            ),
            models.CheckConstraint(
                condition=Q(article__isnull=False) | Q(pinned_until__isnull=True),
                name="front_page_slot_pin_needs_story",
            ),
        ]

    def __str__(self) -> str:
        return "Lead" if self.position == 0 else f"{self.get_kind_display()} {self.position + 1}"
