from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.pagination import CursorPagination

from sources.api.serializers import PublisherSerializer, SourceDocumentSerializer
from sources.models import Publisher, SourceDocument


class Pagination(CursorPagination):
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = "-id"


@extend_schema_view(list=extend_schema(summary="List publishers of source documents"))
class PublisherViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Publisher.objects.all()
    serializer_class = PublisherSerializer
    pagination_class = Pagination


@extend_schema_view(
    list=extend_schema(summary="List source documents (reuse them by id when filing drafts)")
)
class SourceDocumentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = SourceDocument.objects.select_related("publisher")
    serializer_class = SourceDocumentSerializer
    pagination_class = Pagination
