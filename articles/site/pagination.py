"""Keyset pagination for the public lists: "Older stories" and "Newer stories".

A link carries the position of the story it continues from (its publication time
and id, and on PostgreSQL search its rank), never a page number. Each page is one
query for ``size + 1`` rows read from an index in list order, so page 1 and a page
ten thousand stories deep cost the same: no ``COUNT(*)``, no ``OFFSET``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponseRedirect

PAGE_SIZE = 20
# The order of the lists, every key descending (ArticleQuerySet.newest_first, .search).
NEWEST_FIRST = ("published_at", "pk")
BEST_FIRST = ("rank", "published_at", "pk")

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


@dataclass
class Page:
    """One page of a list: its items, and the positions its links continue from."""

    items: list
    older: str = ""  # for ?before=, empty on the last page
    newer: str = ""  # for ?after=, empty on the first page

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.older or self.newer)


def paginate(
    request: HttpRequest, queryset: QuerySet, keys=NEWEST_FIRST, size: int = PAGE_SIZE
) -> Page:
    """The page of ``queryset`` that ``?before=`` or ``?after=`` asks for (the first if neither)."""
    after = decode(request.GET.get("after"), keys)
    if after is not None:
        rows = _rows(queryset.filter(_beyond(keys, after, older=False)), keys, size + 1)
        items = rows[:size][::-1]
        if not items:
            return Page([])
        # The position came from an older story, so there is always an older page.
        newer = encode(items[0], keys) if len(rows) > size else ""
        return Page(items, older=encode(items[-1], keys), newer=newer)
    before = decode(request.GET.get("before"), keys)
    if before is not None:
        queryset = queryset.filter(_beyond(keys, before, older=True))
    rows = _rows(queryset, [f"-{key}" for key in keys], size + 1)
    items = rows[:size]
    older = encode(items[-1], keys) if len(rows) > size else ""
    newer = encode(items[0], keys) if before is not None and items else ""
    return Page(items, older=older, newer=newer)


def _rows(queryset: QuerySet, order, limit: int) -> list:
    """The first ``limit`` rows of ``queryset`` in ``order``. Newest first, their ids are
    found first, along the index (reading only the index where the filters allow, e.g. a
    tag's articles tested one by one), then just those rows are read whole, joins and
    all. (Search ranks a bounded set of candidates already.)"""
    if "rank" in queryset.query.annotations:
        return list(queryset.order_by(*order)[:limit])
    ids = queryset.order_by(*order).values("pk")[:limit]
    return list(queryset.filter(pk__in=ids).order_by(*order))


def redirect_page_number(request: HttpRequest) -> HttpResponseRedirect | None:
    """Old ``?page=N`` links lead to the first page of the list (positions replaced them)."""
    if "page" not in request.GET:
        return None
    query = request.GET.copy()
    del query["page"]
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)


def _beyond(keys, values, *, older: bool) -> Q:
    """Rows after ``values`` in the list order (older) or before it (newer).

    Lexicographic, spelled out so that any database can use the index: the first
    key's bound (``<=`` or ``>=``) is the index range, the rest filters within it.
    """
    strict, bound = ("lt", "lte") if older else ("gt", "gte")
    beyond, equal = Q(), {}
    for key, value in zip(keys, values, strict=True):
        beyond |= Q(**equal, **{f"{key}__{strict}": value})
        equal[key] = value
    return Q(**{f"{keys[0]}__{bound}": values[0]}) & beyond


def encode(item, keys) -> str:
    parts = []
    for key in keys:
        value = getattr(item, key)
        if isinstance(value, dt.datetime):
            parts.append(str((value - _EPOCH) // _MICROSECOND))
        else:
            parts.append(repr(value))
    return "_".join(parts)


def decode(cursor: str | None, keys) -> tuple | None:
    """The key values in a link's position, or None for a missing or mangled one."""
    if not cursor:
        return None
    parts = cursor.split("_")
    if len(parts) != len(keys):
        return None
    try:
        values = []
        for key, part in zip(keys, parts, strict=True):
            if key == "rank":
                values.append(float(part))
            elif key in ("published_at", "created_at"):
                values.append(_EPOCH + int(part) * _MICROSECOND)
            else:
                values.append(int(part))
    except (ValueError, OverflowError):
        return None
    # Out of every column's range: a hand-made link, not one of ours.
    if not all(
        math.isfinite(v) and abs(v) < 2**62 for v in values if not isinstance(v, dt.datetime)
    ):
        return None
    return tuple(values)
