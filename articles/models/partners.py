"""Who reads and files through the partner API: keys, and the webhooks partners are sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from rest_framework_api_key.models import AbstractAPIKey

from articles.models.article import Article
from articles.models.newsroom import Author


class PartnerKey(AbstractAPIKey):
    """An API key, stored hashed. It belongs to a partner, an AI-agent author or an editor.

    Scopes: every key reads; ``can_draft`` files and edits drafts (an agent's own, or an
    editor's desk's); ``can_transition`` takes workflow steps and is for editors' keys only;
    ``can_read_embargoed`` also reads articles under embargo before they publish.
    """

    partner = models.CharField(
        max_length=150, blank=True, help_text="The partner organisation using this key."
    )
    agent = models.ForeignKey(
        Author,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_keys",
        limit_choices_to={"kind": Author.Kind.AI_AGENT},
        help_text="The AI agent that files drafts with this key; its byline is set automatically.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_keys",
        help_text="For editors' keys: the staff account whose permissions the key acts with.",
    )
    can_draft = models.BooleanField("scope: draft", default=False)
    can_transition = models.BooleanField("scope: workflow transitions", default=False)
    can_read_embargoed = models.BooleanField(
        "scope: embargoed",
        default=False,
        db_default=False,
        help_text="Receives scheduled articles under embargo before they publish.",
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API key"
        verbose_name_plural = "API keys"
        constraints = [
            models.CheckConstraint(
                condition=(Q(agent__isnull=True) | Q(user__isnull=True)),
                name="partnerkey_one_owner",
                violation_error_message="A key belongs to an AI agent or to an editor, not both.",
            ),
            models.CheckConstraint(
                condition=~Q(partner="") | Q(agent__isnull=False) | Q(user__isnull=False),
                name="partnerkey_has_owner",
                violation_error_message="Say whose key it is: a partner, an AI agent or an editor.",
            ),
            models.CheckConstraint(
                condition=Q(can_transition=False) | Q(user__isnull=False),
                name="partnerkey_transitions_for_editors_only",
                violation_error_message="Only an editor's key may take workflow transitions.",
            ),
            models.CheckConstraint(
                condition=Q(can_draft=False) | Q(agent__isnull=False) | Q(user__isnull=False),
                name="partnerkey_drafts_need_an_author",
                violation_error_message="Only an AI agent's or an editor's key may file drafts.",
            ),
        ]

    @property
    def owner(self) -> str:
        if self.agent_id:
            return f"{self.agent.name} (AI agent)"
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        return self.partner


class WebhookEndpoint(models.Model):
    """A partner's HTTPS endpoint that is told when articles change."""

    class Event(models.TextChoices):
        # Subscribing to it is the endpoint's clearance for embargoed copy.
        EMBARGOED = "article.embargoed", "article.embargoed"
        PUBLISHED = "article.published", "article.published"
        UPDATED = "article.updated", "article.updated"
        CORRECTED = "article.corrected", "article.corrected"
        UNPUBLISHED = "article.unpublished", "article.unpublished"

    partner = models.CharField(max_length=150)
    url = models.URLField(max_length=500)
    secret = models.CharField(
        max_length=100,
        editable=False,
        help_text="Signs every payload (HMAC-SHA256); shown to the partner once.",
    )
    events = models.JSONField(default=list, help_text="Event names this endpoint receives.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner", "url"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.url}"


class WebhookDelivery(models.Model):
    """One event for one endpoint, tried until it succeeds or runs out of attempts."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed (gave up)"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=30, choices=WebhookEndpoint.Event)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint} ({self.get_state_display()})"


class WebhookAttempt(models.Model):
    """The log of every delivery attempt: when, what came back, how long it took."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery", "attempted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.status_code or self.error} at {self.attempted_at:%H:%M:%S}"
