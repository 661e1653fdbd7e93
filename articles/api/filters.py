import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import Coalesce
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from articles.models import Article, Author, Sponsorship, WorkType

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
        return value


class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class ArticleFilter(django_filters.FilterSet):
    section = django_filters.CharFilter(field_name="section__slug", help_text="Section slug.")
    tag = django_filters.CharFilter(field_name="tags__slug", help_text="Tag slug.")
    author = django_filters.CharFilter(method="filter_author", help_text="Author slug.")
    author_kind = django_filters.ChoiceFilter(
        choices=Author.Kind.choices, method="filter_author_kind", help_text="human or ai_agent."
    )
    sponsored = django_filters.BooleanFilter(
        field_name="sponsorship",
        lookup_expr="isnull",
        exclude=True,
        help_text="true: only sponsored pieces; false: only journalism.",
    )
    sponsor = django_filters.CharFilter(
        field_name="sponsorship__sponsor__slug", help_text="Sponsor slug."
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

    def filter_author(self, queryset, name, value):
        return queryset.filter(
            pk__in=Article.objects.filter(bylines__author__slug=value).values("pk")
        )

    def filter_author_kind(self, queryset, name, value):
        return queryset.filter(
            pk__in=Article.objects.filter(bylines__author__kind=value).values("pk")
        )

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
