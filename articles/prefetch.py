"""``prefetch_related_objects`` for a page of articles, without a queryset per row.

Django's prefetching runs one query per relation, then builds a related manager and
a filtered queryset *for every row* to hold its share of the results: on a page of 20
articles with 90 claims that is ~200 querysets (each attribution one deep-copying its
``select_related``), more time than the eight queries themselves. This runs the same
queries — the relations' own ``get_prefetch_querysets``, the lookups ``for_listing``
and ``for_detail`` choose — and hands each row its share in a shared, empty queryset
whose results are set: iterating it, ``all()``, ``len``, ``count`` and ``exists`` read
the results; anything that would build a new query yields nothing rather than rows of
other articles.

Supported: reverse foreign keys, many-to-many and taggit managers at the end of a
lookup, through forward relations already joined by ``select_related``. Anything else
falls back to Django's own prefetching.
"""

from collections import defaultdict

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.db.models.constants import LOOKUP_SEP
from django.db.models.query import get_prefetcher, normalize_prefetch_lookups

from articles.querysets import corrections_with_claims, teaser_prefetches


def prefetch(instances: list, *lookups) -> None:
    """Fetch ``lookups`` (names or ``Prefetch`` objects) for ``instances``, one query each."""
    for lookup in normalize_prefetch_lookups(lookups):
        *through, last = lookup.prefetch_through.split(LOOKUP_SEP)
        rows = instances
        for name in through:  # forward relations, already joined
            rows = [related for row in rows if (related := getattr(row, name)) is not None]
        for row in rows:
            if not hasattr(row, "_prefetched_objects_cache"):
                row._prefetched_objects_cache = {}
        if rows and not _prefetch_level(rows, last, lookup):
            prefetch_related_objects(
                rows, Prefetch(last, queryset=lookup.queryset, to_attr=lookup.to_attr)
            )


def _prefetch_level(rows: list, name: str, lookup) -> bool:
    prefetcher, _, found, is_fetched = get_prefetcher(rows[0], name, name)
    if prefetcher is None or not found or lookup.to_attr:
        return False
    rows = [row for row in rows if not is_fetched(row)]
    if not rows:
        return True
    # The lookup's own queryset without its nested lookups: those are fetched below, the
    # same way, rather than by Django row by row.
    queryset = lookup.queryset
    nested = queryset._prefetch_related_lookups if queryset is not None else ()
    querysets = [queryset.prefetch_related(None)] if queryset is not None else None
    related, related_key, row_key, single, cache_name, is_descriptor = (
        prefetcher.get_prefetch_querysets(rows, querysets)
    )
    if single or is_descriptor:
        return False
    related = list(related)
    if nested and related:
        prefetch(related, *nested)
    shares = defaultdict(list)
    for item in related:
        shares[related_key(item)].append(item)
    empty = (related[0].__class__ if related else prefetcher.model)._base_manager.none()
    empty._result_cache, empty._prefetch_done = [], True
    for row in rows:
        row._prefetched_objects_cache[cache_name] = _holding(empty, shares.get(row_key(row), []))
    return True


def _holding(empty, results: list):
    """A copy of the empty queryset ``empty`` holding ``results`` (``copy.copy`` would
    pickle its state, at a cost per row that this module exists to avoid)."""
    share = object.__new__(type(empty))
    share.__dict__ = {**empty.__dict__, "_result_cache": results}
    return share


def prefetch_teasers(articles: list) -> None:
    """The bylines, pictures and reviews of ``articles`` (rows of ``for_teasers``), one
    query each. For pages readers see, which only read them: see ``articles.prefetch``."""
    if articles:
        prefetch(articles, *teaser_prefetches(type(articles[0])))


def prefetched(queryset: QuerySet) -> list:
    """The rows of ``queryset`` with its ``prefetch_related`` lookups read by
    ``articles.prefetch`` (one query each, no queryset per row): for read-only pages."""
    lookups = queryset._prefetch_related_lookups
    rows = list(queryset.prefetch_related(None))
    prefetch(rows, *lookups)
    return rows


def prefetch_page(article, rail: list) -> None:
    """What the public article page shows beyond the rows of ``article`` and its ``rail``
    of teasers: bylines, pictures and reviews of all of them (one query each), and the
    article's tags and corrections (with the claims they name). Relations already
    fetched (``for_detail``) are kept."""
    prefetch_teasers([article, *rail])
    prefetch(
        [article],
        "tags",
        # With the claims each names (marked in the body): one query more, if any.
        Prefetch("corrections", queryset=corrections_with_claims(type(article))),
    )
