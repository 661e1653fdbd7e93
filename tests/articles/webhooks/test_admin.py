"""The webhook delivery log in the admin: query counts, read-only attempts, retry now,
and an endpoint's secret shown once."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.articles.webhooks.helpers import Event, State, approved_article, endpoint_at
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def make_deliveries(n: int) -> None:
    for i in range(n):
        endpoint = endpoint_at(f"https://partner{i}.example/hooks")
        article = ArticleFactory(published=True)
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=Event.PUBLISHED,
            article=article,
            payload={"id": str(uuid.uuid4()), "event": Event.PUBLISHED, "article": {}},
            attempts=1,
        )
        WebhookAttempt.objects.create(delivery=delivery, status_code=500, duration_ms=12)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_delivery_changelist_query_count_does_not_grow_with_rows(administrator_client):
    url = reverse("admin:articles_webhookdelivery_changelist")
    make_deliveries(5)
    few = count_queries(administrator_client, url)
    make_deliveries(45)
    assert count_queries(administrator_client, url) == few
    # session, user, permissions (2), count, filtered count, and the deliveries joined
    # to their endpoints and articles.
    assert few <= 7


def test_a_delivery_page_shows_every_attempt_read_only(administrator_client):
    make_deliveries(1)
    delivery = WebhookDelivery.objects.get()
    response = administrator_client.get(
        reverse("admin:articles_webhookdelivery_change", args=[delivery.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Webhook attempts" in html
    assert "500" in html
    assert 'name="_save"' not in html
    assert "&quot;event&quot;: &quot;article.published&quot;" in html


def test_retry_now_sends_a_failed_delivery_again(administrator_client, receiver, endpoint, publish):
    receiver.fail_first(1)
    publish(approved_article())
    WebhookDelivery.objects.update(state=State.FAILED)
    response = administrator_client.post(
        reverse("admin:articles_webhookdelivery_changelist"),
        {"action": "retry_now", "_selected_action": [WebhookDelivery.objects.get().pk]},
        follow=True,
    )
    assert "1 delivery queued to be sent again." in response.content.decode()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == (State.SUCCEEDED, 2)


def test_adding_an_endpoint_in_the_admin_shows_its_secret_once(administrator_client):
    response = administrator_client.post(
        reverse("admin:articles_webhookendpoint_add"),
        {
            "partner": "Kestrel News",
            "url": "https://kestrel.example/hooks",
            "events": ["article.published", "article.unpublished"],
            "active": "on",
        },
        follow=True,
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["article.published", "article.unpublished"]
    assert len(endpoint.secret) >= 40
    assert endpoint.secret in response.content.decode()
    page = administrator_client.get(
        reverse("admin:articles_webhookendpoint_change", args=[endpoint.pk])
    )
    assert endpoint.secret not in page.content.decode()
