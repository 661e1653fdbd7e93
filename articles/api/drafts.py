"""What an agent or editor may send to file or change a draft: shapes only.
The rules (who may edit what, claims quoting the body, bylines) live in
``articles.publishing.drafting``."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.api.body_media import checked_body
from articles.models import EDITORIAL_WORK_TYPES, Byline, Image, Section
from articles.publishing.transitions import TRANSITIONS
from sources.models import Attribution, Publisher, SourceDocument

NO_SPONSORSHIP = (
    "Sponsorships are attached by the commercial desk in the editorial system, never "
    "through the API."
)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, instead of silently ignoring them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = set(data) - set(self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [NO_SPONSORSHIP if "sponsor" in name else "Unknown field."]
                        for name in sorted(unknown)
                    }
                )
        return super().to_internal_value(data)


class NewDocumentSerializer(StrictSerializer):
    title = serializers.CharField(max_length=500)
    publisher = serializers.CharField(max_length=200, help_text="Publisher name (created if new).")
    kind = serializers.ChoiceField(choices=SourceDocument.Kind.choices)
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True)
    accessed_on = serializers.DateField(required=False, allow_null=True)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "description": "An existing source document's id."},
            {
                "type": "object",
                "required": ["title", "publisher", "kind"],
                "properties": {
                    "title": {"type": "string"},
                    "publisher": {"type": "string"},
                    "kind": {"type": "string", "enum": SourceDocument.Kind.values},
                    "url": {"type": "string", "format": "uri"},
                    "published_on": {"type": "string", "format": "date"},
                    "accessed_on": {"type": "string", "format": "date"},
                },
            },
        ]
    }
)
class DocumentField(serializers.Field):
    """An existing source document's id, or a new document described inline."""

    default_error_messages = {
        "missing": "No source document has id {value}.",
        "invalid": "Give a document id or an object with title, publisher and kind.",
    }

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int):
            if not SourceDocument.objects.filter(pk=data).exists():
                self.fail("missing", value=data)
            return data
        if isinstance(data, dict):
            serializer = NewDocumentSerializer(data=data)
            serializer.is_valid(raise_exception=True)
            return serializer.validated_data
        self.fail("invalid")

    def to_representation(self, value):
        return value


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class PublisherField(serializers.Field):
    """A publisher's id, or its name (created if new)."""

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool):
            if not Publisher.objects.filter(pk=data).exists():
                raise serializers.ValidationError(f"No publisher has id {data}.")
            return data
        if isinstance(data, str):
            # A name goes through a CharField's checks (length, blank, NUL, surrogates).
            return serializers.CharField(max_length=200).run_validation(data)
        raise serializers.ValidationError("Give a publisher id or name.")

    def to_representation(self, value):
        return value


class HopInputSerializer(StrictSerializer):
    """A further intermediary after ``via``, in a chain of custody."""

    publisher = PublisherField(help_text="The outlet that passed the source on at this step.")
    relation = serializers.ChoiceField(choices=Attribution.Relation.choices)
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True)
    on = serializers.DateField(required=False, allow_null=True)


class SourceInputSerializer(StrictSerializer):
    document = DocumentField()
    via = PublisherField(required=False, help_text="The intermediary we read it through.")
    relation = serializers.ChoiceField(
        choices=Attribution.Relation.choices, required=False, allow_blank=True
    )
    via_url = serializers.URLField(max_length=1000, required=False, allow_blank=True)
    via_on = serializers.DateField(
        required=False, allow_null=True, help_text="When the intermediary carried or quoted it."
    )
    hops = HopInputSerializer(
        many=True,
        required=False,
        max_length=10,
        help_text="Further intermediaries after via, in order (Bloomberg → Reuters → Yahoo "
        "Finance: via Reuters, then a hop carried_by Yahoo Finance).",
    )
    passage = serializers.CharField(
        max_length=20_000,
        required=False,
        allow_blank=True,
        help_text="The words in the source that support the claim, as they read there.",
    )

    def validate(self, attrs):
        if bool(attrs.get("via")) != bool(attrs.get("relation")):
            raise serializers.ValidationError(
                {"relation": "An intermediary (via) and its relation go together."}
            )
        for name in ("via_url", "via_on", "hops"):
            if attrs.get(name) and not attrs.get("via"):
                raise serializers.ValidationError({name: f"{name} needs its intermediary (via)."})
        return attrs


class ClaimInputSerializer(StrictSerializer):
    text = serializers.CharField(max_length=1000, help_text="Quoted exactly from the body.")
    sources = SourceInputSerializer(many=True, max_length=10)


class BylineInputSerializer(StrictSerializer):
    author = serializers.SlugField(help_text="Author slug.")
    role = serializers.ChoiceField(choices=Byline.Role.choices, default=Byline.Role.BY)


class DraftSerializer(StrictSerializer):
    """A draft in one request. An agent's key makes the agent its author automatically;
    ``bylines`` is for editors' keys."""

    headline = serializers.CharField(max_length=250)
    dek = serializers.CharField(max_length=400, required=False, allow_blank=True)
    body = serializers.CharField(max_length=200_000, allow_blank=True, help_text="HTML; sanitised.")
    section = serializers.SlugRelatedField(
        slug_field="slug", queryset=Section.objects.all(), required=False, allow_null=True
    )
    type_of_work = serializers.ChoiceField(choices=EDITORIAL_WORK_TYPES, required=False)
    language = serializers.ChoiceField(choices=[], required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=30, required=False
    )
    claims = ClaimInputSerializer(many=True, required=False, max_length=200)
    citations = serializers.ChoiceField(
        choices=["inline"],
        required=False,
        help_text="“inline”: the body's own citations (“(Sony; Reuters/Yahoo Finance)”, "
        "“according to Bloomberg as quoted by Yahoo Finance”) become claims with their sources, "
        "resolved among documents and the claims' sources, and leave the stored body; the "
        "answer's inline_citations lists the claims made and the citations left unresolved.",
    )
    documents = serializers.ListField(
        child=DocumentField(),
        required=False,
        max_length=50,
        help_text="With citations: inline, the source documents the body's citations may name "
        "(ids, or new documents described inline).",
    )
    bylines = BylineInputSerializer(many=True, required=False, max_length=20)
    translation_of = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="The id of the original article this draft translates (one you may read, "
        "on your desk, in another language), or null for an original.",
    )
    lead_image = serializers.PrimaryKeyRelatedField(
        queryset=Image.objects.all(),
        required=False,
        allow_null=True,
        help_text="An uploaded picture's id (POST /api/v1/images/), or null for none.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        self.fields["language"].choices = settings.ARTICLE_LANGUAGES

    def validate_section(self, section):
        return section.slug if section else None

    def validate_body(self, body: str) -> str:
        return checked_body(body)

    def validate(self, attrs):
        if attrs.get("documents") and attrs.get("citations") != "inline":
            raise serializers.ValidationError(
                {"documents": ["Send documents with “citations”: “inline”; a claim names its own."]}
            )
        return attrs


class TransitionSerializer(StrictSerializer):
    transition = serializers.ChoiceField(choices=list(TRANSITIONS))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    scheduled_for = serializers.DateTimeField(required=False)
    embargo = serializers.BooleanField(
        required=False,
        default=False,
        help_text="With schedule: partners whose key holds the embargo scope receive the piece "
        "before it publishes.",
    )
