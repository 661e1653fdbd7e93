"""The article list's filters, and the rule every list keeps: a query parameter it does
not know is a 400 naming it, so a typo never silently returns everything.

Filters that name records take several values, comma-separated
(``section=technology,climate``): articles matching any of them. Those that reach
through bylines, tags, reviews or sources are semi-joins (``pk IN (…)``), so an article
matching twice is listed once and the page stays one indexed read.
"""

import datetime as dt

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from articles.models import AIInvolvement, Article, Author, HumanReview, Sponsorship, WorkType
from sources.api.params import refuse_unknown_params
from sources.models import Attribution

LABELS = {
    "sponsored_advertising_content": Q(sponsorship__kind=Sponsorship.Kind.NATIVE_ADVERTISING),
    "supported_by": Q(sponsorship__kind=Sponsorship.Kind.UNDERWRITING),
    "none": Q(sponsorship__isnull=True),
}


class BoundedIsoDateTimeField(IsoDateTimeField):
    """ISO 8601, within years a newsroom can mean (the database rejects far-off ones)."""

    def clean(self, value):
        value = super().clean(value)
        # The local year first: converting year 1 or 9999 to UTC can overflow.
        if value is not None and not (
            1900 <= value.year <= 2200 and 1900 <= value.astimezone(dt.UTC).year <= 2200
        ):
            raise forms.ValidationError("Use a date between the years 1900 and 2200.")
        # The same instant in UTC: ISO 8601 allows offsets (up to 23:59 in Python) that
        # PostgreSQL refuses beyond 15:59, which would turn a valid filter into a 500.
        return value.astimezone(dt.UTC) if value is not None else None


class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class ValuesFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """One value or several, comma-separated: articles matching any of them."""


class ChoicesFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """One choice or several, comma-separated; an unknown one is a 400 naming it."""


def _several(help_text: str) -> str:
    return f"{help_text} Several, comma-separated, match any."


class ArticleFilter(django_filters.FilterSet):
    section = ValuesFilter(
        field_name="section__slug", lookup_expr="in", help_text=_several("Section slug.")
    )
    tag = ValuesFilter(method="filter_tag", help_text=_several("Tag slug."))
    author = ValuesFilter(method="filter_author", help_text=_several("Author slug."))
    author_kind = ChoicesFilter(
        choices=Author.Kind.choices,
        method="filter_author_kind",
        help_text=_several("human or ai_agent."),
    )
    ai_involvement = ChoicesFilter(
        choices=AIInvolvement.choices,
        field_name="ai_involvement",
        lookup_expr="in",
        help_text=_several(
            "How much of the piece an AI system produced: none, assisted, generated."
        ),
    )
    language = ChoicesFilter(
        choices=settings.ARTICLE_LANGUAGES,
        field_name="language",
        lookup_expr="in",
        help_text=_several("The article's language (en, de, es, fr, ja…)."),
    )
    publisher = ValuesFilter(
        method="filter_publisher",
        help_text=_several(
            "Publisher slug: articles citing a document it published, or carried or quoted "
            "through it."
        ),
    )
    document = ValuesFilter(
        method="filter_document", help_text=_several("Source document id: articles citing it.")
    )
    reviewed_by = ValuesFilter(
        method="filter_reviewed_by",
        help_text=_several(
            "A human reviewer's name, as `reviewed_by.reviewer` gives it (any case): articles "
            "whose review they recorded."
        ),
    )
    sponsored = django_filters.BooleanFilter(
        field_name="sponsorship",
        lookup_expr="isnull",
        exclude=True,
        help_text="true: only sponsored pieces; false: only journalism.",
    )
    sponsor = ValuesFilter(
        field_name="sponsorship__sponsor__slug",
        lookup_expr="in",
        help_text=_several("Sponsor slug."),
    )
    label = django_filters.ChoiceFilter(
        choices=[(key, key) for key in LABELS],
        method="filter_label",
        help_text="sponsored_advertising_content, supported_by, or none (journalism).",
    )
    type = django_filters.ChoiceFilter(
        choices=WorkType.choices, method="filter_type", help_text="Type of work."
    )
    published_after = BoundedIsoDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = BoundedIsoDateTimeFilter(field_name="published_at", lookup_expr="lt")
    updated_since = BoundedIsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    q = django_filters.CharFilter(method="filter_q", max_length=200, help_text="Full-text search.")

    class Meta:
        model = Article
        fields = []

    def filter_tag(self, queryset, name, value):
        return queryset.filter(pk__in=Article.objects.filter(tags__slug__in=value).values("pk"))

    def filter_author(self, queryset, name, value):
        return queryset.filter(
            pk__in=Article.objects.filter(bylines__author__slug__in=value).values("pk")
        )

    def filter_author_kind(self, queryset, name, value):
        return queryset.filter(
            pk__in=Article.objects.filter(bylines__author__kind__in=value).values("pk")
        )

    def filter_publisher(self, queryset, name, value):
        citing = Attribution.objects.filter(
            Q(document__publisher__slug__in=value)
            | Q(via__slug__in=value)
            | Q(hops__publisher__slug__in=value)  # further along a chain of custody
        )
        return queryset.filter(pk__in=citing.values("claim__article_id"))

    def filter_document(self, queryset, name, value):
        ids = [int(v) for v in value if v.isdigit() and len(v) < 19]
        if len(ids) != len(value):
            raise ValidationError({name: ["Give source document ids (whole numbers)."]})
        citing = Attribution.objects.filter(document_id__in=ids)
        return queryset.filter(pk__in=citing.values("claim__article_id"))

    def filter_reviewed_by(self, queryset, name, value):
        names = Q()
        for reviewer in value:
            names |= Q(reviewer_name__iexact=reviewer.strip())
        return queryset.filter(pk__in=HumanReview.objects.filter(names).values("article_id"))

    def filter_label(self, queryset, name, value):
        return queryset.filter(LABELS[value])

    def filter_type(self, queryset, name, value):
        if value == WorkType.ADVERTISER_CONTENT:
            return queryset.filter(sponsorship__kind=Sponsorship.Kind.NATIVE_ADVERTISING)
        # A native-advertising piece is advertiser content, whatever form it takes.
        return queryset.filter(type_of_work=value).exclude(
            sponsorship__kind=Sponsorship.Kind.NATIVE_ADVERTISING
        )

    def filter_q(self, queryset, name, value):
        return queryset.filter(pk__in=Article.objects.search(value).values("pk"))


