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
