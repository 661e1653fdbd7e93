"""The partner API, version 1: read endpoints.

What a client may see is decided in one place, ``visible_articles``; what an
article says is ``articles.api.representations``' job (the shapes the serializers
declare), reading the models' own properties. Lists are keyset pages whose ETag comes
from the page's own rows; anonymous reads are tagged for the edge cache.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.cache import parse_etags, patch_vary_headers
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.mediatypes import _MediaType
from taggit.models import Tag

from articles.api.auth import CanDraft, CanTransition, key_of
from articles.api.conditional import article_etag, not_modified, page_etag
from articles.api.drafts import DraftSerializer, TransitionSerializer
from articles.api.filters import ArticleFilter, ArticleFilterBackend, ArticleOrdering
from articles.api.inline import FiledArticleSerializer, with_inline_citations
from articles.api.ninjs import EXTENDED, NinjsRenderer, article_to_ninjs
from articles.api.problems import Conflict, PreconditionFailed, PreconditionRequired
from articles.api.representations import article_data, related_data
from articles.api.schema import ARTICLE_PARAMETERS, EXPAND, NINJS_ITEM
from articles.api.serializers import (
    ArticleListItemSerializer,
    ArticleSerializer,
    AuthorSerializer,
    SectionSerializer,
    SponsorSerializer,
    TagSerializer,
)
from articles.models import Article, Author, Byline, Section, Sponsor
from articles.prefetch import prefetch
from articles.publishing import drafting, translations, workflow
from articles.publishing.drafting import Caller
from articles.publishing.transitions import GateError, WorkflowError
from articles.site.body import attach_images
from articles.site.caching import is_anonymous, tag_response
from articles.site.related import related_block
from sources.api.pagination import Pagination


def sees_drafts(request) -> bool:
    """An agent's key (its own drafts) or an editor's key or staff session (their desks')."""
    key = key_of(request)
    user = request.user
    return bool(key is not None and key.agent_id) or (user.is_authenticated and user.is_staff)


def reads_embargoed(request) -> bool:
    """A key with the embargo scope: it also receives articles under embargo."""
    key = key_of(request)
    return key is not None and key.can_read_embargoed


def visible_articles(request):
    """Published articles for everyone; an agent's key also sees the agent's own work,
    an editor's key or staff session also the drafts on the editor's desks, and a key
    with the embargo scope the articles under embargo. Nothing else is ever public."""
    published = Q(pk__in=Article.objects.published().values("pk"))
    if reads_embargoed(request):
        published |= Q(pk__in=Article.objects.under_embargo().values("pk"))
    key = key_of(request)
    if key is not None and key.agent_id:
        own = Q(pk__in=Byline.objects.filter(author_id=key.agent_id).values("article_id"))
        return Article.objects.filter(published | own)
    user = request.user
    if user.is_authenticated and user.is_staff:
        return Article.objects.filter(
            published | Q(pk__in=Article.objects.on_desks_of(user).values("pk"))
        )
    if reads_embargoed(request):
        return Article.objects.filter(published)
    return Article.objects.published()


def caller_of(request) -> Caller:
    """Who is acting, with the key they act through, so the record can name both."""
    key = key_of(request)
    if key is not None and key.agent_id:
        return Caller(agent=key.agent, key=key)
    return Caller(user=request.user, key=key)


class ArticlePagination(Pagination):
    # ArticleOrdering decides the order (and the cursor's position) for every request.
    ordering = ("-published_at", "-id")


@extend_schema_view(
    list=extend_schema(
        summary="List articles",
        description="Published articles (staff sessions also see drafts on their desks; keys "
        "with the embargo scope also articles under embargo, marked `embargoed_until`), newest "
        "first, in cursor pages (follow `next`; there is no page number and no total). Every "
        "item carries its sponsorship label, bylines with the AI disclosure and the reviewing "
        "editor, and its claims with their sources: show them wherever you show the piece. "
        "Items leave out the body (`expand=body` adds it). Anonymous responses are cacheable "
        "by shared caches; responses to a key or session are private.",
        parameters=[*ARTICLE_PARAMETERS, EXPAND],
        responses={
            (200, "application/json"): ArticleListItemSerializer(many=True),
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
    filter_backends = [ArticleFilterBackend, ArticleOrdering]
    ordering_fields = ["published_at", "updated_at"]
    renderer_classes = [JSONRenderer, NinjsRenderer]
    pagination_class = ArticlePagination

    @property
    def lists_drafts(self) -> bool:
        # Embargoed pieces, like drafts, have no publication time yet.
        return sees_drafts(self.request) or reads_embargoed(self.request)

    @property
    def ordering(self):
        # Drafts have no publication time, so lists that may hold them go by update time.
        return ["-updated_at"] if self.lists_drafts else ["-published_at"]

    def get_queryset(self):
        queryset = visible_articles(self.request).for_detail()
        if self.action in ("list", "retrieve"):
            # Reads fetch the related rows themselves (articles.prefetch): a list only
            # once its ETag has been compared.
            self.related = queryset._prefetch_related_lookups
            return queryset.prefetch_related(None)
        return queryset

    def get_serializer_class(self):
        return ArticleListItemSerializer if self.action == "list" else ArticleSerializer

    def get_permissions(self):
        if self.action in ("create", "partial_update", "update"):
            return [CanDraft()]
        if self.action == "transitions":
            return [CanTransition()]
        return super().get_permissions()

    def _article_response(self, article: Article, status: int = 200) -> Response:
        article = Article.objects.for_detail().get(pk=article.pk)
        # As a read of it answers: with its related pieces, and the same ETag.
        related = related_block(article)[0]
        headers = {"ETag": article_etag(article, "json", related)}
        if status == 201:
            headers["Location"] = self.reverse_action("detail", args=[article.pk])
        data = article_data(article) | {"related": related_data(related)}
        return Response(data, status=status, headers=headers)

    @extend_schema(
        summary="File a draft in one request",
        request=DraftSerializer,
        responses={201: FiledArticleSerializer},
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
        return with_inline_citations(self._article_response(article, status=201), article)

    @extend_schema(
        summary="Change a draft (needs If-Match)",
        request=DraftSerializer(partial=True),
        responses={200: FiledArticleSerializer},
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
            # Any representation's ETag the caller may hold (JSON's names its related pieces).
            related = related_block(current)[0]
            current_etags = {"*", article_etag(current, "json", related)} | {
                article_etag(current, kind) for kind in ("json", "ninjs", "ninjs-newsroom")
            }
            if not current_etags.intersection(expected):
                raise PreconditionFailed()
            try:
                changed = drafting.update_draft(
                    current, data.validated_data, caller=caller_of(request)
                )
            except DjangoValidationError as exc:
                raise ValidationError(exc.message_dict) from exc
            except GateError as exc:
                # A published piece must keep passing its publish checks.
                raise Conflict(" ".join(exc.problems)) from exc
            except WorkflowError as exc:
                raise PermissionDenied(" ".join(exc.problems)) from exc
        return with_inline_citations(self._article_response(current), changed)

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
            workflow.schedule(article, by=by, at=step["scheduled_for"], embargo=step["embargo"])
        elif name in ("request_changes", "unpublish"):
            getattr(workflow, name)(article, by=by, note=step["note"])
        else:
            getattr(workflow, name)(article, by=by)

    def _wants_ninjs(self) -> bool:
        return getattr(self.request.accepted_renderer, "format", "") == "ninjs"

    def _ninjs_kind(self) -> str:
        """``ninjs`` or, for the extended profile (``?profile=newsroom``, or the media
        type's ``profile`` parameter), ``ninjs-newsroom``; ``json`` otherwise."""
        if not self._wants_ninjs():
            return "json"
        asked = _MediaType(getattr(self.request, "accepted_media_type", "") or "")
        profile = self.request.query_params.get("profile") or asked.params.get("profile", "")
        return "ninjs-newsroom" if profile.strip('"') == EXTENDED else "ninjs"

    def _tag(self, response, keys: list[str]):
        """Anonymous reads are the same for everyone: the edge cache may keep them, under
        ``keys``. A key's or a session's reads are private."""
        tag_response(response, keys, public=is_anonymous(self.request))
        patch_vary_headers(response, ["Accept", "Authorization"])
        return response

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        kind = self._ninjs_kind()
        ninjs, extended = kind != "json", kind == "ninjs-newsroom"
        body = request.query_params.get("expand") == "body"
        if not body:
            queryset = queryset.defer("body")
        # The page's rows alone first: they make the ETag, so a 304 costs this one query
        # (and no count); the related rows are fetched for a 200 only.
        page = self.paginate_queryset(queryset)
        etag = page_etag(request, page, f"{kind}|{body}")
        # No Last-Modified: a page's newest time cannot tell that an article left it.
        if unchanged := not_modified(request, etag=etag, last_modified=None):
            return self._tag(unchanged, ["api-articles"])
        prefetch(page, *self.related)
        translations.attach_siblings(page)  # every item's translations in one query
        if body:
            attach_images(page)  # every body's pictures in one query, renditions in one more
        if ninjs:
            items = [article_to_ninjs(a, full=body, extended=extended) for a in page]
        else:
            items = [article_data(a, detail=False, body=body) for a in page]
        response = self.get_paginated_response(items)
        response["ETag"] = etag
        return self._tag(response, ["api-articles"])

    def retrieve(self, request, *args, **kwargs):
        article = self.get_object()
        prefetch([article], *self.related)
        translations.attach_siblings([article])
        kind = self._ninjs_kind()
        ninjs = kind != "json"
        # What the article's page offers next (JSON only: ninjs has no such field); its
        # pieces change the validators too, and their publication purges this answer.
        related, related_keys = ([], set()) if ninjs else related_block(article)
        etag = article_etag(article, kind, related)
        shown = [*related, *([] if ninjs else article.published_siblings)]  # + translations
        last_modified = int(max([article.modified_at, *(a.updated_at for a in shown)]).timestamp())
        keys = [f"article-{article.pk}", *sorted(related_keys)]
        if unchanged := not_modified(request, etag=etag, last_modified=last_modified):
            return self._tag(unchanged, keys)
        extended = kind == "ninjs-newsroom"
        data = article_to_ninjs(article, extended=extended) if ninjs else article_data(article)
        if not ninjs:
            data["related"] = related_data(related)
        headers = {"ETag": etag, "Last-Modified": http_date(last_modified)}
        return self._tag(Response(data, headers=headers), keys)


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = Pagination


@extend_schema_view(list=extend_schema(summary="List authors, human and AI agents"))
class AuthorViewSet(ReadOnlyViewSet):
    queryset = Author.objects.select_related("supervising_editor")
    serializer_class = AuthorSerializer
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
