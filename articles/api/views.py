"""The partner API, version 1: read endpoints.

What a client may see is decided in one place, ``visible_articles``; what an
article says is the serializer's job, reading the models' own properties.
"""

import hashlib

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils.cache import get_conditional_response, parse_etags
from django.utils.http import http_date, quote_etag
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from taggit.models import Tag

from articles.api.auth import CanDraft, CanTransition, key_of
from articles.api.drafts import DraftSerializer, TransitionSerializer
from articles.api.filters import ArticleFilter, ArticleOrdering
from articles.api.ninjs import NinjsRenderer, article_to_ninjs
from articles.api.problems import Conflict, PreconditionFailed, PreconditionRequired
from articles.api.serializers import (
    ArticleSerializer,
    AuthorSerializer,
    SectionSerializer,
    SponsorSerializer,
    TagSerializer,
)
from articles.models import Article, Author, Byline, Section, Sponsor
from articles.publishing import drafting, workflow
from articles.publishing.drafting import Caller
from articles.publishing.transitions import GateError, WorkflowError
from sources.api.pagination import Pagination


def sees_drafts(request) -> bool:
    """An agent's key (its own drafts) or an editor's key or staff session (their desks')."""
    key = key_of(request)
    user = request.user
    return bool(key is not None and key.agent_id) or (user.is_authenticated and user.is_staff)


def visible_articles(request):
    """Published articles for everyone; an agent's key also sees the agent's own work,
    an editor's key or staff session also the drafts on the editor's desks."""
    published = Q(pk__in=Article.objects.published().values("pk"))
    key = key_of(request)
    if key is not None and key.agent_id:
        own = Q(pk__in=Byline.objects.filter(author_id=key.agent_id).values("article_id"))
        return Article.objects.filter(published | own)
    user = request.user
    if user.is_authenticated and user.is_staff:
        return Article.objects.filter(
            published | Q(pk__in=Article.objects.on_desks_of(user).values("pk"))
        )
    return Article.objects.published()


def caller_of(request) -> Caller:
    """Who is acting, with the key they act through, so the record can name both."""
    key = key_of(request)
    if key is not None and key.agent_id:
        return Caller(agent=key.agent, key=key)
    return Caller(user=request.user, key=key)


def article_etag(article: Article, representation: str = "json") -> str:
    """Changes with every change a reader or partner could see (text, state, notes, review);
    the JSON and ninjs representations of one version have different ETags."""
    key = f"{article.pk}|{article.version}|{article.status}|{article.modified_at.isoformat()}"
    if representation != "json":
        key += f"|{representation}"
    return quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])


def not_modified(request, *, etag: str, last_modified: int | None):
    """The 304 a conditional GET earns, carrying the validators a 200 would have (RFC 9110)."""
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        return None
    if response.status_code == 412:  # If-Match or If-Unmodified-Since on a GET
        raise PreconditionFailed()
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    return response


class ArticlePagination(Pagination):
    # ArticleOrdering decides the order (and the cursor's position) for every request.
    ordering = ("-publication_order", "-id")


