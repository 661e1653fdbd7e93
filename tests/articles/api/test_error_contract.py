"""Errors are part of the API's contract: every operation documents the problem+json
answers it can give (one shared Problem schema) and the headers its answers carry, and
the errors the API really answers are documented for their operation and match it."""

import jsonschema
import pytest

from articles.api.schema import PROBLEM_SCHEMA
from articles.models import Article
from tests.articles.api.helpers import ARTICLES, draft_payload, patch, post, transition
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def schema(client):
    return client.get("/api/v1/schema/?format=json").json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method in ("get", "post", "patch", "put", "delete"):
                yield path, method, operation


def test_every_operation_documents_its_errors_as_problems(schema):
    assert schema["components"]["schemas"]["Problem"] == PROBLEM_SCHEMA
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        for code in ("401", "403", "404", "429", "503"):
            content = responses[code]["content"]
            assert content == {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        assert "Retry-After" in responses["429"]["headers"], (path, method)
        if operation.get("parameters") or method in ("post", "patch"):
            assert "400" in responses, (path, method)
        for code, response in responses.items():
            assert {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= set(
                response.get("headers", {})
            ) or code in ("304", "414"), (path, method, code)
    draft = schema["paths"]["/api/v1/articles/{id}/"]["patch"]["responses"]
    assert {"409", "412", "428"} <= set(draft)
    assert "ETag" in draft["200"]["headers"]
    created = schema["paths"]["/api/v1/articles/"]["post"]["responses"]["201"]
    assert {"Location", "ETag"} <= set(created["headers"])
    assert {"UpdateDraft", "SubmitDraft"} <= set(created["links"])


def assert_documented(schema, response, path: str, method: str) -> None:
    """The answer is a problem, of a status its operation documents."""
    assert response["Content-Type"] == PROBLEM
    jsonschema.validate(response.json(), PROBLEM_SCHEMA)
    documented = schema["paths"][path][method]["responses"]
    assert str(response.status_code) in documented, (path, method, response.status_code)


def test_real_errors_are_documented_problems(
    schema, client, key_client, agent_key, technology, sony_release
):
    agent = key_client(agent_key)
    unknown = client.get(f"{ARTICLES}?sectoin=climate")
    assert unknown.status_code == 400
    assert "sectoin" in unknown.json()["errors"]
    assert_documented(schema, unknown, "/api/v1/articles/", "get")

    missing = client.get(f"{ARTICLES}999999/")
    assert missing.status_code == 404
    assert_documented(schema, missing, "/api/v1/articles/{id}/", "get")

    bad_key = client.get(ARTICLES, headers={"Authorization": "Api-Key nope.nope"})
    assert bad_key.status_code == 401
    assert_documented(schema, bad_key, "/api/v1/articles/", "get")

    invalid = post(agent, ARTICLES, {"headline": ""})
    assert invalid.status_code == 400
    assert "headline" in invalid.json()["errors"]
    assert_documented(schema, invalid, "/api/v1/articles/", "post")

    created = post(agent, ARTICLES, draft_payload(sony_release))
    assert created.status_code == 201
    url = f"{ARTICLES}{created.json()['id']}/"
    unconditional = patch(agent, url, {"dek": "New."})
    assert unconditional.status_code == 428
    assert_documented(schema, unconditional, "/api/v1/articles/{id}/", "patch")
    stale = patch(agent, url, {"dek": "New."}, **{"If-Match": '"stale"'})
    assert stale.status_code == 412
    assert_documented(schema, stale, "/api/v1/articles/{id}/", "patch")
    updated = patch(agent, url, {"dek": "New."}, **{"If-Match": created["ETag"]})
    assert updated.status_code == 200
    article = Article.objects.get(pk=created.json()["id"])
    refused = transition(agent, article, "approve")
    assert refused.status_code in (403, 409)
    assert_documented(schema, refused, "/api/v1/articles/{id}/transitions/", "post")


def test_the_etag_a_read_gives_is_the_one_a_write_accepts(
    key_client, agent_key, technology, sony_release
):
    agent = key_client(agent_key)
    ArticleFactory(published=True, section=technology)  # a related piece for the draft
    created = post(agent, ARTICLES, draft_payload(sony_release))
    url = f"{ARTICLES}{created.json()['id']}/"
    read = agent.get(url)
    assert read.json()["related"]  # the JSON names its related pieces, and so its ETag
    assert read["ETag"] == created["ETag"]
    updated = patch(agent, url, {"dek": "New."}, **{"If-Match": read["ETag"]})
    assert updated.status_code == 200, updated.content
    assert updated.json()["related"] == read.json()["related"]
    assert agent.get(url)["ETag"] == updated["ETag"]
