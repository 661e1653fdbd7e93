"""What partners read. Every label, byline sentence and citation comes from the same
functions the site uses (articles.labels, sources.citations); nothing is re-worded here."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from taggit.models import Tag

from articles import labels
from articles.api.body_media import BodyEmbedSerializer, embeds_data
from articles.api.corrections import CorrectionSerializer
from articles.api.translations import translations_field
from articles.media import renditions
from articles.models import (
    Article,
    Author,
    Byline,
    Image,
    Section,
    Sponsor,
    Sponsorship,
)
from articles.sanitize import sanitize_html
from articles.site.body import images_of, shown_media
from sources.api.serializers import ClaimSerializer

# A list item's author in brief: who it is and, for an AI agent, the disclosure and the
# human who answers for it (the detail adds job title, bio, beats, operator and system).
AUTHOR_BRIEF = [
    "id",
    "name",
    "slug",
    "kind",
    "is_ai_agent",
    "description",
    "supervising_editor",
    "disclosure",
    "url",
]
# What a teaser shows of the lead image: a square thumbnail and the 16:9 card.
TEASER_SPECS = ("thumbnail", "card")
ALL_SPECS = tuple(renditions.SPECS)


def absolute(path: str) -> str:
    return settings.SITE_URL + path


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "name", "slug", "description"]


class SectionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "name", "slug"]


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name", "slug"]


class SponsorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sponsor
        fields = ["id", "name", "slug", "website", "description"]


class AuthorSerializer(serializers.ModelSerializer):
    """A byline's author. For AI agents: what it is, who runs it, who answers for it."""

    is_ai_agent = serializers.BooleanField(read_only=True)
    description = serializers.CharField(
        read_only=True,
        help_text="How bylines describe the author; for agents “an AI agent operated by …”.",
    )
    beats = serializers.ListField(source="beat_list", child=serializers.CharField(), read_only=True)
    supervising_editor = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Author
        # The brief's fields, with job title, bio, beats, operator and system after "description".
        fields = [
            *AUTHOR_BRIEF[:6],
            *["job_title", "bio", "beats", "operator", "operator_url", "system"],
            *AUTHOR_BRIEF[6:],
        ]

    def get_supervising_editor(self, author: Author) -> str | None:
        editor = author.supervising_editor
        return (editor.get_full_name() or editor.get_username()) if editor else None

    def get_url(self, author: Author) -> str:
        return absolute(author.get_absolute_url())


class AuthorBriefSerializer(AuthorSerializer):
    class Meta(AuthorSerializer.Meta):
        fields = AUTHOR_BRIEF


class BylineSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    author = AuthorSerializer(read_only=True)

    class Meta:
        model = Byline
        fields = ["role", "role_label", "author"]


class BylineBriefSerializer(BylineSerializer):
    author = AuthorBriefSerializer(read_only=True)


class SponsorshipSerializer(serializers.ModelSerializer):
    label = serializers.CharField(
        read_only=True,
        help_text="The label to show above the headline, in our fixed wording for the "
        "article's language (“Sponsored Advertising Content”, “Anzeige”, “Publicité”, "
        "“Publicidad”, or “Supported by …”; see /about/labels/). Show it wherever you show "
        "the piece.",
    )
    full_label = serializers.CharField(
        read_only=True, help_text="Label and sponsor in one phrase, for titles and feeds."
    )
    sponsor_line = serializers.CharField(read_only=True)
    sponsor = SponsorSerializer(read_only=True)
    labels_policy = serializers.SerializerMethodField()

    class Meta:
        model = Sponsorship
        fields = [
            "kind",
            "label",
            "full_label",
            "sponsor_line",
            "disclosure",
            "sponsor",
            "campaign_starts_on",
            "campaign_ends_on",
            "labels_policy",
        ]

    def get_labels_policy(self, sponsorship) -> str:
        from django.urls import reverse

        return absolute(reverse("articles:standards", args=["labels"]))


