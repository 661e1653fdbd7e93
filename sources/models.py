"""Where facts come from: publishers, the documents they publish, and the
claims in our articles that cite them.

``sources`` knows articles only by the string reference ``"articles.Article"``;
it never imports the ``articles`` app (see the README's architecture sketch).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sources import citations
from sources.text import normalise_text


class Publisher(models.Model):
    """An organisation that publishes or carries source documents."""

    class Kind(models.TextChoices):
        COMPANY = "company", "Company"
        WIRE = "wire", "Wire service"
        NEWS_OUTLET = "news_outlet", "News outlet"
        PORTAL = "portal", "Portal or aggregator"
        GOVERNMENT = "government", "Government or regulator"
        RESEARCH = "research", "Research or data provider"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER)
    url = models.URLField("website", blank=True)

    # Citations on published pieces print the name: each change is kept (who, when, what, why).
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)


class SourceDocument(models.Model):
    """One document a claim can rest on: a release, a wire report, a filing…"""

    class Kind(models.TextChoices):
        PRESS_RELEASE = "press_release", _("Press release")
        WIRE_REPORT = "wire_report", _("Wire report")
        NEWS_ARTICLE = "news_article", _("News article")
        FILING = "filing", _("Regulatory filing")
        DATASET = "dataset", _("Dataset")
        INTERVIEW = "interview", _("Interview")

    title = models.CharField(max_length=500)
    publisher = models.ForeignKey(Publisher, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind)
    url = models.URLField("link", max_length=1000, blank=True)
    published_on = models.DateField("publication date", null=True, blank=True)
    accessed_on = models.DateField("date accessed", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # As for publishers: what a citation prints comes from here.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accessed_on__isnull=True)
                | Q(published_on__isnull=True)
                | Q(accessed_on__gte=models.F("published_on")),
                name="source_accessed_not_before_published",
                violation_error_message="A document cannot be accessed before it was published.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}"


class ClaimQuerySet(models.QuerySet):
    def with_citations(self):
        """Claims with everything the citation text needs, in two queries."""
        # Ordered within each claim only: the default ordering ("claim", …) would join
        # the claims and their articles just to sort rows that are grouped by claim anyway.
        attributions = Attribution.objects.select_related("document__publisher", "via")
        return self.prefetch_related(
            models.Prefetch("attributions", queryset=attributions.order_by("position", "pk"))
        )


class Claim(models.Model):
    """A factual statement in an article body, quoted exactly as it appears there."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="claims")
    text = models.CharField(
        max_length=1000,
        help_text="The claim exactly as it appears in the article body.",
    )
    position = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Order of the claim in the body; kept in step by Article.save().",
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "text"], name="claim_unique_text_per_article"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="claim_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else f"{self.text[:79]}…"

    def is_detached(self, body_text: str | None = None) -> bool:
        """True when the claim's text no longer occurs in its article's body."""
        if body_text is None:
            body_text = self.article.body_text
        return normalise_text(self.text) not in body_text

    def clean(self):
        self.text = self.text.strip()
        # In the article form the article may be unsaved; it is attached all the same.
        article = self.article if "article" in self._state.fields_cache or self.article_id else None
        if article is not None and self.text and self.is_detached(article.body_text):
            raise ValidationError(
                {"text": "This text does not appear in the article body. Quote it exactly."}
            )


class Attribution(models.Model):
    """Links a claim to a source document, possibly reached through an intermediary."""

    # The relations and their wording are one vocabulary, kept in sources.citations.
    Relation = citations.Relation

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="attributions")
    document = models.ForeignKey(
        SourceDocument,
        on_delete=models.PROTECT,
        related_name="attributions",
        help_text="The origin: the release, report or interview the claim rests on.",
    )
    via = models.ForeignKey(
        Publisher,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_attributions",
        verbose_name="intermediary",
        help_text="The outlet through which we reached the source, if not first-hand.",
    )
    relation = models.CharField(
        "relation to intermediary", max_length=20, choices=Relation, blank=True
    )
    via_url = models.URLField(
        "intermediary link",
        max_length=1000,
        blank=True,
        help_text="Where the intermediary carried or quoted the source.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["claim", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(via__isnull=True) & Q(relation="") & Q(via_url=""))
                | (Q(via__isnull=False) & ~Q(relation="")),
                name="attribution_intermediary_needs_relation",
                violation_error_message=(
                    "An intermediary needs its relation (carried by, quoted by, data from), "
                    "and a relation or intermediary link needs the intermediary."
                ),
            ),
            models.UniqueConstraint(
                fields=["claim", "document"], name="attribution_unique_document_per_claim"
            ),
        ]

    def __str__(self) -> str:
        return citations.attribution_text(self)

    def clean(self):
        if self.via_id and self.document_id and self.via_id == self.document.publisher_id:
            raise ValidationError(
                {"via": "The intermediary must differ from the document's own publisher."}
            )

    @property
    def link(self) -> str:
        """Where a reader can check the source: the intermediary's page if we read it there."""
        return self.via_url or self.document.url
