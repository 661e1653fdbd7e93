"""Cursor pages for every list in the partner API."""

import datetime as dt

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, _reverse_ordering

SEPARATOR = "~"


class Pagination(CursorPagination):
    """Keyset pages: the cursor holds the last row's sort key *and* id, and the next page
    is ``WHERE (key, id) < (cursor)`` read along an index, so the ten-thousandth page
    costs what the first does. No count, no ``OFFSET``, however deep.

    Newest first unless the view orders otherwise; ``page_size`` up to 100. The ordering
    is one sort key and the id (``("-published_at", "-id")``), or the id alone, both
    in the same direction.
    """

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = "-id"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)
        self.cursor = self.decode_cursor(request)
        reverse = self.cursor is not None and self.cursor.reverse
        position = None if self.cursor is None else self.cursor.position
        ordering = _reverse_ordering(self.ordering) if reverse else self.ordering
        queryset = queryset.order_by(*ordering)
        if position is not None:
            queryset = queryset.filter(self._beyond(position, ordering))
        # One row more than the page says whether there is a next one.
        results = list(queryset[: self.page_size + 1])
        self.page = results[: self.page_size]
        following = self._position(results[-1]) if len(results) > self.page_size else None
        if reverse:
            self.page.reverse()
            self.has_next, self.next_position = position is not None, position
            self.has_previous, self.previous_position = following is not None, following
        else:
            self.has_next, self.next_position = following is not None, following
            self.has_previous, self.previous_position = position is not None, position
        self.display_page_controls = self.has_previous or self.has_next
        return self.page

    # Positions are unique (the id is part of them), so DRF's link building always
    # finds offset 0, and the cursor never carries an offset.

    def _get_position_from_instance(self, instance, ordering):
        return self._position(instance)

    def _position(self, instance) -> str:
        values = []
        for term in self.ordering:
            value = getattr(instance, term.lstrip("-"))
            values.append(value.isoformat() if isinstance(value, dt.datetime) else str(value))
        return SEPARATOR.join(values)

    def _beyond(self, position: str, ordering) -> Q:
        """Rows after ``position`` in ``ordering``. For two keys the first also appears
        alone (``key <= k``), so the database starts its index scan at the cursor."""
        values = self._values(position)
        names = [term.lstrip("-") for term in ordering]
        op = "lt" if ordering[0].startswith("-") else "gt"
        if len(names) == 1:
            return Q(**{f"{names[0]}__{op}": values[0]})
        key, tie = names
        return Q(**{f"{key}__{op}e": values[0]}) & (
            Q(**{f"{key}__{op}": values[0]}) | Q(**{key: values[0], f"{tie}__{op}": values[1]})
        )

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        # The position goes straight into a filter: one we did not write (an id that is
        # not a number, a time without a zone, an offset) is an invalid cursor, not a
        # crashed query or an OFFSET scan.
        if cursor is not None and (
            cursor.offset or (cursor.position is not None and self._values(cursor.position) is None)
        ):
            raise NotFound(self.invalid_cursor_message)
        return cursor

    def _values(self, position: str) -> list | None:
        parts = position.split(SEPARATOR)
        if len(parts) != len(self.ordering):
            return None
        values = []
        for term, part in zip(self.ordering, parts, strict=True):
            if term.lstrip("-") in ("id", "pk"):
                if not (part.isascii() and part.isdecimal() and int(part) < 2**63):
                    return None
                values.append(int(part))
                continue
            try:
                moment = parse_datetime(part)
                if moment is None or moment.tzinfo is None:
                    return None
                # In UTC: overflows on the calendar's first and last days, and PostgreSQL
                # refuses offsets beyond 15:59 that ISO 8601 (and Python) allow.
                moment = moment.astimezone(dt.UTC)
            except (ValueError, OverflowError):
                return None
            values.append(moment)
        return values
