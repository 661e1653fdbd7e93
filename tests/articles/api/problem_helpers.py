"""Shared by the partner-API error tests: what an RFC 9457 problem looks like, and the
small drafts they send to the article endpoint."""

import json

from tests.articles.api.helpers import ARTICLES

BODY = "<p>Sony said its profit rose. Analysts expect more.</p>"
CLAIM = "Sony said its profit rose."


def assert_problem(response, status: int) -> dict:
    """An RFC 9457 problem of ``status``; returns its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["type"].startswith("https://")
    assert problem["title"] and problem["detail"]
    return problem


def post(client, data, **headers):
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(ARTICLES, body, content_type="application/json", headers=headers)


def draft(**fields) -> dict:
    return {"headline": "Sony profit", "section": "technology", "body": BODY, **fields}


def claim(*sources, text=CLAIM) -> dict:
    return {"text": text, "sources": list(sources)}