class RenditionSerializer(serializers.Serializer):
    spec = serializers.CharField(help_text="thumbnail, card (16:9), hero, social (1200×630).")
    format = serializers.CharField()
    mime_type = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    url = serializers.CharField()


class ImageSerializer(serializers.ModelSerializer):
    """A picture with what must travel with it: alt text, credit, and the AI-generated label."""

    reader_label = serializers.CharField(
        read_only=True, help_text="“AI-generated image” for pictures a generative AI made."
    )
    digital_source_type = serializers.CharField(read_only=True, help_text="IPTC URI.")
    renditions = serializers.SerializerMethodField()

    class Meta:
        model = Image
        fields = [
            "id",
            "alt_text",
            "caption",
            "credit",
            "copyright",
            "source_kind",
            "reader_label",
            "digital_source_type",
            "width",
            "height",
            "renditions",
        ]

    specs = ALL_SPECS

    @extend_schema_field(RenditionSerializer(many=True))
    def get_renditions(self, image: Image) -> list[dict]:
        return [
            {**rendition, "url": absolute(rendition["url"])}
            for rendition in renditions.describe(image, self.specs)
        ]


class TeaserImageSerializer(ImageSerializer):
    """The lead image in a list: the thumbnail and card renditions only."""

    specs = TEASER_SPECS


class ReviewSerializer(serializers.Serializer):
    reviewer = serializers.CharField(source="reviewer_name")
    reviewed_at = serializers.DateTimeField()
    version = serializers.IntegerField()


class AIInvolvementSerializer(serializers.Serializer):
    level = serializers.CharField(source="ai_involvement")
    label = serializers.CharField(source="ai_involvement_level.label")
    digital_source_type = serializers.CharField(
        help_text="IPTC digital source type URI (http://cv.iptc.org/newscodes/digitalsourcetype/…)."
    )


class RelatedSerializer(serializers.Serializer):
    """A piece offered under an article, as its card shows it: the label comes with it."""

    id = serializers.IntegerField()
    url = serializers.URLField()
    headline = serializers.CharField()
    title_with_label = serializers.CharField()
    is_sponsored = serializers.BooleanField()
    label = serializers.CharField(help_text="Empty for journalism; the fixed label otherwise.")
    published_at = serializers.DateTimeField()

    def to_representation(self, article: Article) -> dict:
        with labels.in_language(article):  # its card's words in its language
            return super().to_representation(article)


class BodyMediaSerializer(serializers.Serializer):
    """What the body's markers name: <figure data-image="ID">, <figure data-embed="URL">."""

    images = ImageSerializer(many=True, help_text="Library pictures, in body order.")
    embeds = BodyEmbedSerializer(many=True)

    def to_representation(self, article: Article) -> dict:
        images, embeds = shown_media(article.body, images_of(article))
        return {"images": ImageSerializer(images, many=True).data, "embeds": embeds_data(embeds)}


