"""What the answer to filing or changing a draft adds with ``"citations": "inline"``:
the claims made from the body's citations and those left unresolved (shapes only; the
rules are ``articles.publishing.inline_citations``')."""

from rest_framework import serializers

from articles.api.serializers import ArticleSerializer


class InlineClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField(help_text="The claim's words, as they stay in the body.")
    citation = serializers.CharField(help_text="The citation taken out of the body.")
    documents = serializers.ListField(
        child=serializers.IntegerField(), help_text="The source documents' ids, in order."
    )


class UnresolvedCitationSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The citation as written; it stays in the body.")
    position = serializers.IntegerField(
        help_text="Where it starts in the stored body's plain text (characters from 0)."
    )
    reason = serializers.CharField(
        help_text="Why it was not made a claim: no document from that publisher, several "
        "documents match (named), the date matches none, an unknown intermediary…"
    )


class InlineCitationsSerializer(serializers.Serializer):
    claims = InlineClaimSerializer(many=True)
    unresolved = UnresolvedCitationSerializer(many=True)


class FiledArticleSerializer(ArticleSerializer):
    """The article as filed or changed, with what its inline citations became."""

    inline_citations = InlineCitationsSerializer(
        required=False,
        help_text='Only when the request asked for "citations": "inline".',
    )

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "inline_citations"]


def with_inline_citations(response, article):
    """``response`` (an article's) with the report of its inline citations, if any."""
    report = getattr(article, "inline_citations", None)
    if report is not None:
        response.data["inline_citations"] = report
    return response
