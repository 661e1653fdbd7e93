"""The newsroom's articles and everything a reader is told about who made them.

Whether a piece is sponsored is known from exactly one place, its
``Sponsorship`` row; whether AI wrote it, from its bylines and its
``ai_involvement``. Wording shown to readers comes from ``articles.labels``.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django_prose_editor.fields import ProseEditorField
from rest_framework_api_key.models import AbstractAPIKey
from taggit.managers import TaggableManager

from articles import images, labels
from articles.images import CheckedImageField
from articles.querysets import ArticleQuerySet
from articles.sanitize import BODY_EXTENSIONS, sanitize_html
from sources.text import normalise_text

IPTC_DIGITAL_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def unique_slug(instance: models.Model, value: str, *, max_length: int = 200) -> str:
    """A slug from ``value`` not yet used by another row of the same model."""
    base = slugify(value)[: max_length - 8] or "item"
    slug, n = base, 2
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order of the section in navigation; lower comes first."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:section", args=[self.slug])


class Author(models.Model):
    """A byline: a human journalist, or an AI agent with its human supervision on record."""

    class Kind(models.TextChoices):
        HUMAN = "human", "Human journalist"
        AI_AGENT = "ai_agent", "AI agent"

    kind = models.CharField(max_length=10, choices=Kind, default=Kind.HUMAN)
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text="The staff account of a human journalist, if they have one.",
    )
    job_title = models.CharField(max_length=150, blank=True)
    bio = models.TextField(blank=True)
    beats = models.CharField(
        max_length=300,
        blank=True,
        help_text="Comma-separated topics this author covers, e.g. “AI, machine learning”.",
    )
    email = models.EmailField("public contact e-mail", blank=True)

    # What readers must be told about an AI agent (EU AI Act art. 50(4), our labels page).
    operator = models.CharField(
        max_length=200, blank=True, help_text="The organisation that runs the agent."
    )
    operator_url = models.URLField("operator website", blank=True)
    system = models.CharField(
        "system it runs on",
        max_length=200,
        blank=True,
        help_text="Model or platform the agent runs on, e.g. “Newsroom Agent Platform 2”.",
    )
    supervising_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_agents",
        help_text="The human editor responsible for this agent's work.",
    )
    disclosure = models.TextField(
        "public disclosure",
        blank=True,
        help_text="Shown to readers on the agent's page: what it is and how its work is checked.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="human")
                | (
                    Q(kind="ai_agent")
                    & ~Q(operator="")
                    & ~Q(system="")
                    & ~Q(disclosure="")
                    & Q(supervising_editor__isnull=False)
                ),
                name="author_ai_agent_fully_disclosed",
                violation_error_message=(
                    "An AI agent needs an operator, the system it runs on, a supervising "
                    "editor and a public disclosure."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="human") | Q(user__isnull=True),
                name="author_ai_agent_has_no_login",
                violation_error_message="An AI agent cannot be linked to a staff account.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["human", "ai_agent"]), name="author_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (AI agent)" if self.is_ai_agent else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, max_length=150)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:author", args=[self.slug])

    def clean(self):
        errors = {}
        if self.is_ai_agent:
            required = {
                "operator": "the organisation that operates it",
                "system": "the system it runs on",
                "disclosure": "a public disclosure statement",
                "supervising_editor": "the human editor who supervises it",
            }
            for field, what in required.items():
                if not getattr(self, f"{field}_id" if field == "supervising_editor" else field):
                    errors[field] = f"An AI agent must record {what}."
            if self.user_id:
                errors["user"] = "An AI agent cannot be linked to a staff account."
        if errors:
            raise ValidationError(errors)

    @property
    def is_ai_agent(self) -> bool:
        return self.kind == self.Kind.AI_AGENT

    @property
    def beat_list(self) -> list[str]:
        return [beat.strip() for beat in self.beats.split(",") if beat.strip()]

    @property
    def covers(self) -> str:
        """“Covers: AI, machine learning, autonomous systems”, or empty."""
        return f"Covers: {', '.join(self.beat_list)}" if self.beat_list else ""

    @property
    def description(self) -> str:
        """How bylines describe this author (“an AI agent operated by …” for agents)."""
        return labels.ai_agent_description(self) if self.is_ai_agent else self.job_title


class Sponsor(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    website = models.URLField(blank=True)
    logo = CheckedImageField(upload_to="sponsors/", blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:sponsor", args=[self.slug])


class Image(models.Model):
    """A picture with the facts an editor must supply before readers see it.

    Uploads arrive through ``articles.images.clean_upload`` (checked, upright, stripped
    of personal metadata); renditions are made by ``articles.renditions``.
    """

    class SourceKind(models.TextChoices):
        STAFF = "staff", "Staff photo"
        AGENCY = "agency", "Agency"
        HANDOUT = "handout", "Handout / sponsor-provided"
        AI_GENERATED = "ai_generated", "AI-generated"

    file = CheckedImageField(upload_to="images/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    format = models.CharField(max_length=10, editable=False, blank=True)
    bytes = models.PositiveBigIntegerField("file size (bytes)", editable=False, null=True)
    # Of the stored file. NULL until hashed: NULLs never collide under UNIQUE, "" would.
    sha256 = models.CharField(  # noqa: DJ001
        "SHA-256", max_length=64, unique=True, null=True, editable=False
    )
    alt_text = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. Needed to publish.",
    )
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=200, blank=True)
    copyright = models.CharField(
        "copyright / licence",
        max_length=300,
        blank=True,
        help_text="Who holds the rights and on what terms, e.g. “© Reuters” or “CC BY 4.0”.",
    )
    source_kind = models.CharField(
        "source",
        max_length=20,
        choices=SourceKind,
        default=SourceKind.STAFF,
        help_text="Where the image came from. AI-generated images are labelled so for readers.",
    )
    # Where the subject is, as fractions of width and height from the top left: crops keep it.
    focal_x = models.FloatField(
        "focal point x",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 is the left edge, 1 the right.",
    )
    focal_y = models.FloatField(
        "focal point y",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 is the top edge, 1 the bottom.",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
                violation_error_message="The focal point must lie inside the image (0 to 1).",
            ),
            models.CheckConstraint(
                condition=Q(source_kind__in=["staff", "agency", "handout", "ai_generated"]),
                name="image_source_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.caption[:60] or self.alt_text[:60] or self.file.name

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            # A new file: record what it is, as width_field/height_field record its size.
            self.format, self.bytes, self.sha256 = images.file_facts(self.file)
        super().save(*args, **kwargs)

    @property
    def is_ai_generated(self) -> bool:
        return self.source_kind == self.SourceKind.AI_GENERATED

    @property
    def digital_source_type(self) -> str:
        """The IPTC digital source type URI, written into every rendition's XMP."""
        term = "trainedAlgorithmicMedia" if self.is_ai_generated else "digitalCapture"
        return IPTC_DIGITAL_SOURCE_TYPE + term

    @property
    def reader_label(self) -> str:
        """“AI-generated image” for pictures a generative AI made; empty otherwise."""
        return labels.AI_GENERATED_IMAGE_LABEL if self.is_ai_generated else ""

    @property
    def rendition_key(self) -> str:
        """Changes whenever a rendition would come out differently: pixels, crop or metadata."""
        facts = "|".join(
            str(fact)
            for fact in (
                self.sha256,
                round(self.focal_x, 4),
                round(self.focal_y, 4),
                self.digital_source_type,
                self.credit,
                self.copyright,
            )
        )
        return hashlib.sha256(facts.encode()).hexdigest()