class ArticleFilterBackend(DjangoFilterBackend):
    """``ArticleFilter``, built only when the request names one of its filters: most reads
    filter nothing, and building the filter form costs more than reading the page."""

    def filter_queryset(self, request, queryset, view):
        if view.action == "list":
            refuse_unknown_params(request, {*ArticleFilter.base_filters, "profile"})
        if request.query_params.keys().isdisjoint(ArticleFilter.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class ArticleOrdering(OrderingFilter):
    """``ordering=published_at`` or ``updated_at``, ``-`` first for newest first.

    Cursor pages need a sort key that is never null and never ties, or they skip and
    repeat articles: the id breaks ties, and in lists that may hold drafts (which have
    no publication time yet) drafts sort by when they were filed. Lists of published
    articles sort by ``published_at`` itself, so the database reads the page along the
    ``(status, published_at, id)`` index instead of sorting every match.
    """

    SORT_KEYS = {"published_at": "published_at", "updated_at": "updated_at"}
    CHOICES = ["published_at", "-published_at", "updated_at", "-updated_at"]
    ordering_description = (
        "published_at or updated_at, with - first for newest first (the default: "
        "-published_at, or -updated_at for keys that also see drafts). Drafts, which have no "
        "publication time yet, sort by when they were filed."
    )

    def get_ordering(self, request, queryset, view):
        terms = [t.strip() for t in request.query_params.get(self.ordering_param, "").split(",")]
        if terms != [""]:
            if any(term.lstrip("-") not in self.SORT_KEYS for term in terms):
                raise ValidationError(
                    {self.ordering_param: [f"Order by one of: {', '.join(self.CHOICES)}."]}
                )
            public = terms[0]
        else:
            public = self.get_default_ordering(view)[0]
        key = self.SORT_KEYS[public.lstrip("-")]
        if key == "published_at" and getattr(view, "lists_drafts", False):
            key = "publication_order"
        return [f"-{key}", "-id"] if public.startswith("-") else [key, "id"]

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "lists_drafts", False):
            queryset = queryset.annotate(publication_order=Coalesce("published_at", "created_at"))
        return super().filter_queryset(request, queryset, view)
