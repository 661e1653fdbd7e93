from django.apps import apps
from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from sources.api.pagination import Pagination
from sources.api.serializers import PublisherSerializer, SourceDocumentSerializer
from sources.models import Attribution, Publisher, SourceDocument


def sees_unpublished_sources(request) -> bool:
    """Staff, and keys that file drafts (they reuse documents by id), see every source;
    anyone else only those cited in published articles, so a draft's sources stay private."""
    return request.user.is_staff or getattr(request.auth, "can_draft", False)


def published_attributions():
    # By name: sources never imports the articles app (see the README's architecture sketch).
    published = apps.get_model("articles", "Article").objects.published()
    return Attribution.objects.filter(claim__article__in=published)


@extend_schema_view(
    list=extend_schema(
        summary="List publishers of source documents",
        description="Without a drafting key: the publishers and intermediaries of the sources "
        "cited in published articles.",
    )
)
class PublisherViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PublisherSerializer
    pagination_class = Pagination

    def get_queryset(self):
        if sees_unpublished_sources(self.request):
            return Publisher.objects.all()
        cited = published_attributions()
        return Publisher.objects.filter(
            Q(pk__in=cited.values("document__publisher")) | Q(pk__in=cited.values("via"))
        )


@extend_schema_view(
    list=extend_schema(
        summary="List source documents (reuse them by id when filing drafts)",
        description="Without a drafting key: the documents cited in published articles, so a "
        "draft's sources stay private until it is published.",
    )
)
class SourceDocumentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SourceDocumentSerializer
    pagination_class = Pagination

    def get_queryset(self):
        documents = SourceDocument.objects.select_related("publisher")
        if sees_unpublished_sources(self.request):
            return documents
        return documents.filter(pk__in=published_attributions().values("document"))
