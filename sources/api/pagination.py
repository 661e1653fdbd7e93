"""Cursor pages for every list in the partner API."""

import datetime as dt

from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class Pagination(CursorPagination):
    """Cursor pages: the thousandth page costs what the first does. Newest first unless
    the view orders otherwise; ``page_size`` up to 100."""

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = "-id"

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        # The position goes straight into a filter: one we did not write (an id that is
        # not a number, a time without a zone) is an invalid cursor, not a crashed query.
        if cursor is not None and not self._is_position(cursor.position):
            raise NotFound(self.invalid_cursor_message)
        return cursor

    def _is_position(self, position: str | None) -> bool:
        if position is None:
            return True
        if self.ordering[0].lstrip("-") in ("id", "pk"):
            return position.isascii() and position.isdecimal() and int(position) < 2**63
        try:
            moment = parse_datetime(position)
            if moment is None or moment.tzinfo is None:
                return False
            moment.astimezone(dt.UTC)  # overflows on the calendar's first and last days
        except (ValueError, OverflowError):
            return False
        return True
