"""An article's translations as partners read them: its published original and
translations (never a draft), each with its language and public page."""

from django.conf import settings
from rest_framework import serializers

from articles.models import Article
from articles.publishing.translations import published_siblings


class _Siblings(serializers.ListSerializer):
    def to_representation(self, article: Article) -> list[dict]:
        return translations_data(article)


class TranslationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    language = serializers.CharField()
    headline = serializers.CharField()
    url = serializers.URLField()

    class Meta:
        list_serializer_class = _Siblings


def translations_field() -> serializers.ListSerializer:
    return TranslationSerializer(
        source="*",
        many=True,
        read_only=True,
        help_text="The published original and translations of this article (not itself), "
        "each with its language; empty when it has none.",
    )


def translations_data(article: Article) -> list[dict]:
    return [
        {
            "id": sibling.pk,
            "language": sibling.language,
            "headline": sibling.headline,
            "url": settings.SITE_URL + sibling.get_absolute_url(),
        }
        for sibling in published_siblings(article)
    ]
