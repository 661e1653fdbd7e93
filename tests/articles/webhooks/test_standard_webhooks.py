"""Deliveries follow Standard Webhooks, so a partner verifies them with the
``standardwebhooks`` library as it comes; the deprecated Newsroom-* headers still verify
for receivers written against them; secrets made before the standard keep working."""

import base64
import json

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from articles.models import WebhookDelivery
from articles.publishing import workflow
from articles.webhooks import signing
from articles.webhooks.delivery import retry_now
from tests.articles.webhooks.helpers import approved_article, endpoint_at

pytestmark = pytest.mark.django_db


def standard(headers) -> dict[str, str]:
    return {
        name: headers[name] for name in ("webhook-id", "webhook-timestamp", "webhook-signature")
    }


def test_a_delivery_verifies_with_the_standardwebhooks_library(receiver, endpoint, publish):
    article = publish(approved_article())

    ((headers, body),) = receiver.requests
    payload = Webhook(endpoint.secret).verify(body, standard(headers))
    assert payload["event"] == "article.published"
    assert payload["article"]["id"] == article.pk
    assert headers["webhook-id"] == WebhookDelivery.objects.get().payload["id"]
    # The deprecated headers carry the same delivery, signed our first way.
    assert headers["Newsroom-Delivery"] == headers["webhook-id"]
    assert signing.verify_signature(endpoint.secret, headers["Newsroom-Signature"], body)


def test_a_tampered_body_or_another_secret_fails_verification(receiver, endpoint, publish):
    publish(approved_article())
    ((headers, body),) = receiver.requests
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(body.replace(b"published", b"corrected"), standard(headers))
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(body, standard(headers))


def test_a_retry_keeps_the_webhook_id_and_signs_afresh(receiver, endpoint, publish):
    receiver.fail_first(1)
    publish(approved_article())
    assert retry_now(WebhookDelivery.objects.all()) == 1
    (first, body_1), (second, body_2) = receiver.requests
    assert first["webhook-id"] == second["webhook-id"]
    assert body_1 == body_2
    for headers, body in receiver.requests:
        Webhook(endpoint.secret).verify(body, standard(headers))


def test_new_secrets_are_in_the_standard_form():
    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert signing.standard_secret(secret) == secret
    assert signing.new_secret() != secret


def test_a_secret_made_before_the_standard_verifies_in_its_standard_form(receiver, publish):
    legacy = endpoint_at(receiver.url)
    legacy.secret = "Zm9vYmFy-older-token_urlsafe-secret"
    legacy.save()
    publish(approved_article())
    ((headers, body),) = receiver.requests
    Webhook(signing.standard_secret(legacy.secret)).verify(body, standard(headers))
    assert signing.verify_signature(legacy.secret, headers["Newsroom-Signature"], body)


# -- ordering ------------------------------------------------------------------------------


def test_each_payload_says_which_state_it_shows_so_a_stale_retry_can_be_dropped(
    receiver, endpoint, publish, editor, django_capture_on_commit_callbacks
):
    receiver.fail_first(1)  # the first delivery (published) fails and is retried later
    article = publish(approved_article())
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(article, by=editor, kind="correction", text="A figure was wrong.")
    published = WebhookDelivery.objects.get(event="article.published")
    corrected = WebhookDelivery.objects.get(event="article.corrected")
    assert published.payload["sequence"] < corrected.payload["sequence"]
    assert corrected.payload["version"] == corrected.payload["article"]["version"]

    # The retry of the older event arrives after the newer one: a receiver keeping the
    # highest sequence per article drops it.
    retry_now(WebhookDelivery.objects.filter(pk=published.pk))
    applied: dict[int, int] = {}
    kept = []
    for headers, body in receiver.requests[1:]:  # the first was answered 500
        payload = Webhook(endpoint.secret).verify(body, standard(headers))
        article_id = payload["article"]["id"]
        if payload["sequence"] >= applied.get(article_id, 0):
            applied[article_id] = payload["sequence"]
            kept.append(payload["event"])
    assert [p["event"] for p in map(json.loads, (b for _, b in receiver.requests))] == [
        "article.published",
        "article.corrected",
        "article.published",
    ]
    assert kept == ["article.corrected"]
