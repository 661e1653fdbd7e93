"""How the rest of the system hears of a change: signals sent after the transaction
commits (the public cache's purges and the partner webhooks listen), batched when one
action changes many articles, and each article's ``change_sequence``, raised in the
change's own transaction so webhook receivers can tell an old event from a newer one.

Part of the workflow's API (``workflow.notify``, ``workflow.batched``…); nothing else
sends these signals.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

import django.dispatch
from django.db import transaction
from django.db.models import F

from articles.models import Article

# Sent after the transaction commits, with ``article`` and ``action``, once per article:
# the partner webhooks listen here…
article_changed = django.dispatch.Signal()
# …and once per change, with ``articles`` (a list) and ``action``: a shared record shown
# on thousands of articles is one purge of the public caches, not thousands.
articles_changed = django.dispatch.Signal()


def notify(article: Article, action: str) -> None:
    notify_many([article], action)


# Inside ``batched()``: what each committed change would announce, by action.
_batch: ContextVar[dict[str, list[Article]] | None] = ContextVar("notify_batch", default=None)


@contextlib.contextmanager
def batched() -> Iterator[None]:
    """Announce the changes made inside once per action, after the block (and whatever
    transaction holds it) commits: a bulk action on fifty articles, each in a transaction
    of its own, is one purge and one webhook batch. A rolled-back change announces nothing."""
    batch: dict[str, list[Article]] = {}
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
        # Queued after each change's own callback, so it runs after they have.
        transaction.on_commit(lambda: [_send(arts, action) for action, arts in batch.items()])


def notify_many(articles: list[Article], action: str) -> None:
    """Once the transaction commits: ``article_changed`` for each, then ``articles_changed``.
    At once: each article's ``change_sequence`` goes up, under the change's row lock."""
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(
        change_sequence=F("change_sequence") + 1
    )
    if (batch := _batch.get()) is not None:
        transaction.on_commit(lambda: batch.setdefault(action, []).extend(articles))
    else:
        transaction.on_commit(lambda: _send(articles, action))


def _send(articles: list[Article], action: str) -> None:
    for article in articles:
        article_changed.send(sender=Article, article=article, action=action)
    articles_changed.send(sender=Article, articles=articles, action=action)
