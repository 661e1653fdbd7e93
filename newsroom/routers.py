"""Which database connection answers a query: the primary, or the public-read alias.

Readers' pages and partners' API reads may be answered by the ``replica`` alias: a
read replica when ``DATABASE_REPLICA_URL`` is set, otherwise a second connection to
the primary; either way it carries a statement timeout below gunicorn's, so a slow
public query is cancelled rather than outliving its request. Everything editorial
stays on the primary: the admin, staff sessions, any write, and every read after a
write in the same request (a replica lags, and an editor must see what they saved).

``RequestContextMiddleware`` (``newsroom.middleware``) decides, per request, whether
its reads may go to the replica; with no request at all (management commands, the
task worker, the shell) every query uses the primary.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# Writes the rest of a request never reads back, so they leave its reads on the replica:
# an API key's "last used" stamp, written at most once a minute per key.
STAMPS = {"articles.partnerkey"}


@dataclass
class Route:
    """The current request's reads: replica-eligible until something writes."""

    public: bool
    wrote: bool = False


# A mutable Route, not a bool: a write anywhere in the request's context (including a
# thread that copied the context) must reach the request's own Route.
_route: ContextVar[Route | None] = ContextVar("newsroom_db_route", default=None)


@contextlib.contextmanager
def routing(*, public: bool) -> Iterator[Route]:
    """Route the block's reads: to the replica if ``public``, else to the primary."""
    route = Route(public=public)
    token = _route.set(route)
    try:
        yield route
    finally:
        _route.reset(token)


def reads_from_replica() -> bool:
    """Whether a read now may go to the replica alias."""
    route = _route.get()
    return (
        route is not None
        and route.public
        and not route.wrote
        and settings.PUBLIC_READS_DATABASE == REPLICA
        # Inside a transaction on the primary, reads must see its own uncommitted rows.
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


class PrimaryReplicaRouter:
    """Public reads to the replica alias; writes, and everything else, to the primary."""

    def db_for_read(self, model, **hints) -> str:
        return REPLICA if reads_from_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        if (route := _route.get()) is not None and model._meta.label_lower not in STAMPS:
            route.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Both aliases hold the same data.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
