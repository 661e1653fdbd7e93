"""Partners register, list and delete their webhook endpoints through the API."""

import pytest
from rest_framework.test import APIClient

from articles.models import WebhookEndpoint
from tests.articles.webhooks.helpers import endpoint_at

pytestmark = pytest.mark.django_db


WEBHOOKS_URL = "/api/v1/webhooks/"


def test_registering_returns_the_secret_once(partner_api):
    response = partner_api.post(
        WEBHOOKS_URL,
        {"url": "https://kestrel.example/hooks", "events": ["article.published"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    endpoint = WebhookEndpoint.objects.get()
    assert created["secret"] == endpoint.secret
    assert endpoint.partner == "Kestrel News"
    assert created["events"] == ["article.published"]

    listed = partner_api.get(WEBHOOKS_URL).json()
    assert listed == [
        {
            "id": endpoint.pk,
            "url": "https://kestrel.example/hooks",
            "events": ["article.published"],
            "active": True,
            "created_at": created["created_at"],
        }
    ]
    assert "secret" not in partner_api.get(f"{WEBHOOKS_URL}{endpoint.pk}/").json()


def test_partners_see_and_delete_only_their_own_endpoints(partner_api):
    theirs = endpoint_at("https://other.example/hooks", partner="Other Partner")
    ours = endpoint_at("https://kestrel.example/hooks")
    assert [e["id"] for e in partner_api.get(WEBHOOKS_URL).json()] == [ours.pk]
    assert partner_api.delete(f"{WEBHOOKS_URL}{theirs.pk}/").status_code == 404
    assert partner_api.delete(f"{WEBHOOKS_URL}{ours.pk}/").status_code == 204
    assert list(WebhookEndpoint.objects.all()) == [theirs]


def test_registering_needs_an_api_key():
    response = APIClient().post(
        WEBHOOKS_URL, {"url": "https://x.example/", "events": ["article.published"]}, format="json"
    )
    assert response.status_code == 401
    assert not WebhookEndpoint.objects.exists()


def test_http_is_refused_in_production_and_https_accepted(partner_api, settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    response = partner_api.post(
        WEBHOOKS_URL,
        {"url": "http://kestrel.example/hooks", "events": ["article.published"]},
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {
        "url": ["Use an https:// URL: payloads are only sent over HTTPS."]
    }
    response = partner_api.post(
        WEBHOOKS_URL,
        {"url": "https://kestrel.example/hooks", "events": ["article.published"]},
        format="json",
    )
    assert response.status_code == 201


def test_unknown_events_and_other_schemes_are_refused(partner_api):
    response = partner_api.post(
        WEBHOOKS_URL,
        {"url": "ftp://kestrel.example/hooks", "events": ["article.deleted"]},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["url"] == ["Use an https:// URL."]
    assert "article.deleted" in errors["events"]["0"][0]
    response = partner_api.post(
        WEBHOOKS_URL, {"url": "https://kestrel.example/", "events": []}, format="json"
    )
    assert response.status_code == 400
    assert "events" in response.json()["errors"]
