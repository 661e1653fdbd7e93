"""The partner API, version 1: read endpoints.

What a client may see is decided in one place, ``visible_articles``; what an
article says is the serializer's job, reading the models' own properties.
"""

import hashlib

from django.db.models import Count, Max, Q
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from taggit.models import Tag

from articles.api.filters import ArticleFilter
from articles.api.ninjs import NinjsRenderer, article_to_ninjs
from articles.api.serializers import (
    ArticleSerializer,
    AuthorSerializer,
    SectionSerializer,
    SponsorSerializer,
    TagSerializer,
)
from articles.models import Article, Author, Section, Sponsor


def visible_articles(request):
    """Published articles for everyone; staff also see drafts on their own desks."""
    published = Article.objects.published()
    user = request.user
    if user.is_authenticated and user.is_staff:
        return Article.objects.filter(
            Q(pk__in=published.values("pk"))
            | Q(pk__in=Article.objects.on_desks_of(user).values("pk"))
        )
    return published


def article_etag(article: Article) -> str:
    """Changes with every change a reader or partner could see (text, state, notes, review)."""
    key = f"{article.pk}|{article.version}|{article.status}|{article.modified_at.isoformat()}"
    return quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])


class StablePagination(CursorPagination):
    """Cursor pages: the thousandth page costs what the first does."""

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = "-id"


class ArticlePagination(StablePagination):
    ordering = "-published_at"


class RateLimitedMixin:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for header, value in getattr(request, "rate_limit", {}).items():
            response[header] = value
        return response


ARTICLE_PARAMETERS = [
    OpenApiParameter(
        "format",
        OpenApiTypes.STR,
        enum=["json", "ninjs"],
        description="ninjs returns IPTC ninjs 3.1 (same as Accept: application/ninjs+json).",
    )
]


@extend_schema_view(
    list=extend_schema(
        summary="List articles",
        description="Published articles (staff sessions also see drafts on their desks), newest "
        "first. Every item carries its sponsorship label and bylines: show them wherever you "
        "show the piece.",
        parameters=ARTICLE_PARAMETERS,
    ),
    retrieve=extend_schema(summary="One article", parameters=ARTICLE_PARAMETERS),
)
class ArticleViewSet(RateLimitedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["published_at", "updated_at"]
    renderer_classes = [JSONRenderer, NinjsRenderer]
    pagination_class = ArticlePagination

    @property
    def ordering(self):
        # Drafts have no publication time, so lists that may hold them go by update time.
        return ["-published_at"] if not self.request.user.is_staff else ["-updated_at"]

    def get_queryset(self):
        return visible_articles(self.request).for_detail()

    def _wants_ninjs(self) -> bool:
        return getattr(self.request.accepted_renderer, "format", "") == "ninjs"

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        state = queryset.order_by().aggregate(latest=Max("updated_at"), n=Count("pk"))
        latest = state["latest"]
        key = f"{latest}|{state['n']}|{request.get_full_path()}|{self._wants_ninjs()}"
        etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
        last_modified = int(latest.timestamp()) if latest else None
        if not_modified := get_conditional_response(
            request, etag=etag, last_modified=last_modified
        ):
            return not_modified
        page = self.paginate_queryset(queryset)
        if self._wants_ninjs():
            response = self.get_paginated_response([article_to_ninjs(a) for a in page])
        else:
            response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        response["ETag"] = etag
        if last_modified:
            response["Last-Modified"] = http_date(last_modified)
        return response

    def retrieve(self, request, *args, **kwargs):
        article = self.get_object()
        etag = article_etag(article)
        last_modified = int(article.modified_at.timestamp())
        if not_modified := get_conditional_response(
            request, etag=etag, last_modified=last_modified
        ):
            return not_modified
        data = (
            article_to_ninjs(article) if self._wants_ninjs() else self.get_serializer(article).data
        )
        return Response(data, headers={"ETag": etag, "Last-Modified": http_date(last_modified)})


class ReadOnlyViewSet(RateLimitedMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = StablePagination


@extend_schema_view(list=extend_schema(summary="List authors, human and AI agents"))
class AuthorViewSet(ReadOnlyViewSet):
    queryset = Author.objects.select_related("supervising_editor")
    serializer_class = AuthorSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["kind"]


@extend_schema_view(list=extend_schema(summary="List sections"))
class SectionViewSet(ReadOnlyViewSet):
    queryset = Section.objects.all()
    serializer_class = SectionSerializer


@extend_schema_view(list=extend_schema(summary="List tags used on published articles"))
class TagViewSet(ReadOnlyViewSet):
    serializer_class = TagSerializer

    def get_queryset(self):
        published = Article.objects.published().values("pk")
        return Tag.objects.filter(
            taggit_taggeditem_items__object_id__in=published,
            taggit_taggeditem_items__content_type__model="article",
        ).distinct()


@extend_schema_view(list=extend_schema(summary="List sponsors"))
class SponsorViewSet(ReadOnlyViewSet):
    queryset = Sponsor.objects.all()
    serializer_class = SponsorSerializer
