"""Sources as partners read them.

The serializers declare each shape (the OpenAPI schema, and the small lists of
documents and publishers); the ``*_data`` functions build the same dicts by hand for
the article endpoints, where a page carries a hundred claims and DRF's per-field
machinery would cost more than the database. A test proves the two agree."""

from datetime import date

from rest_framework import serializers

from sources.citations import citation_text
from sources.models import Attribution, Claim, Publisher, SourceDocument


class PublisherSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publisher
        fields = ["id", "name", "slug", "kind", "url"]


class PublisherRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publisher
        fields = ["id", "name"]


class SourceDocumentSerializer(serializers.ModelSerializer):
    publisher = PublisherRefSerializer(read_only=True)

    class Meta:
        model = SourceDocument
        fields = ["id", "title", "kind", "url", "published_on", "accessed_on", "publisher"]


class AttributionSerializer(serializers.ModelSerializer):
    document = SourceDocumentSerializer(read_only=True)
    intermediary = PublisherRefSerializer(source="via", read_only=True, allow_null=True)
    relation = serializers.CharField(
        read_only=True, help_text="carried_by, quoted_by or data_from; empty when first-hand."
    )
    intermediary_url = serializers.CharField(source="via_url", read_only=True)

    class Meta:
        model = Attribution
        fields = ["document", "intermediary", "relation", "intermediary_url"]


class ClaimSerializer(serializers.ModelSerializer):
    citation = serializers.SerializerMethodField(
        help_text="The sources in words, exactly as readers see them, e.g. "
        "“Reuters via Yahoo Finance, April 10”."
    )
    attributions = AttributionSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = ["id", "text", "position", "citation", "attributions"]

    def get_citation(self, claim: Claim) -> str:
        return citation_text(claim.attributions.all(), reference=self.context.get("reference"))


def publisher_ref_data(publisher: Publisher | None) -> dict | None:
    return None if publisher is None else {"id": publisher.pk, "name": publisher.name}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def attribution_data(attribution: Attribution) -> dict:
    """What ``AttributionSerializer`` gives, built by hand."""
    document = attribution.document
    return {
        "document": {
            "id": document.pk,
            "title": document.title,
            "kind": document.kind,
            "url": document.url,
            "published_on": _day(document.published_on),
            "accessed_on": _day(document.accessed_on),
            "publisher": publisher_ref_data(document.publisher),
        },
        "intermediary": publisher_ref_data(attribution.via),
        "relation": attribution.relation,
        "intermediary_url": attribution.via_url,
    }


def claim_data(claim: Claim, *, reference: date | None) -> dict:
    """What ``ClaimSerializer`` gives, built by hand: the citation in the readers' words."""
    attributions = claim.attributions.all()
    return {
        "id": claim.pk,
        "text": claim.text,
        "position": claim.position,
        "citation": citation_text(attributions, reference=reference),
        "attributions": [attribution_data(a) for a in attributions],
    }