class ArticleSerializer(serializers.ModelSerializer):
    """An article with everything needed to label it honestly on any surface."""

    url = serializers.SerializerMethodField(help_text="The public page (null until published).")
    body = serializers.SerializerMethodField(help_text="Sanitised HTML; see body_media.")
    body_media = BodyMediaSerializer(source="*", read_only=True)
    type_of_work = serializers.CharField(
        source="work_type.value",
        read_only=True,
        help_text="news, analysis, opinion, explainer, review, or advertiser_content for "
        "native advertising (whatever its form).",
    )
    schema_type = serializers.CharField(read_only=True)
    section = SectionRefSerializer(read_only=True, allow_null=True)
    tags = serializers.SerializerMethodField()
    is_sponsored = serializers.BooleanField(read_only=True)
    label = serializers.CharField(
        read_only=True, help_text="The sponsorship label, or an empty string for journalism."
    )
    title_with_label = serializers.SerializerMethodField(
        help_text="The headline with the label first, for titles, feeds and cards."
    )
    sponsorship = SponsorshipSerializer(
        source="sponsorship_or_none", read_only=True, allow_null=True
    )
    bylines = BylineSerializer(source="byline_list", many=True, read_only=True)
    byline_text = serializers.SerializerMethodField(
        help_text="The byline in words, e.g. “By Sift, an AI agent operated by Newsroom Media "
        "Ltd; reviewed by Maria Okafor”."
    )
    reviewed_by = ReviewSerializer(source="latest_review", read_only=True, allow_null=True)
    ai_involvement = AIInvolvementSerializer(source="*", read_only=True)
    claims = serializers.SerializerMethodField(
        help_text="Claims in body order, each with its sources and the citation text readers see."
    )
    lead_image = ImageSerializer(read_only=True, allow_null=True)
    corrections = CorrectionSerializer(many=True, read_only=True)
    modified_at = serializers.DateTimeField(read_only=True)
    embargoed_until = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="Only for keys with the embargo scope: the piece is under embargo until "
        "then (do not publish it before); it publishes itself at that time. Null otherwise.",
    )
    expires_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the piece unpublishes itself (rights-limited photos, time-limited "
        "offers): take it down from your site by then. Null when it has no end.",
    )
    translations = translations_field()  # published siblings only
    related = RelatedSerializer(
        many=True,
        read_only=True,
        help_text="Only on a single article: what its page offers readers next (pinned "
        "pieces first, then shared tags, then its section), labels kept.",
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "slug",
            "status",
            "headline",
            "title_with_label",
            "dek",
            "body",
            "body_media",
            "type_of_work",
            "schema_type",
            "language",
            "translations",
            "section",
            "tags",
            "is_sponsored",
            "label",
            "sponsorship",
            "bylines",
            "byline_text",
            "reviewed_by",
            "ai_involvement",
            "claims",
            "corrections",
            "lead_image",
            "published_at",
            "embargoed_until",
            "expires_at",
            "related",
            "updated_at",
            "modified_at",
            "version",
        ]

    def to_representation(self, article: Article) -> dict:
        with labels.in_language(article):  # labels, byline, citations: as on its page
            return super().to_representation(article)

    def get_url(self, article: Article) -> str | None:
        return absolute(article.get_absolute_url()) if article.is_published else None

    def get_body(self, article: Article) -> str:
        return sanitize_html(article.body, sponsored=article.is_sponsored)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, article: Article) -> list[str]:
        return sorted(tag.name for tag in article.tags.all())

    @extend_schema_field(ClaimSerializer(many=True))
    def get_claims(self, article: Article) -> list[dict]:
        # Dates in citations read relative to the article's own publication date.
        reference = article.published_at.date() if article.published_at else None
        # Supporting passages are third parties' words: given once the page shows them.
        context = {**self.context, "reference": reference, "passages": article.is_published}
        return ClaimSerializer(article.claims.all(), many=True, context=context).data

    def get_title_with_label(self, article: Article) -> str:
        return labels.title_with_label(article)

    def get_byline_text(self, article: Article) -> str:
        return labels.byline_text(article)


class ArticleListItemSerializer(ArticleSerializer):
    """An article in a list: everything a teaser must show honestly (label and sponsor,
    bylines with the AI disclosure and the reviewing editor, claims with their sources,
    corrections), without the body. ``expand=body`` adds ``body``."""

    bylines = BylineBriefSerializer(
        source="byline_list",
        many=True,
        read_only=True,
        help_text="Each author in brief; the article itself gives the full author.",
    )
    lead_image = TeaserImageSerializer(
        read_only=True, allow_null=True, help_text="With the thumbnail and card renditions."
    )

    class Meta(ArticleSerializer.Meta):
        fields = [
            field
            for field in ArticleSerializer.Meta.fields
            if field not in {"body", "body_media", "related"}
        ]
