"""Where facts come from: publishers, the documents they publish, and the
claims in our articles that cite them.

``sources`` knows articles only by the string reference ``"articles.Article"``;
it never imports the ``articles`` app (see the README's architecture sketch).
"""

from django.conf import settings
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
        """Claims with everything the citation text needs (chains of custody included)
        and their checks, in four queries."""
        # Ordered within each claim only: the default ordering ("claim", …) would join
        # the claims and their articles just to sort rows that are grouped by claim anyway.
        # Hops likewise, within each attribution.
        hops = AttributionHop.objects.select_related("publisher").order_by("position", "pk")
        attributions = Attribution.objects.select_related(
            "document__publisher", "via"
        ).prefetch_related(models.Prefetch("hops", queryset=hops))
        return self.prefetch_related(
            models.Prefetch("attributions", queryset=attributions.order_by("position", "pk")),
            checks_prefetch(),
        )


def checks_prefetch() -> models.Prefetch:
    """Each claim's checks with who made them, one query for all the claims (read by
    ``sources.verification``): whether each is verified, and by whom, as it reads now."""
    checks = ClaimCheck.objects.select_related("checked_by").order_by("-checked_at", "-pk")
    return models.Prefetch("checks", queryset=checks)


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
    via_on = models.DateField(
        "date at the intermediary",
        null=True,
        blank=True,
        help_text="When the intermediary carried or quoted it, if not the document's own date.",
    )
    passage = models.TextField(
        "supporting passage",
        blank=True,
        help_text="The words in the source that support the claim, pasted as they read there.",
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


class AttributionHop(models.Model):
    """A further link in a chain of custody, after the attribution's first intermediary.

    Bloomberg's report (the document) quoted by Reuters (``via``) and carried by Yahoo
    Finance (hop 0): "according to Bloomberg as cited by Reuters, as carried by Yahoo
    Finance". Hops are read in ``position`` order, each passing the source on from the
    one before.
    """

    Relation = citations.Relation

    attribution = models.ForeignKey(Attribution, on_delete=models.CASCADE, related_name="hops")
    position = models.PositiveSmallIntegerField(default=0)
    publisher = models.ForeignKey(
        Publisher,
        on_delete=models.PROTECT,
        related_name="relayed_hops",
        help_text="The outlet that passed the source on at this step.",
    )
    relation = models.CharField(max_length=20, choices=Relation)
    url = models.URLField("link", max_length=1000, blank=True)
    on = models.DateField("date", null=True, blank=True)

    class Meta:
        ordering = ["attribution", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(relation=""), name="hop_relation_not_empty"),
            models.UniqueConstraint(
                fields=["attribution", "position"], name="hop_unique_position_per_attribution"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} {self.publisher}"


class ClaimCheck(models.Model):
    """A person checked a claim against its sources' passages: verified, or sent back.

    Append-only, newest first. A check holds for the claim as it was checked
    (``fingerprint``: its text, sources, chains and passages); once any of those change,
    the claim needs checking again.
    """

    class Verdict(models.TextChoices):
        VERIFIED = "verified", _("Verified")
        RETURNED = "returned", _("Sent back")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="checks")
    verdict = models.CharField(max_length=10, choices=Verdict)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claim_checks"
    )
    checked_at = models.DateTimeField(db_index=True)
    fingerprint = models.CharField(max_length=64)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["claim", "-checked_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict__in=["verified", "returned"]), name="claim_check_verdict_valid"
            ),
            models.CheckConstraint(
                condition=~Q(verdict="returned", note=""),
                name="claim_check_returned_needs_note",
                violation_error_message="Say what is wrong when sending a claim back.",
            ),
        ]

    def __str__(self) -> str:
        when = f"{self.checked_at:%Y-%m-%d %H:%M}"
        return f"{self.get_verdict_display()} by {self.checked_by} at {when}"
