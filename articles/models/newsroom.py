"""The newsroom's people and places: sections, and authors (human journalists or AI agents).

An AI agent is an author whose operator, system, supervising editor and public
disclosure are on record; the database refuses one without them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from articles import labels


def unique_slug(instance: models.Model, value: str, *, max_length: int = 200) -> str:
    """A slug from ``value`` not yet used by another row of the same model."""
    base = slugify(value)[: max_length - 8] or "item"
    slug, n = base, 2
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order of the section in navigation; lower comes first."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:section", args=[self.slug])


class Author(models.Model):
    """A byline: a human journalist, or an AI agent with its human supervision on record."""

    class Kind(models.TextChoices):
        HUMAN = "human", "Human journalist"
        AI_AGENT = "ai_agent", "AI agent"

    kind = models.CharField(max_length=10, choices=Kind, default=Kind.HUMAN)
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text="The staff account of a human journalist, if they have one.",
    )
    job_title = models.CharField(max_length=150, blank=True)
    bio = models.TextField(blank=True)
    beats = models.CharField(
        max_length=300,
        blank=True,
        help_text="Comma-separated topics this author covers, e.g. “AI, machine learning”.",
    )
    email = models.EmailField("public contact e-mail", blank=True)

    # What readers must be told about an AI agent (EU AI Act art. 50(4), our labels page).
    operator = models.CharField(
        max_length=200, blank=True, help_text="The organisation that runs the agent."
    )
    operator_url = models.URLField("operator website", blank=True)
    system = models.CharField(
        "system it runs on",
        max_length=200,
        blank=True,
        help_text="Model or platform the agent runs on, e.g. “Newsroom Agent Platform 2”.",
    )
    supervising_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_agents",
        help_text="The human editor responsible for this agent's work.",
    )
    disclosure = models.TextField(
        "public disclosure",
        blank=True,
        help_text="Shown to readers on the agent's page: what it is and how its work is checked.",
    )

    # Bylines print these on every piece: each change is kept (who, when, what, why),
    # and one to an author of published pieces goes through articles.publishing.shared_records.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="human")
                | (
                    Q(kind="ai_agent")
                    & ~Q(operator="")
                    & ~Q(system="")
                    & ~Q(disclosure="")
                    & Q(supervising_editor__isnull=False)
                ),
                name="author_ai_agent_fully_disclosed",
                violation_error_message=(
                    "An AI agent needs an operator, the system it runs on, a supervising "
                    "editor and a public disclosure."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="human") | Q(user__isnull=True),
                name="author_ai_agent_has_no_login",
                violation_error_message="An AI agent cannot be linked to a staff account.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["human", "ai_agent"]), name="author_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (AI agent)" if self.is_ai_agent else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, max_length=150)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:author", args=[self.slug])

    def clean(self):
        errors = {}
        if self.is_ai_agent:
            required = {
                "operator": "the organisation that operates it",
                "system": "the system it runs on",
                "disclosure": "a public disclosure statement",
                "supervising_editor": "the human editor who supervises it",
            }
            for field, what in required.items():
                if not getattr(self, f"{field}_id" if field == "supervising_editor" else field):
                    errors[field] = f"An AI agent must record {what}."
            if self.user_id:
                errors["user"] = "An AI agent cannot be linked to a staff account."
        if errors:
            raise ValidationError(errors)

    @property
    def is_ai_agent(self) -> bool:
        return self.kind == self.Kind.AI_AGENT

    @property
    def beat_list(self) -> list[str]:
        return [beat.strip() for beat in self.beats.split(",") if beat.strip()]

    @property
    def covers(self) -> str:
        """“Covers: AI, machine learning, autonomous systems”, or empty."""
        return f"Covers: {', '.join(self.beat_list)}" if self.beat_list else ""

    @property
    def description(self) -> str:
        """How bylines describe this author (“an AI agent operated by …” for agents)."""
        return labels.ai_agent_description(self.operator) if self.is_ai_agent else self.job_title
