"""Corrections as partners read them, with the claims each corrects: what the claim
read and cited before, and what it reads and cites as of the correction (``claim`` is
null once the claim is gone; ``corrected_text`` is empty when the correction withdrew it).

``CorrectionSerializer`` declares the shape (for the OpenAPI schema);
``corrected_claim_data`` builds a claim's dict for ``articles.api.representations``
(and so the webhooks) and ninjs.
"""

from rest_framework import serializers

from articles.models import CorrectedClaim, Correction


class PreviousSourceSerializer(serializers.Serializer):
    """One source the claim cited before the correction, as it was then."""

    document = serializers.IntegerField(help_text="The source document's id.")
    publisher = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    via = serializers.CharField(allow_null=True, help_text="The intermediary, if any.")
    relation = serializers.CharField(allow_blank=True)
    via_url = serializers.CharField(allow_blank=True)


class CorrectedClaimSerializer(serializers.ModelSerializer):
    claim = serializers.IntegerField(source="claim_id", allow_null=True)
    previous_sources = PreviousSourceSerializer(many=True)

    class Meta:
        model = CorrectedClaim
        fields = [
            "claim",
            "previous_text",
            "previous_citation",
            "previous_sources",
            "corrected_text",
            "corrected_citation",
        ]


class CorrectionSerializer(serializers.ModelSerializer):
    claims = CorrectedClaimSerializer(source="corrected_claims", many=True, read_only=True)

    class Meta:
        model = Correction
        fields = ["kind", "text", "created_at", "claims"]


def corrected_claim_data(row: CorrectedClaim) -> dict:
    return {
        "claim": row.claim_id,
        "previous_text": row.previous_text,
        "previous_citation": row.previous_citation,
        "previous_sources": row.previous_sources,
        "corrected_text": row.corrected_text,
        "corrected_citation": row.corrected_citation,
    }


def ninjs_claims(correction: Correction) -> list[dict]:
    """The corrected claims in ninjs's extended profile (``ninjs_extension.json``)."""
    return [
        {
            "claim": row.claim_id,
            "previousText": row.previous_text,
            "previousCitation": row.previous_citation,
            "previousSources": [_ninjs_source(source) for source in row.previous_sources],
            "correctedText": row.corrected_text,
            "correctedCitation": row.corrected_citation,
        }
        for row in correction.corrected_claims.all()
    ]


def claims_summary(correction: Correction) -> str:
    """The corrected claims in words, for ninjs's plain-text correction description."""
    parts = []
    for row in correction.corrected_claims.all():
        was = _quoted(row.previous_text, row.previous_citation)
        if row.corrected_text:
            parts.append(
                f"Previously {was}; now {_quoted(row.corrected_text, row.corrected_citation)}."
            )
        else:
            parts.append(f"Withdrawn: {was}.")
    return " ".join(parts)


def _quoted(text: str, citation: str) -> str:
    return f"“{text}” ({citation})" if citation else f"“{text}”"


def _ninjs_source(source: dict) -> dict:
    keys = {"via_url": "viaUrl"}
    return {keys.get(key, key): value for key, value in source.items()}
