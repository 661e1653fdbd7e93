"""The article and who made it: bylines, type of work, AI involvement.

Whether a piece is sponsored is known from exactly one place, its ``Sponsorship``
row (``articles.models.sponsorship``); whether AI wrote it, from its bylines and
its ``ai_involvement``. Wording shown to readers comes from ``articles.labels``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from articles.models.media import IPTC_DIGITAL_SOURCE_TYPE, Image
from articles.models.newsroom import Author, Section, unique_slug
from articles.models.publication import WINDOW_CONSTRAINTS, PublicationWindow
from articles.models.translation import TRANSLATION_CONSTRAINTS, translation_field
from articles.querysets import ArticleQuerySet
from articles.sanitize import BODY_EXTENSIONS, CleanTagManager, sanitize_html
from sources.text import normalise_text


class AIInvolvement(models.TextChoices):
    """How much of an article an AI system produced, with its IPTC digital source type."""

    NONE = "none", "No AI involvement"
    ASSISTED = "assisted", "AI-assisted"
    GENERATED = "generated", "AI-generated"

    @property
    def rank(self) -> int:
        return list(type(self)).index(self)

    @property
    def digital_source_type(self) -> str:
        """The IPTC digital source type URI for this level of involvement."""
        term = {
            "none": "digitalCreation",
            "assisted": "compositeWithTrainedAlgorithmicMedia",
            "generated": "trainedAlgorithmicMedia",
        }[self.value]
        return IPTC_DIGITAL_SOURCE_TYPE + term


class WorkType(models.TextChoices):
    """The Trust Project's “type of work”, each with its schema.org article type."""

    NEWS = "news", _("News")
    ANALYSIS = "analysis", _("Analysis")
    OPINION = "opinion", _("Opinion")
    EXPLAINER = "explainer", _("Explainer")
    REVIEW = "review", _("Review")
    # Never stored: an article *is* advertiser content exactly when it has a
    # native-advertising sponsorship (see Article.work_type).
    ADVERTISER_CONTENT = "advertiser_content", _("Advertiser content")

    @property
    def schema_type(self) -> str:
        return {
            "news": "ReportageNewsArticle",
            "analysis": "AnalysisNewsArticle",
            "opinion": "OpinionNewsArticle",
            "explainer": "BackgroundNewsArticle",
            "review": "ReviewNewsArticle",
            "advertiser_content": "AdvertiserContentArticle",
        }[self.value]


EDITORIAL_WORK_TYPES = [c for c in WorkType.choices if c[0] != WorkType.ADVERTISER_CONTENT]


