"""Which article changes partners hear about, and what each event carries.

The workflow announces changes (``workflow.articles_changed``, after commit); the
receiver here turns them into one ``WebhookDelivery`` per article and subscribed
endpoint and hands each to ``articles.webhooks.delivery``.
"""

from __future__ import annotations

import json
import logging
import uuid

from django.db.models import Subquery
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from articles.api.serializers import ArticleSerializer
from articles.models import Article, WebhookDelivery, WebhookEndpoint
from articles.webhooks.delivery import enqueue

logger = logging.getLogger("newsroom.webhooks")

Event = WebhookEndpoint.Event

# Workflow actions partners hear about; every other action (submit, approve,
# back_to_draft…) happens before readers see anything and sends nothing. A schedule
# is announced only under embargo, and only to endpoints subscribed to
# "article.embargoed" (that subscription is their clearance for embargoed copy); an
# embargo called off (unscheduled, or lifted from a scheduled piece) is withdrawn from
# the endpoints that were sent it.
EVENTS_FOR_ACTION: dict[str, str] = {
    "schedule": Event.EMBARGOED,
    "embargo_set": Event.EMBARGOED,
    "unschedule": Event.UNPUBLISHED,
    "embargo_cleared": Event.UNPUBLISHED,
    "publish": Event.PUBLISHED,
    "updated": Event.UPDATED,
    "corrected": Event.CORRECTED,
    "unpublish": Event.UNPUBLISHED,
}


def on_articles_changed(sender, articles: list[Article], action: str, **kwargs) -> None:
    """Receiver for ``workflow.articles_changed``: queue the event of each article for
    every subscribed endpoint. A failure here is logged and never reaches the editor who
    published."""
    event = EVENTS_FOR_ACTION.get(action)
    if event == Event.EMBARGOED:
        articles = [article for article in articles if article.embargo]
    if event is None or not articles:
        return
    try:
        if action in ("unschedule", "embargo_cleared"):
            audiences = [(article, sent_embargoed(article)) for article in articles]
        else:
            endpoints = subscribed(event)
            audiences = [(article, endpoints) for article in articles]
        for article, endpoints in audiences:
            for delivery in create_deliveries(article, event, endpoints) if endpoints else ():
                enqueue(delivery)
    except Exception:
        # Deliveries already created stay pending, and `deliver_webhooks` sends them.
        logger.exception("Could not queue webhook %s for articles %s", event, articles)


def subscribed(event: str) -> list[WebhookEndpoint]:
    # Endpoints are few; filtering JSON lists in Python works on every database.
    return [e for e in WebhookEndpoint.objects.filter(active=True) if event in e.events]


def sent_embargoed(article: Article) -> list[WebhookEndpoint]:
    """Active endpoints sent the article's embargoed copy since it was last scheduled."""
    scheduled = article.events.filter(action="schedule").order_by("-created_at", "-pk")
    return list(
        WebhookEndpoint.objects.filter(
            active=True,
            deliveries__article_id=article.pk,
            deliveries__event=Event.EMBARGOED,
            deliveries__created_at__gte=Subquery(scheduled.values("created_at")[:1]),
        ).distinct()
    )


def create_deliveries(
    article: Article, event: str, endpoints: list[WebhookEndpoint]
) -> list[WebhookDelivery]:
    """One pending delivery per endpoint (``subscribed`` to ``event``)."""
    data, fresh = article_data(article, event)
    created_at = timezone.now().isoformat()
    return [
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=event,
            article_id=article.pk,
            payload={
                "id": str(uuid.uuid4()),
                "event": event,
                "created_at": created_at,
                # Which state of the article this is: a receiver keeps the highest
                # ``sequence`` it has applied per article and drops anything lower (a
                # retried older event arriving after a newer one).
                "sequence": fresh.change_sequence,
                "version": fresh.version,
                "article": data,
            },
        )
        for endpoint in endpoints
    ]


def article_data(article: Article, event: str) -> tuple[dict, Article]:
    """The article as the API shows it (an embargoed one as a key with the embargo scope
    sees it, with ``embargoed_until``); for one readers cannot see (unpublished, or
    retracted before this correction went out) only what identifies it."""
    fresh = Article.objects.for_detail().get(pk=article.pk)
    embargoed = event == Event.EMBARGOED and fresh.embargoed_until is not None
    if event == Event.UNPUBLISHED or not (fresh.is_published or embargoed):
        brief = {"id": fresh.pk, "slug": fresh.slug, "headline": fresh.headline}
        return brief | {"label": fresh.label}, fresh
    # Through JSON and back: the stored payload is what the API would answer (less the
    # pieces offered under it, which change without the article changing).
    data = json.loads(JSONRenderer().render(ArticleSerializer(fresh).data))
    data.pop("related", None)
    return data, fresh