class Rendition(models.Model):
    """A resized, cropped copy of an image for one spec, width and format (articles.renditions).

    Made once and reused. One made from other facts than the image's current
    ``rendition_key`` is stale: never served, deleted when next seen.
    """

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=40)
    format = models.CharField(max_length=10)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(upload_to="renditions/", max_length=255)
    source_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["image", "spec", "format", "width"]
        constraints = [
            # With source_key in it, a changed image's new renditions are plain inserts
            # beside the stale ones, and two requests racing to make one collide here.
            models.UniqueConstraint(
                fields=["image", "spec", "format", "width", "source_key"],
                name="rendition_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spec} {self.width}×{self.height} {self.format}"


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

    NEWS = "news", "News"
    ANALYSIS = "analysis", "Analysis"
    OPINION = "opinion", "Opinion"
    EXPLAINER = "explainer", "Explainer"
    REVIEW = "review", "Review"
    # Never stored: an article *is* advertiser content exactly when it has a
    # native-advertising sponsorship (see Article.work_type).
    ADVERTISER_CONTENT = "advertiser_content", "Advertiser content"

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


class Article(models.Model):
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
    body = ProseEditorField(extensions=BODY_EXTENSIONS, sanitize=True, blank=True)
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    tags = TaggableManager(blank=True)
    type_of_work = models.CharField(
        max_length=20, choices=EDITORIAL_WORK_TYPES, default=WorkType.NEWS
    )
    language = models.CharField(max_length=12, choices=settings.ARTICLE_LANGUAGES, default="en")
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
        help_text="Who made it. Only commercial-desk pieces can carry a sponsorship.",
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    scheduled_for = models.DateTimeField(
        null=True, blank=True, help_text="When a scheduled article publishes itself."
    )
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

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [F("published_at").desc(nulls_last=True), "-created_at"]
        indexes = [models.Index(fields=["status", "-published_at"], name="article_status_pub")]
        permissions = [
            ("submit_article", "Can submit articles for review"),
            ("review_article", "Can review articles: request changes, approve, record reviews"),
            ("publish_article", "Can schedule, publish and unpublish articles"),
            ("edit_newsroom_article", "Can edit any newsroom (unsponsored) article"),
            (
                "manage_sponsored_content",
                "Can create and edit sponsored articles (commercial desk)",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_for__isnull=False),
                name="article_scheduled_has_time",
                violation_error_message="A scheduled article needs its publication time.",
            ),
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
    def sponsorship_or_none(self) -> Sponsorship | None:
        try:
            return self.sponsorship
        except Sponsorship.DoesNotExist:
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
    def latest_review(self) -> HumanReview | None:
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


class Sponsorship(models.Model):
    """The single fact that makes an article sponsored, and how it must be labelled."""

    class Kind(models.TextChoices):
        NATIVE_ADVERTISING = (
            "native_advertising",
            "Native advertising: the sponsor paid for, wrote, commissioned or influenced it",
        )
        UNDERWRITING = (
            "underwriting",
            "Underwriting: the sponsor funded the coverage and had no say in it",
        )

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="sponsorship")
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="sponsorships")
    kind = models.CharField(max_length=20, choices=Kind)
    disclosure = models.TextField(
        help_text="Shown with the label: who paid, who produced it, and the newsroom's role.",
    )
    campaign_starts_on = models.DateField()
    campaign_ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["native_advertising", "underwriting"]),
                name="sponsorship_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(disclosure=""),
                name="sponsorship_has_disclosure",
                violation_error_message="A sponsorship needs its disclosure text.",
            ),
            models.CheckConstraint(
                condition=Q(campaign_ends_on__isnull=True)
                | Q(campaign_ends_on__gte=F("campaign_starts_on")),
                name="sponsorship_campaign_dates_ordered",
                violation_error_message="The campaign cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} — {self.article}"

    @property
    def is_advertising(self) -> bool:
        return self.kind == self.Kind.NATIVE_ADVERTISING

    @property
    def label(self) -> str:
        return labels.sponsorship_label(self)

    @property
    def sponsor_line(self) -> str:
        return labels.sponsorship_sponsor_line(self)

    @property
    def full_label(self) -> str:
        return labels.sponsorship_full_label(self)

    def is_active_on(self, day: date) -> bool:
        return self.campaign_starts_on <= day and (
            self.campaign_ends_on is None or day <= self.campaign_ends_on
        )


class Correction(models.Model):
    """A dated public note on a published article; append-only."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"
        RETRACTION = "retraction", "Retraction"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=15, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(help_text="What was wrong and what is right now, in plain words.")
    created_at = models.DateTimeField("dated", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["article", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="correction_text_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=["correction", "clarification", "update", "retraction"]),
                name="correction_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Corrections are append-only; add a new note instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Corrections are append-only and cannot be deleted.")


class ArticleEvent(models.Model):
    """The audit trail: every transition, review and sponsorship change, never edited."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text too, so the trail still names people whose accounts are gone.
    actor_name = models.CharField(max_length=150, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        who = self.actor_name or "the scheduler"
        return f"{self.action} by {who} at {self.created_at:%Y-%m-%d %H:%M}"


class Revision(models.Model):
    """A full snapshot of an article as saved: fields, bylines, claims, sponsorship, tags."""

    class Kind(models.TextChoices):
        SAVED = "saved", "Saved"
        RESTORED = "restored", "Restored from an earlier revision"
        REFUSED = "refused", "Refused save (edit conflict), kept for recovery"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    version = models.PositiveIntegerField(help_text="The article's version this snapshot shows.")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.SAVED)
    data = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_name = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of “{self.article}”"


class HumanReview(models.Model):
    """A human editor's recorded review of an article version (EU AI Act art. 50(4) evidence)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="article_reviews"
    )
    reviewer_name = models.CharField(max_length=150)
    version = models.PositiveIntegerField(help_text="The article version that was reviewed.")
    note = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "-reviewed_at", "-pk"]

    def __str__(self) -> str:
        return f"Reviewed by {self.reviewer_name} (version {self.version})"


class PartnerKey(AbstractAPIKey):
    """An API key, stored hashed. It belongs to a partner, an AI-agent author or an editor.

    Scopes: every key reads; ``can_draft`` files and edits drafts (an agent's own, or an
    editor's desk's); ``can_transition`` takes workflow steps and is for editors' keys only.
    """

    partner = models.CharField(
        max_length=150, blank=True, help_text="The partner organisation using this key."
    )
    agent = models.ForeignKey(
        Author,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_keys",
        limit_choices_to={"kind": Author.Kind.AI_AGENT},
        help_text="The AI agent that files drafts with this key; its byline is set automatically.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_keys",
        help_text="For editors' keys: the staff account whose permissions the key acts with.",
    )
    can_draft = models.BooleanField("scope: draft", default=False)
    can_transition = models.BooleanField("scope: workflow transitions", default=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API key"
        verbose_name_plural = "API keys"
        constraints = [
            models.CheckConstraint(
                condition=(Q(agent__isnull=True) | Q(user__isnull=True)),
                name="partnerkey_one_owner",
                violation_error_message="A key belongs to an AI agent or to an editor, not both.",
            ),
            models.CheckConstraint(
                condition=~Q(partner="") | Q(agent__isnull=False) | Q(user__isnull=False),
                name="partnerkey_has_owner",
                violation_error_message="Say whose key it is: a partner, an AI agent or an editor.",
            ),
            models.CheckConstraint(
                condition=Q(can_transition=False) | Q(user__isnull=False),
                name="partnerkey_transitions_for_editors_only",
                violation_error_message="Only an editor's key may take workflow transitions.",
            ),
            models.CheckConstraint(
                condition=Q(can_draft=False) | Q(agent__isnull=False) | Q(user__isnull=False),
                name="partnerkey_drafts_need_an_author",
                violation_error_message="Only an AI agent's or an editor's key may file drafts.",
            ),
        ]

    @property
    def owner(self) -> str:
        if self.agent_id:
            return f"{self.agent.name} (AI agent)"
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        return self.partner


class WebhookEndpoint(models.Model):
    """A partner's HTTPS endpoint that is told when articles change."""

    class Event(models.TextChoices):
        PUBLISHED = "article.published", "article.published"
        UPDATED = "article.updated", "article.updated"
        CORRECTED = "article.corrected", "article.corrected"
        UNPUBLISHED = "article.unpublished", "article.unpublished"

    partner = models.CharField(max_length=150)
    url = models.URLField(max_length=500)
    secret = models.CharField(
        max_length=100,
        editable=False,
        help_text="Signs every payload (HMAC-SHA256); shown to the partner once.",
    )
    events = models.JSONField(default=list, help_text="Event names this endpoint receives.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner", "url"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.url}"


class WebhookDelivery(models.Model):
    """One event for one endpoint, tried until it succeeds or runs out of attempts."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed (gave up)"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=30, choices=WebhookEndpoint.Event)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint} ({self.get_state_display()})"


class WebhookAttempt(models.Model):
    """The log of every delivery attempt: when, what came back, how long it took."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery", "attempted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.status_code or self.error} at {self.attempted_at:%H:%M:%S}"
