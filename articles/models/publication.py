"""When an article goes live and when it comes down: its schedule, embargo and expiry.

An embargo is a schedule with a pre-release: a scheduled article marked ``embargo``
publishes itself at ``scheduled_for`` like any other, and before that moment only
partners whose API key holds the embargo scope receive it, told the time
(``embargoed_until``). Readers never see it early. ``expires_at`` is when a published
piece takes itself down again (rights-limited pictures, time-limited offers).
Only the workflow writes these fields.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class PublicationWindow(models.Model):
    scheduled_for = models.DateTimeField(
        null=True, blank=True, help_text="When a scheduled article publishes itself."
    )
    # db_default as well: rows written in bulk by SQL (archive imports) need no embargo.
    embargo = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Partners cleared for embargoed copy receive it before it publishes.",
    )
    expires_at = models.DateTimeField(
        "unpublish at",
        null=True,
        blank=True,
        help_text="When the published piece takes itself down (readers then get 410 Gone).",
    )

    class Meta:
        abstract = True

    @property
    def embargoed_until(self):
        """The embargo's end while the piece waits under embargo; None otherwise."""
        return self.scheduled_for if self.embargo and self.status == "scheduled" else None

    def clean(self) -> None:
        super().clean()
        if problem := expiry_problem(self.expires_at, self.scheduled_for, self.published_at):
            raise ValidationError({"expires_at": problem})


def expiry_problem(expires_at, scheduled_for, published_at) -> str:
    """Why ``expires_at`` cannot end a piece going live at these times; empty if it can."""
    if expires_at is None:
        return ""
    for start, what in [(scheduled_for, "its scheduled publication"), (published_at, "it ran")]:
        if start is not None and expires_at <= start:
            when = timezone.localtime(start)
            return f"The unpublish time must be after {what} ({when:%-d %b %Y %H:%M})."
    return ""


# Added to Article.Meta.constraints (an abstract model's Meta is not merged into a child's).
WINDOW_CONSTRAINTS = [
    models.CheckConstraint(
        condition=~Q(status="scheduled") | Q(scheduled_for__isnull=False),
        name="article_scheduled_has_time",
        violation_error_message="A scheduled article needs its publication time.",
    ),
    models.CheckConstraint(
        condition=Q(embargo=False) | Q(status="scheduled"),
        name="article_embargo_only_scheduled",
        violation_error_message="Only a scheduled article can be under embargo.",
    ),
    models.CheckConstraint(
        condition=Q(expires_at__isnull=True)
        | (
            (Q(scheduled_for__isnull=True) | Q(expires_at__gt=F("scheduled_for")))
            & (Q(published_at__isnull=True) | Q(expires_at__gt=F("published_at")))
        ),
        name="article_expires_after_publication",
        violation_error_message="The unpublish time must be after the publication time.",
    ),
]
