"""Partners register their own webhook endpoints: list, create (the signing secret is
shown once, in the answer) and delete. What is sent and how lives in ``articles.webhooks``."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets

from articles.models import PartnerKey, WebhookEndpoint
from articles.webhooks import signing, transport


class HasAPIKey(permissions.BasePermission):
    message = "Register webhooks with your API key (Authorization: Api-Key …)."

    def has_permission(self, request, view):
        return isinstance(request.auth, PartnerKey)


class WebhookEndpointSerializer(serializers.ModelSerializer):
    url = serializers.URLField(
        max_length=500,
        help_text="Where events are POSTed: an https:// URL whose host resolves only to public "
        "addresses (plain http and local addresses only in development).",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEndpoint.Event.choices),
        allow_empty=False,
        help_text="The events this endpoint receives.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "active", "created_at"]
        read_only_fields = ["id", "active", "created_at"]

    def validate_url(self, url: str) -> str:
        if problem := transport.url_problem(url):
            raise serializers.ValidationError(problem)
        return url

    def validate_events(self, events: list[str]) -> list[str]:
        return list(dict.fromkeys(events))  # without repeats, in the order given


class NewWebhookEndpointSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="Verifies the Newsroom-Signature header of every delivery. Shown only now: "
        "store it safely.",
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


@extend_schema_view(
    list=extend_schema(summary="List your webhook endpoints"),
    retrieve=extend_schema(summary="One of your webhook endpoints"),
    create=extend_schema(
        summary="Register a webhook endpoint",
        request=WebhookEndpointSerializer,
        responses={201: NewWebhookEndpointSerializer},
        description="Events: article.published, article.updated, article.corrected, "
        "article.unpublished. The answer carries the signing secret, once.",
    ),
    destroy=extend_schema(summary="Delete a webhook endpoint (and its delivery log)"),
)
class WebhookEndpointViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [HasAPIKey]
    pagination_class = None  # a partner has a handful of endpoints

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the schema
            return WebhookEndpoint.objects.none()
        return WebhookEndpoint.objects.filter(partner=self.request.auth.owner).order_by("pk")

    def get_serializer_class(self):
        return (
            NewWebhookEndpointSerializer if self.action == "create" else WebhookEndpointSerializer
        )

    def perform_create(self, serializer):
        serializer.save(partner=self.request.auth.owner, secret=signing.new_secret())
