"""API keys and partner webhooks: endpoints (the secret shown once) and the delivery log."""

import json

from django.contrib import admin, messages
from django.utils.html import format_html
from rest_framework_api_key.admin import APIKeyModelAdmin

from articles.admin.forms import WebhookEndpointForm
from articles.models import PartnerKey, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from articles.webhooks import signing
from articles.webhooks.delivery import retry_now


@admin.register(PartnerKey)
class PartnerKeyAdmin(APIKeyModelAdmin):
    """Keys are shown once, on creation; revoking one takes effect on the next request."""

    list_display = [
        *APIKeyModelAdmin.list_display,
        "partner",
        "agent",
        "user",
        "can_draft",
        "can_transition",
        "can_read_embargoed",
        "last_used_at",
    ]
    list_filter = [
        *APIKeyModelAdmin.list_filter,
        "can_draft",
        "can_transition",
        "can_read_embargoed",
    ]
    search_fields = [*APIKeyModelAdmin.search_fields, "partner", "agent__name", "user__username"]
    list_select_related = ["agent", "user"]
    autocomplete_fields = ["agent", "user"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """The signing secret is shown once, when the endpoint is added. An inactive
    endpoint gets no new events; its pending deliveries wait until it is active again."""

    form = WebhookEndpointForm
    list_display = ["partner", "url", "event_list", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["partner", "url"]

    @admin.display(description="events")
    def event_list(self, endpoint: WebhookEndpoint) -> str:
        return ", ".join(endpoint.events)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.secret = signing.new_secret()
        super().save_model(request, obj, form, change)
        if not change:
            self.message_user(
                request,
                format_html(
                    "Signing secret for {}: <code>{}</code> — give it to the partner now; "
                    "it is not shown again.",
                    obj,
                    obj.secret,
                ),
                messages.WARNING,
            )


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["attempted_at", "status_code", "error", "duration_ms"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: what was sent to whom, and every attempt's answer."""

    list_display = [
        "event",
        "endpoint",
        "article",
        "state",
        "attempts",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["state", "event"]
    list_select_related = ["endpoint", "article"]
    search_fields = ["endpoint__partner", "endpoint__url", "article__headline"]
    fields = [
        "event",
        "endpoint",
        "article",
        "state",
        "attempts",
        "next_attempt_at",
        "created_at",
        "delivered_at",
        "payload_json",
    ]
    readonly_fields = fields
    inlines = [WebhookAttemptInline]
    actions = ["retry_now"]

    @admin.display(description="payload")
    def payload_json(self, delivery: WebhookDelivery) -> str:
        return format_html("<pre>{}</pre>", json.dumps(delivery.payload, indent=2))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Each delivery's page is read-only; change permission on the list guards “Retry now”.
        return obj is None and super().has_change_permission(request)

    @admin.action(description="Retry now", permissions=["change"])
    def retry_now(self, request, queryset):
        count = retry_now(queryset)
        self.message_user(
            request,
            f"{count} deliver{'y' if count == 1 else 'ies'} queued to be sent again.",
            messages.SUCCESS,
        )
