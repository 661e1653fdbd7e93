"""The rule every list in the partner API keeps: a query parameter it does not read is a
400 naming it, so a typo (``?sectoin=climate``) never silently returns everything."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

# Read by every list besides its filters: pages, ordering, representation.
COMMON_PARAMS = {"cursor", "page_size", "ordering", "format", "expand"}


def refuse_unknown_params(request, known) -> None:
    """A 400 naming each query parameter a list does not read (``known`` besides
    ``COMMON_PARAMS``)."""
    unknown = sorted(set(request.query_params) - set(known) - COMMON_PARAMS)
    if unknown:
        allowed = ", ".join(sorted({*known, *COMMON_PARAMS}))
        raise ValidationError(
            {
                name[:100]: [f"Unknown query parameter. This list reads: {allowed}."]
                for name in unknown[:10]
            }
        )


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend for the lists (every view's default), refusing unknown
    query parameters on a list."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) == "list":
            filterset = self.get_filterset_class(view, queryset)
            refuse_unknown_params(request, filterset.base_filters if filterset else ())
        return super().filter_queryset(request, queryset, view)
