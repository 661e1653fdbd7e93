"""Sources as partners read them.

The serializers declare each shape (the OpenAPI schema, and the small lists of
documents and publishers); the ``*_data`` functions build the same dicts by hand for
the article endpoints, where a page carries a hundred claims and DRF's per-field
machinery would cost more than the database. A test proves the two agree."""

from datetime import date

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sources import verification
from sources.citations import chain, citation_text
from sources.models import Attribution, Claim, Publisher, SourceDocument

_TIME = serializers.DateTimeField()  # times as DRF writes them, in both builds


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


class ChainLinkSerializer(serializers.Serializer):
    publisher = PublisherRefSerializer(read_only=True)
    relation = serializers.CharField(
        read_only=True,
        help_text="How this outlet passed the source on from the one before it (the first "
        "from the document): carried_by, quoted_by or data_from.",
    )
    url = serializers.CharField(read_only=True, help_text="Where it did; may be empty.")
    date = serializers.DateField(read_only=True, allow_null=True, help_text="When it did.")


class AttributionSerializer(serializers.ModelSerializer):
    document = SourceDocumentSerializer(read_only=True)
    intermediary = PublisherRefSerializer(source="via", read_only=True, allow_null=True)
    relation = serializers.CharField(
        read_only=True, help_text="carried_by, quoted_by or data_from; empty when first-hand."
    )
    intermediary_url = serializers.CharField(source="via_url", read_only=True)
    via_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="When the intermediary carried or quoted it."
    )
    passage = serializers.SerializerMethodField(
        help_text="The words in the source that support the claim, as readers see them on the "
        "article's page; null until the piece is published (and empty when none was given)."
    )
    chain = serializers.SerializerMethodField(
        help_text="The chain of custody in order, from the document to us: the intermediary "
        "first, then any further outlets that passed the source on. Empty when first-hand."
    )

    class Meta:
        model = Attribution
        fields = [
            "document",
            "intermediary",
            "relation",
            "intermediary_url",
            "via_on",
            "chain",
            "passage",
        ]

    @extend_schema_field(ChainLinkSerializer(many=True))
    def get_chain(self, attribution: Attribution) -> list[dict]:
        return chain_data(attribution)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_passage(self, attribution: Attribution) -> str | None:
        return passage_data(attribution, shown=self.context.get("passages", False))


class ClaimSerializer(serializers.ModelSerializer):
    citation = serializers.SerializerMethodField(
        help_text="The sources in words, exactly as readers see them, e.g. "
        "“Reuters via Yahoo Finance, April 10”."
    )
    attributions = AttributionSerializer(many=True, read_only=True)
    verified_by = serializers.SerializerMethodField(
        help_text="The editor who verified the claim against its sources' passages, as it "
        "reads now; null when it is not verified (or changed since)."
    )
    verified_at = serializers.SerializerMethodField(help_text="When; null as verified_by.")

    class Meta:
        model = Claim
        fields = [
            "id",
            "text",
            "position",
            "citation",
            "attributions",
            "verified_by",
            "verified_at",
        ]

    def get_citation(self, claim: Claim) -> str:
        return citation_text(claim.attributions.all(), reference=self.context.get("reference"))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_verified_by(self, claim: Claim) -> str | None:
        return verification_data(claim)["verified_by"]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_verified_at(self, claim: Claim) -> str | None:
        return verification_data(claim)["verified_at"]


def publisher_ref_data(publisher: Publisher | None) -> dict | None:
    return None if publisher is None else {"id": publisher.pk, "name": publisher.name}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def chain_data(attribution: Attribution) -> list[dict]:
    """What ``ChainLinkSerializer`` gives for each link of the attribution's chain."""
    return [
        {
            "publisher": publisher_ref_data(link.publisher),
            "relation": link.relation,
            "url": link.url,
            "date": _day(link.on),
        }
        for link in chain(attribution)
    ]


def attribution_data(attribution: Attribution, *, passages: bool = False) -> dict:
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
        "via_on": _day(attribution.via_on),
        "chain": chain_data(attribution),
        "passage": passage_data(attribution, shown=passages),
    }


def passage_data(attribution: Attribution, *, shown: bool) -> str | None:
    """The supporting passage: third parties' words, given once the article's page shows
    them (a published piece), null before."""
    return attribution.passage.strip() if shown else None


def verification_data(claim: Claim) -> dict:
    """Who verified ``claim`` as it reads now, and when (nulls when nobody has)."""
    check = verification.current_verification(claim)
    if check is None:
        return {"verified_by": None, "verified_at": None}
    return {
        "verified_by": verification.checker_name(check),
        "verified_at": _TIME.to_representation(check.checked_at),
    }


def claim_data(claim: Claim, *, reference: date | None, passages: bool = False) -> dict:
    """What ``ClaimSerializer`` gives, built by hand: the citation in the readers' words;
    the supporting passages when ``passages`` (a published piece)."""
    attributions = claim.attributions.all()
    return {
        "id": claim.pk,
        "text": claim.text,
        "position": claim.position,
        "citation": citation_text(attributions, reference=reference),
        "attributions": [attribution_data(a, passages=passages) for a in attributions],
        **verification_data(claim),
    }