class Article(PublicationWindow):  # scheduled_for, embargo, expires_at
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    headline = models.CharField(max_length=250)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    dek = models.CharField(
        "standfirst",
        max_length=400,
        blank=True,
        help_text="One or two sentences under the headline.",
    )
    body = ProseEditorField(extensions=BODY_EXTENSIONS, sanitize=sanitize_html, blank=True)
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    tags = TaggableManager(blank=True, manager=CleanTagManager)
    type_of_work = models.CharField(
        max_length=20, choices=EDITORIAL_WORK_TYPES, default=WorkType.NEWS
    )
    language = models.CharField(max_length=12, choices=settings.ARTICLE_LANGUAGES, default="en")
    translation_of = translation_field()  # articles.models.translation
    ai_involvement = models.CharField(
        "AI involvement",
        max_length=10,
        choices=AIInvolvement,
        default=AIInvolvement.NONE,
        help_text="At least what the bylines show: an AI agent as author means AI-generated.",
    )
    lead_image = models.ForeignKey(
        Image, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )

    class Desk(models.TextChoices):
        NEWSROOM = "newsroom", "Newsroom"
        COMMERCIAL = "commercial", "Commercial desk"

    desk = models.CharField(
        max_length=10,
        choices=Desk,
        default=Desk.NEWSROOM,
        editable=False,
        help_text=(
            "Who made it. Native advertising is commercial-desk work; underwriting "
            '("Supported by …") funds newsroom journalism.'
        ),
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Goes up on every save; guards against lost edits."
    )
    # Goes up with every change partners are told of: webhooks carry it as ``sequence``.
    change_sequence = models.PositiveBigIntegerField(default=0, db_default=0, editable=False)
    # Headline (A), standfirst (B) and body (C) as an 'english' tsvector, written by a
    # PostgreSQL trigger whenever the text is written (migration 0010); NULL on SQLite.
    search_vector = SearchVectorField(null=True, editable=False, serialize=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [F("published_at").desc(nulls_last=True), "-created_at"]
        indexes = [
            # Public lists read pages in order from these, unsorted; GIN on search_vector: 0010.
            models.Index(fields=["status", "-published_at", "-id"], name="article_status_newest"),
            models.Index(
                fields=["section", "-published_at", "-id"],
                name="article_section_newest",
                condition=Q(status="published"),
            ),
            models.Index(
                fields=["updated_at", "id"], name="article_updated", condition=Q(status="published")
            ),
        ]
        permissions = [
            ("submit_article", "Can submit articles for review"),
            ("review_article", "Can review articles: request changes, approve, record reviews"),
            ("publish_article", "Can schedule, publish and unpublish articles"),
            ("edit_newsroom_article", "Can edit any newsroom (unsponsored) article"),
            (
                "manage_sponsored_content",
                "Can create and edit sponsored articles (commercial desk)",
            ),
            (
                "view_all_desks",
                "Can read unpublished work on every desk (standards, administrators)",
            ),
            (
                "manage_underwriting",
                "Can attach, change and remove underwriting (“Supported by …”) on newsroom pieces",
            ),
        ]
        constraints = [
            *WINDOW_CONSTRAINTS,
            *TRANSLATION_CONSTRAINTS,
            models.CheckConstraint(
                condition=Q(desk__in=["newsroom", "commercial"]), name="article_desk_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_date",
                violation_error_message="A published article needs its publication time.",
            ),
            models.CheckConstraint(
                condition=Q(type_of_work__in=[c[0] for c in EDITORIAL_WORK_TYPES]),
                name="article_type_of_work_valid",
            ),
            models.CheckConstraint(
                condition=Q(ai_involvement__in=AIInvolvement.values),
                name="article_ai_involvement_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs):
        # Normalise only: a clean slug, the body through the one allow-list,
        # claims in body order, and the version bumped for lost-update checks.
        if not self.slug:
            self.slug = unique_slug(self, self.headline)
        self.body = sanitize_html(self.body)
        if not self._state.adding:
            self.version += 1
        self.__dict__.pop("body_text", None)
        super().save(*args, **kwargs)
        self.reorder_claims()

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.slug])

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        for cached in ("body_text", "byline_list"):
            self.__dict__.pop(cached, None)

    # -- who made it -------------------------------------------------------

    @cached_property
    def byline_list(self) -> list[Byline]:
        return list(self.bylines.all())

    @property
    def authors(self) -> list[Author]:
        return [b.author for b in self.byline_list if b.role == Byline.Role.BY]

    @property
    def ai_agents(self) -> list[Author]:
        return [b.author for b in self.byline_list if b.author.is_ai_agent]

    @property
    def has_ai_byline(self) -> bool:
        return bool(self.ai_agents)

    @property
    def ai_involvement_level(self) -> AIInvolvement:
        return AIInvolvement(self.ai_involvement)

    @property
    def digital_source_type(self) -> str:
        return self.ai_involvement_level.digital_source_type

    def ai_involvement_problem(self, bylines: list[Byline] | None = None) -> str:
        """Why the declared AI involvement understates the bylines; empty when it does not."""
        bylines = self.byline_list if bylines is None else bylines
        required = required_ai_involvement(bylines)
        if required.rank > self.ai_involvement_level.rank:
            agents = ", ".join(sorted({b.author.name for b in bylines if b.author.is_ai_agent}))
            return (
                f"{agents} is an AI agent in the byline, so AI involvement must be at least "
                f"“{required.label}”."
            )
        return ""

    # -- who paid for it ---------------------------------------------------

    @property
    def sponsorship_or_none(self):
        """The article's ``Sponsorship``, or None for journalism."""
        try:
            return self.sponsorship
        except ObjectDoesNotExist:
            return None

    @property
    def is_sponsored(self) -> bool:
        return self.sponsorship_or_none is not None

    @property
    def is_advertising(self) -> bool:
        sponsorship = self.sponsorship_or_none
        return sponsorship is not None and sponsorship.is_advertising

    @property
    def work_type(self) -> WorkType:
        """Type of work as readers are told it; native advertising overrides the form."""
        if self.is_advertising:
            return WorkType.ADVERTISER_CONTENT
        return WorkType(self.type_of_work)

    @property
    def schema_type(self) -> str:
        return self.work_type.schema_type

    @property
    def label(self) -> str:
        """The sponsorship label, or empty for journalism."""
        sponsorship = self.sponsorship_or_none
        return sponsorship.label if sponsorship else ""

    # -- what it says ------------------------------------------------------

    @cached_property
    def body_text(self) -> str:
        """The body as plain text, as claims are matched against it."""
        return normalise_text(self.body)

    def detached_claims(self) -> list:
        """Claims whose text no longer occurs in the body."""
        return [claim for claim in self.claims.all() if claim.is_detached(self.body_text)]

    def reorder_claims(self) -> None:
        """Number claims in the order they appear in the body; detached ones go last."""
        text = self.body_text
        claims = list(self.claims.all())
        end = len(text) + 1
        for claim in claims:
            index = text.find(normalise_text(claim.text))
            claim.position = index if index >= 0 else end
        if claims:
            type(claims[0]).objects.bulk_update(claims, ["position"])

    @property
    def latest_review(self):
        """The newest recorded human review (ordering is newest first)."""
        return next(iter(self.reviews.all()), None)

    @property
    def is_published(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def last_correction_at(self):
        return max((c.created_at for c in self.corrections.all()), default=None)

    @property
    def modified_at(self):
        """When readers last saw a change: an edit, or a correction or update note."""
        return max(filter(None, [self.updated_at, self.last_correction_at]))

    @property
    def updated_for_readers(self):
        """The “Updated” time to print, or None when nothing changed after publication
        (publishing itself touches ``updated_at`` a moment after ``published_at``)."""
        if self.published_at is None:
            return None
        modified = self.modified_at
        return modified if (modified - self.published_at).total_seconds() > 60 else None

    @property
    def is_withdrawn(self) -> bool:
        """Readers once saw it and it has been taken down (the site answers 410 Gone)."""
        return self.status == self.Status.UNPUBLISHED and self.published_at is not None


def required_ai_involvement(bylines: list[Byline]) -> AIInvolvement:
    """The least AI involvement a set of bylines implies.

    An AI agent as an author (“By”) means the text is AI-generated; an agent in
    any other role (research, additional reporting) means at least AI-assisted.
    """
    required = AIInvolvement.NONE
    for byline in bylines:
        if not byline.author.is_ai_agent:
            continue
        if byline.role == Byline.Role.BY:
            return AIInvolvement.GENERATED
        required = AIInvolvement.ASSISTED
    return required


class Byline(models.Model):
    class Role(models.TextChoices):
        BY = "by", "By"
        ADDITIONAL_REPORTING = "additional_reporting", "Additional reporting by"
        RESEARCH = "research", "Research by"
        EDITED_BY = "edited_by", "Edited by"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    role = models.CharField(max_length=24, choices=Role, default=Role.BY)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["article", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author", "role"], name="byline_unique_author_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.author.name}"
