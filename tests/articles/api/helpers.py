"""Shared by the partner-API tests: the article endpoint, its ninjs media type, and the
calls that list, file, edit and move articles through it."""

from django.utils import timezone

from articles.models import Article

ARTICLES = "/api/v1/articles/"
NINJS = "application/ninjs+json"
BODY = (
    "<p>Sony said it will bring its cloud streaming service to more countries next year. "
    "Shipments of Wi-Fi 7 routers more than doubled in the first quarter.</p>"
)
SONY_CLAIM = "Sony said it will bring its cloud streaming service to more countries next year."
ROUTER_CLAIM = "Shipments of Wi-Fi 7 routers more than doubled in the first quarter."


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def post(client, url: str, data: dict, **headers):
    return client.post(url, data, content_type="application/json", headers=headers)


def patch(client, url: str, data: dict, **headers):
    return client.patch(url, data, content_type="application/json", headers=headers)


def transition(client, article: Article, name: str, **fields):
    return post(client, f"{ARTICLES}{article.pk}/transitions/", {"transition": name, **fields})


def draft_payload(sony_release, **fields) -> dict:
    """A draft as an agent files it: body, claims, and both kinds of source."""
    today = timezone.localdate()
    return {
        "headline": "Sony takes cloud streaming to more countries",
        "dek": "What it means for home networks.",
        "section": "technology",
        "type_of_work": "analysis",
        "tags": ["cloud gaming", "Wi-Fi"],
        "body": BODY,
        "claims": [
            {"text": SONY_CLAIM, "sources": [{"document": sony_release.pk}]},
            {
                "text": ROUTER_CLAIM,
                "sources": [
                    {
                        "document": {
                            "title": "Game streaming puts home networks to the test",
                            "publisher": "Reuters",
                            "kind": "wire_report",
                            "url": "https://reuters.example.com/game-streaming",
                            "published_on": today.isoformat(),
                        },
                        "via": "Yahoo Finance",
                        "relation": "carried_by",
                        "via_url": "https://yahoo-finance.example.com/game-streaming",
                    }
                ],
            },
        ],
        **fields,
    }
