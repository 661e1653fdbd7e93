"""Which changes send which event: signed article.published, .updated and .corrected
payloads, bare ones for unpublishing, subscriptions, and publishing never broken."""

import datetime as dt
import hashlib
import hmac
import json
import time
import uuid

import pytest
from django.utils import timezone

from articles.models import Article, Correction, WebhookDelivery
from articles.publishing import workflow
from articles.webhooks import events, signing
from tests.articles.webhooks.helpers import State, approved_article, endpoint_at
from tests.factories import ArticleFactory, SponsorshipFactory, make_publishable

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(editor):
    article = approved_article()
    workflow.publish(article, by=editor)  # no callbacks run: partners hear nothing of it
    return article


def parse_signature(header: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in header.split(","))


# -- events and payloads ----------------------------------------------------------------


def test_publishing_delivers_a_signed_article_published_event(
    receiver, commercial, django_capture_on_commit_callbacks
):
    endpoint = endpoint_at(receiver.url)
    article = approved_article(desk=Article.Desk.COMMERCIAL, created_by=commercial)
    SponsorshipFactory(article=article)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article, by=commercial)

    assert receiver.events == ["article.published"]
    headers, body = receiver.requests[0]
    payload = json.loads(body)
    assert headers["Content-Type"] == "application/json"
    assert headers["Newsroom-Delivery"] == payload["id"]
    uuid.UUID(payload["id"])
    assert payload["event"] == "article.published"
    assert dt.datetime.fromisoformat(payload["created_at"]) <= timezone.now()

    # The signature, checked with our helper and by hand as a partner would.
    signature = headers["Newsroom-Signature"]
    assert signing.verify_signature(endpoint.secret, signature, body)
    parts = parse_signature(signature)
    assert parts["t"] == headers["Newsroom-Timestamp"]
    assert abs(int(parts["t"]) - time.time()) < 60
    expected = hmac.new(
        endpoint.secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)

    # The article as the API shows it: label and bylines included.
    sent = payload["article"]
    assert sent["id"] == article.pk
    assert sent["status"] == "published"
    assert sent["is_sponsored"] is True
    assert sent["label"] == "Sponsored Advertising Content"
    assert sent["title_with_label"].startswith("Sponsored Advertising Content")
    assert [b["author"]["name"] for b in sent["bylines"]] == ["Ada Byline"]
    assert sent["url"].endswith(article.get_absolute_url())

    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.article) == (State.SUCCEEDED, 1, article)
    assert delivery.delivered_at is not None
    attempt = delivery.attempt_log.get()
    assert (attempt.status_code, attempt.error) == (204, "")


def test_a_correction_is_delivered_as_article_corrected(
    receiver, endpoint, published, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(
            published, by=editor, kind=Correction.Kind.CORRECTION, text="The quarter was Q3."
        )
    assert receiver.events == ["article.corrected"]
    article = receiver.payloads[0]["article"]
    assert [c["text"] for c in article["corrections"]] == ["The quarter was Q3."]


def test_an_edit_to_a_published_article_is_delivered_as_article_updated(
    receiver, endpoint, published, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.record_edit(published, by=editor)
    assert receiver.events == ["article.updated"]


def test_unpublishing_sends_only_what_identifies_the_article(
    receiver, endpoint, published, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(published, by=editor, note="Legal asked us to.")
    assert receiver.events == ["article.unpublished"]
    assert receiver.payloads[0]["article"] == {
        "id": published.pk,
        "slug": published.slug,
        "headline": published.headline,
        "label": "",
    }


def test_a_retraction_sends_no_more_of_the_article_than_unpublishing_does(
    receiver, endpoint, published, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(
            published, by=editor, kind=Correction.Kind.RETRACTION, text="The source was fake."
        )
    assert receiver.events == ["article.unpublished", "article.corrected"]
    assert [set(p["article"]) for p in receiver.payloads] == [
        {"id", "slug", "headline", "label"}
    ] * 2


def test_an_endpoint_hears_only_the_events_it_subscribed_to(
    receiver, published, editor, django_capture_on_commit_callbacks
):
    endpoint_at(receiver.url, events=["article.published"])
    endpoint_at(receiver.url, events=["article.published"], active=False)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(
            published, by=editor, kind=Correction.Kind.CORRECTION, text="Fixed a name."
        )
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_steps_before_publication_send_nothing(
    receiver, endpoint, editor, django_capture_on_commit_callbacks
):
    article = make_publishable(ArticleFactory())
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(article, by=editor)
        workflow.approve(article, by=editor)
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_a_failing_webhook_never_breaks_publishing(endpoint, publish, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("serializer exploded")

    monkeypatch.setattr(events, "article_data", broken)
    article = publish(approved_article())
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert "Could not queue webhook article.published" in caplog.text