NINJS_ITEM = {
    "type": "object",
    "description": "IPTC ninjs 3.1 (https://iptc.org/std/ninjs/), plus the extension "
    "property x-newsroom-sponsorship for sponsored pieces.",
    "required": ["uri", "standard", "headlines"],
    "additionalProperties": True,
}
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
        responses={
            (200, "application/json"): ArticleSerializer(many=True),
            # drf-spectacular wraps this item schema in the cursor page.
            (200, "application/ninjs+json"): NINJS_ITEM,
        },
    ),
    retrieve=extend_schema(
        summary="One article",
        parameters=ARTICLE_PARAMETERS,
        responses={
            (200, "application/json"): ArticleSerializer,
            (200, "application/ninjs+json"): NINJS_ITEM,
        },
    ),
)
class ArticleViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = ArticleSerializer
    http_method_names = ["get", "head", "options", "post", "patch"]
    filterset_class = ArticleFilter
    filter_backends = [DjangoFilterBackend, ArticleOrdering]
    ordering_fields = ["published_at", "updated_at"]
    renderer_classes = [JSONRenderer, NinjsRenderer]
    pagination_class = ArticlePagination

    @property
    def ordering(self):
        # Drafts have no publication time, so lists that may hold them go by update time.
        return ["-updated_at"] if sees_drafts(self.request) else ["-published_at"]

    def get_queryset(self):
        return visible_articles(self.request).for_detail()

    def get_permissions(self):
        if self.action in ("create", "partial_update", "update"):
            return [CanDraft()]
        if self.action == "transitions":
            return [CanTransition()]
        return super().get_permissions()

    def _article_response(self, article: Article, status: int = 200) -> Response:
        article = Article.objects.for_detail().get(pk=article.pk)
        headers = {"ETag": article_etag(article)}
        if status == 201:
            headers["Location"] = self.reverse_action("detail", args=[article.pk])
        return Response(self.get_serializer(article).data, status=status, headers=headers)

    @extend_schema(
        summary="File a draft in one request",
        request=DraftSerializer,
        responses={201: ArticleSerializer},
        description="An AI agent's key makes the agent the author and marks the piece "
        "AI-generated. Claims must quote the body; each source is an existing document id "
        "or a new document described inline. Sponsorships cannot be set here.",
    )
    def create(self, request, *args, **kwargs):
        data = DraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            article = drafting.create_draft(data.validated_data, caller=caller_of(request))
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        except WorkflowError as exc:
            raise PermissionDenied(" ".join(exc.problems)) from exc
        return self._article_response(article, status=201)

    @extend_schema(
        summary="Change a draft (needs If-Match)",
        request=DraftSerializer(partial=True),
        responses={200: ArticleSerializer},
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="The ETag you read; a stale one gets 412 and changes nothing.",
            )
        ],
    )
    def partial_update(self, request, *args, **kwargs):
        data = DraftSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        article = self.get_object()
        expected = parse_etags(request.headers.get("If-Match", ""))
        if not expected:
            raise PreconditionRequired()
        with transaction.atomic():
            # Lock, then compare: two clients holding the same ETag cannot both win.
            Article.objects.select_for_update(of=("self",)).filter(pk=article.pk).exists()
            current = Article.objects.for_detail().get(pk=article.pk)
            current_etags = {"*", article_etag(current), article_etag(current, "ninjs")}
            if not current_etags.intersection(expected):
                raise PreconditionFailed()
            try:
                drafting.update_draft(current, data.validated_data, caller=caller_of(request))
            except DjangoValidationError as exc:
                raise ValidationError(exc.message_dict) from exc
            except GateError as exc:
                # A published piece must keep passing its publish checks.
                raise Conflict(" ".join(exc.problems)) from exc
            except WorkflowError as exc:
                raise PermissionDenied(" ".join(exc.problems)) from exc
        return self._article_response(current)

    @extend_schema(
        summary="Take a workflow step",
        request=TransitionSerializer,
        responses={200: ArticleSerializer},
        description="An agent's key may only submit its own drafts. Editors' keys take the "
        "steps their account may take, through the same publish checks as the admin; a "
        "refused step answers 409 with every reason.",
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        step = data.validated_data
        article = self.get_object()
        caller = caller_of(request)
        key = key_of(request)
        only_submit = caller.agent is not None or (key is not None and not key.can_transition)
        if only_submit and step["transition"] != "submit":
            raise PermissionDenied("This key may only submit drafts for review.")
        try:
            if caller.agent is not None:
                workflow.submit_by_agent(article, agent=caller.agent, key=caller.key)
            else:
                self._step(article, step, by=request.user)
        except WorkflowError as exc:
            raise Conflict(" ".join(exc.problems)) from exc
        return self._article_response(article)

    def _step(self, article: Article, step: dict, *, by) -> None:
        name = step["transition"]
        if name == "schedule":
            if "scheduled_for" not in step:
                raise ValidationError({"scheduled_for": ["Say when to publish."]})
            workflow.schedule(article, by=by, at=step["scheduled_for"])
        elif name in ("request_changes", "unpublish"):
            getattr(workflow, name)(article, by=by, note=step["note"])
        else:
            getattr(workflow, name)(article, by=by)

    def _wants_ninjs(self) -> bool:
        return getattr(self.request.accepted_renderer, "format", "") == "ninjs"

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        state = queryset.order_by().aggregate(latest=Max("updated_at"), n=Count("pk"))
        latest = state["latest"]
        key = f"{latest}|{state['n']}|{request.get_full_path()}|{self._wants_ninjs()}"
        etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
        last_modified = int(latest.timestamp()) if latest else None
        if unchanged := not_modified(request, etag=etag, last_modified=last_modified):
            return unchanged
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
        ninjs = self._wants_ninjs()
        etag = article_etag(article, "ninjs" if ninjs else "json")
        last_modified = int(article.modified_at.timestamp())
        if unchanged := not_modified(request, etag=etag, last_modified=last_modified):
            return unchanged
        data = article_to_ninjs(article) if ninjs else self.get_serializer(article).data
        return Response(data, headers={"ETag": etag, "Last-Modified": http_date(last_modified)})


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = Pagination


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
