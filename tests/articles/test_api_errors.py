"""The partner API when things go wrong: every error is RFC 9457 problem details with
field messages where there are fields, nothing answers 500, and rate limits hold
(in Redis when the cache is Redis)."""

import json
import os
import uuid

import pytest
import redis
from django.core.cache import cache, caches
from rest_framework.throttling import SimpleRateThrottle

from articles.models import Article
from sources.models import SourceDocument
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    PartnerKeyFactory,
    PublisherFactory,
    SectionFactory,
    SourceDocumentFactory,
)

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles/"
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
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


@pytest.fixture
def sift(key_client, agent_key, db):
    SectionFactory(slug="technology")
    return key_client(agent_key)


def draft(**fields) -> dict:
    return {"headline": "Sony profit", "section": "technology", "body": BODY, **fields}


def claim(*sources, text=CLAIM) -> dict:
    return {"text": text, "sources": list(sources)}


# -- 400s with field messages -------------------------------------------------------------


def test_malformed_json(sift):
    problem = assert_problem(post(sift, '{"headline": "Sony",'), 400)
    assert "JSON parse error" in problem["detail"]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"headline": ["a", "list"]}, "headline", "Not a valid string."),
        ({"tags": "wifi"}, "tags", 'Expected a list of items but got type "str".'),
        ({"type_of_work": "gossip"}, "type_of_work", '"gossip" is not a valid choice.'),
        ({"section": "sport"}, "section", "Object with slug=sport does not exist."),
        ({"headline": ""}, "headline", "This field may not be blank."),
        ({"headline": "x" * 251}, "headline", "Ensure this field has no more than 250 characters."),
    ],
)
def test_wrong_types_and_values_are_named_by_field(sift, payload, field, message):
    problem = assert_problem(post(sift, draft(**payload)), 400)
    assert problem["errors"][field] == [message]
    assert field in problem["detail"]


def test_a_list_of_claims_that_is_not_a_list(sift):
    problem = assert_problem(post(sift, draft(claims="all of them")), 400)
    assert problem["errors"]["claims"] == {
        "non_field_errors": ['Expected a list of items but got type "str".']
    }


def test_a_request_that_is_not_an_object(sift):
    for body in ("[1, 2]", '"draft"', "null"):
        problem = assert_problem(post(sift, body), 400)
        assert problem["errors"]["non_field_errors"]


def test_missing_fields(sift):
    problem = assert_problem(post(sift, {}), 400)
    assert problem["errors"]["headline"] == ["This field is required."]
    assert problem["errors"]["body"] == ["This field is required."]


def test_unknown_fields_are_refused_at_every_level(sift):
    problem = assert_problem(post(sift, draft(colour="red", status="published")), 400)
    assert problem["errors"] == {"colour": ["Unknown field."], "status": ["Unknown field."]}

    document = {"title": "T", "publisher": "P", "kind": "press_release", "secret": 1}
    problem = assert_problem(post(sift, draft(claims=[claim({"document": document})])), 400)
    assert problem["errors"]["claims"]["0"]["sources"]["0"]["document"] == {
        "secret": ["Unknown field."]
    }


def test_a_huge_payload_is_refused_without_a_500(sift, settings):
    body = "<p>" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + "</p>"
    response = post(sift, draft(body=body))
    assert response.status_code in (400, 413)
    assert_problem(response, response.status_code)
    assert not Article.objects.exists()


def test_claim_text_must_be_in_the_body(sift):
    payload = draft(claims=[claim(), claim(text="Sony doubled its profit.")])
    problem = assert_problem(post(sift, payload), 400)
    assert problem["errors"] == {
        "claims[1].text": ["This text does not appear in the body. Quote it exactly."]
    }
    assert not Article.objects.exists()


def test_unknown_document_id(sift):
    problem = assert_problem(post(sift, draft(claims=[claim({"document": 999_999})])), 400)
    assert problem["errors"]["claims"]["0"]["sources"]["0"]["document"] == [
        "No source document has id 999999."
    ]


def test_a_claim_listed_twice(sift):
    payload = draft(claims=[claim(), claim()])
    problem = assert_problem(post(sift, payload), 400)
    assert problem["errors"] == {
        "claims[1].text": ["This claim is already claims[0]; give all its sources there."]
    }


def test_one_document_cited_twice_for_a_claim(sift):
    document = SourceDocumentFactory(title="Sony annual report", publisher__name="Sony")
    inline = {"title": "Sony annual report", "publisher": "Sony", "kind": "filing"}
    payload = draft(claims=[claim({"document": document.pk}, {"document": inline})])
    problem = assert_problem(post(sift, payload), 400)
    assert problem["errors"] == {
        "claims[0].sources[1].document": [
            "This document is already a source of this claim (sources[0])."
        ]
    }


def test_a_new_document_that_breaks_the_models_rules(sift):
    document = {
        "title": "Sony results",
        "publisher": "Sony",
        "kind": "press_release",
        "published_on": "2026-04-10",
        "accessed_on": "2026-04-09",
    }
    problem = assert_problem(post(sift, draft(claims=[claim({"document": document})])), 400)
    assert problem["errors"] == {
        "claims[0].sources[0].document": ["A document cannot be accessed before it was published."]
    }
    assert not SourceDocument.objects.exists()


def test_an_intermediary_that_is_the_documents_own_publisher(sift):
    document = SourceDocumentFactory(publisher=PublisherFactory(name="Reuters"))
    source = {"document": document.pk, "via": "Reuters", "relation": "carried_by"}
    problem = assert_problem(post(sift, draft(claims=[claim(source)])), 400)
    assert problem["errors"] == {
        "claims[0].sources[0].via": [
            "The intermediary must differ from the document's own publisher."
        ]
    }


@pytest.mark.parametrize(
    ("source", "field"),
    [
        ({"via": "Yahoo Finance"}, "relation"),
        ({"relation": "carried_by"}, "relation"),
        ({"via_url": "https://portal.example/x"}, "via_url"),
        ({"via": "Yahoo Finance", "relation": "copied_by"}, "relation"),
        ({"via": "   ", "relation": "carried_by"}, "via"),
        ({"via": "x" * 201, "relation": "carried_by"}, "via"),
        ({"via": "Nul\x00Ltd", "relation": "carried_by"}, "via"),
        ({"via": 10**30, "relation": "carried_by"}, "via"),
        ({"via": True, "relation": "carried_by"}, "via"),
    ],
)
def test_intermediaries_come_with_their_relation(sift, source, field):
    document = SourceDocumentFactory()
    payload = draft(claims=[claim({"document": document.pk, **source})])
    problem = assert_problem(post(sift, payload), 400)
    assert field in problem["errors"]["claims"]["0"]["sources"]["0"]


def test_a_publisher_name_without_letters_or_digits(sift):
    document = {"title": "T", "publisher": "!!!", "kind": "press_release"}
    problem = assert_problem(post(sift, draft(claims=[claim({"document": document})])), 400)
    assert problem["errors"] == {
        "claims[0].sources[0].document.publisher": [
            "Give the publisher's name in letters or digits."
        ]
    }


def test_editor_key_bylines_must_name_existing_authors_once(key_client, editor_key):
    SectionFactory(slug="technology")
    ada = AuthorFactory(slug="ada")
    editor = key_client(editor_key)
    problem = assert_problem(post(editor, draft(bylines=[{"author": "nobody"}])), 400)
    assert problem["errors"] == {"bylines[0].author": ["No author has the slug “nobody”."]}
    twice = draft(bylines=[{"author": "ada"}, {"author": "ada"}])
    problem = assert_problem(post(editor, twice), 400)
    assert problem["errors"] == {
        "bylines[1]": [f"{ada.name} is already in the byline in this role."]
    }
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("published_after=yesterday", "published_after"),
        ("published_before=2026-13-01", "published_before"),
        ("updated_since=2026-04-10T25:00", "updated_since"),
        ("published_after=0001-01-01T00:00:00%2B01:00", "published_after"),
        ("published_after=9999-12-31T23:59:59-01:00", "published_after"),
        ("updated_since=1066-10-14", "updated_since"),
        ("author_kind=robot", "author_kind"),
        ("label=promoted", "label"),
        ("type=gossip", "type"),
        ("type=advertiser_content&label=maybe", "label"),
        ("ordering=headline", "ordering"),
        ("ordering=-published_at,slug", "ordering"),
        ("q=" + "x" * 201, "q"),
        ("section=%00", "section"),
    ],
)
def test_bad_filter_values_are_400_with_the_filter_named(client, query, field):
    problem = assert_problem(client.get(f"{ARTICLES}?{query}"), 400)
    assert field in problem["errors"]


# -- other statuses, all problem details -------------------------------------------------


def test_each_kind_of_error_is_a_problem(client, key_client, agent, agent_key, partner_key):
    published = ArticleFactory(published=True)
    own = BylineFactory(author=agent).article
    sift = key_client(agent_key)
    url = f"{ARTICLES}{own.pk}/"
    assert_problem(client.get(f"{ARTICLES}999999/"), 404)
    assert_problem(client.get(f"{ARTICLES}?cursor=not-a-cursor"), 404)
    assert_problem(client.delete(f"{ARTICLES}{published.pk}/"), 405)
    assert_problem(client.get(ARTICLES, headers={"Accept": "text/csv"}), 406)
    assert_problem(client.get(ARTICLES, headers={"Authorization": "Api-Key wrong"}), 401)
    assert_problem(post(client, draft()), 401)
    assert_problem(post(key_client(partner_key), draft()), 403)
    assert_problem(sift.post(ARTICLES, "headline=x", content_type="text/plain"), 415)
    assert_problem(sift.patch(url, "{}", content_type="application/json"), 428)
    stale = {"If-Match": '"0123456789abcdef"'}
    assert_problem(sift.patch(url, "{}", content_type="application/json", headers=stale), 412)
    # If-Match on a read is honoured too.
    assert_problem(sift.get(url, headers=stale), 412)
    problem = assert_problem(sift.put(url, "{}", content_type="application/json"), 405)
    assert problem["detail"] == 'Method "PUT" not allowed.'


# -- never a 500 -------------------------------------------------------------------------


BAD_READS = [
    f"{ARTICLES}abc/",
    f"{ARTICLES}99999999999999999999999999/",
    f"{ARTICLES}-1/",
    f"{ARTICLES}%00/",
    f"{ARTICLES}?page_size=-5",
    f"{ARTICLES}?page_size=abc",
    f"{ARTICLES}?page_size=99999999999999999999",
    f"{ARTICLES}?cursor=cD0yMDI2LTAxLTAx",  # p=2026-01-01: a time without a zone
    f"{ARTICLES}?cursor=cD1nYXJiYWdl",  # p=garbage
    f"{ARTICLES}?cursor=cD05OTk5LTEyLTMxVDIzOjU5OjU5LTAxOjAw",  # p=9999-12-31T23:59:59-01:00
    "/api/v1/sections/?cursor=cD1hYmM%3D",  # p=abc where ids are numbers
    "/api/v1/documents/?cursor=cD05OTk5OTk5OTk5OTk5OTk5OTk5OQ%3D%3D",  # p=99999999999999999999
    f"{ARTICLES}?cursor=%FF%FE",
    f"{ARTICLES}?format=xml",
    f"{ARTICLES}?sponsored=perhaps",
    f"{ARTICLES}?q=%27%22%3B--%20drop",
    f"{ARTICLES}?q=%26%7C%21%3A*",
    f"{ARTICLES}?q=%F0%9F%93%B0",
    f"{ARTICLES}?published_after=%00",
    f"{ARTICLES}?updated_since=2026-04-10T10:00:00%2B99:00",
    f"{ARTICLES}?tag=a&tag=b&tag=%00",
    "/api/v1/authors/?kind=robot",
    "/api/v1/authors/abc/",
    "/api/v1/documents/99999999999999999999999/",
    "/api/v1/publishers/?cursor=zzz",
    "/api/v1/sponsors/?page_size=0",
    "/api/v1/tags/?format=ninjs",
]


@pytest.mark.parametrize("url", BAD_READS)
def test_bad_reads_never_answer_500(client, url):
    client.raise_request_exception = False
    assert client.get(url).status_code < 500


def _bad_writes(document: SourceDocument) -> list:
    return [
        b"\xff\xfe not utf-8",
        "{" * 10_000,
        json.dumps({"headline": "x", "body": "y", "claims": [{"text": "y"}] * 201}),
        json.dumps(draft(body="\ud800")),
        json.dumps(draft(headline="Nul\x00")),
        json.dumps(draft(tags=["!!!", "???", "%00"])),
        json.dumps(draft(tags=["x" * 101])),
        json.dumps(draft(language="klingon")),
        json.dumps(draft(section=None, type_of_work=None)),
        json.dumps(draft(claims=[claim({"document": "1"})])),
        json.dumps(draft(claims=[claim({"document": [document.pk]})])),
        json.dumps(draft(claims=[claim({"document": -1})])),
        json.dumps(draft(claims=[claim({"document": 1.5})])),
        json.dumps(draft(claims=[claim({"document": 10**40})])),
        json.dumps(draft(claims=[claim({"document": {"title": "T"}})])),
        json.dumps(draft(claims=[claim({"document": document.pk}, text="")])),
        json.dumps(draft(claims=[claim({"document": document.pk}, text="   ")])),
        json.dumps(draft(claims=[claim(*[{"document": document.pk}] * 11)])),
        json.dumps(
            draft(
                claims=[
                    claim(
                        {
                            "document": {
                                "title": "T",
                                "publisher": "P",
                                "kind": "filing",
                                "published_on": "0000-01-01",
                                "url": "javascript:alert(1)",
                            }
                        }
                    )
                ]
            )
        ),
        json.dumps(draft(bylines=[{"author": "x"}])),
        json.dumps(draft(bylines="someone")),
        json.dumps(draft(sponsorship=None)),
        json.dumps(draft(lead_image="abc")),
        json.dumps(draft(lead_image=10**30)),
    ]


def test_bad_writes_never_answer_500(key_client, agent, agent_key, editor_key):
    SectionFactory(slug="technology")
    document = SourceDocumentFactory()
    own = BylineFactory(author=agent).article
    for caller in (key_client(agent_key), key_client(editor_key)):
        caller.raise_request_exception = False
        etag = caller.get(f"{ARTICLES}{own.pk}/")["ETag"]
        for body in _bad_writes(document):
            response = caller.post(ARTICLES, body, content_type="application/json")
            assert response.status_code < 500, body[:80]
            if response.status_code >= 400:
                assert response["Content-Type"] == "application/problem+json", body[:80]
            response = caller.patch(
                f"{ARTICLES}{own.pk}/",
                body,
                content_type="application/json",
                headers={"If-Match": etag},
            )
            assert response.status_code < 500, body[:80]
        for body in [{"transition": "fly"}, {"transition": "schedule", "scheduled_for": "soon"}]:
            response = caller.post(
                f"{ARTICLES}{own.pk}/transitions/", body, content_type="application/json"
            )
            assert response.status_code < 500


# -- rate limits ------------------------------------------------------------------------


@pytest.fixture
def low_rates(monkeypatch):
    """Three anonymous requests and five per key a minute. DRF reads the rates once, into
    a class attribute, so that is what is patched; the counts start from nothing."""
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anonymous": "3/minute", "key": "5/minute"}
    )
    cache.clear()


def test_anonymous_clients_are_limited_with_ratelimit_headers(client, low_rates):
    remaining = []
    for _ in range(3):
        response = client.get(ARTICLES)
        assert response.status_code == 200
        assert response["RateLimit-Limit"] == "3"
        assert 0 < int(response["RateLimit-Reset"]) <= 60
        remaining.append(response["RateLimit-Remaining"])
    assert remaining == ["2", "1", "0"]

    refused = client.get(ARTICLES)
    problem = assert_problem(refused, 429)
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["RateLimit-Remaining"] == "0"
    assert "throttled" in problem["type"]


def test_each_key_has_its_own_budget(client, key_client, low_rates):
    first, second = key_client(PartnerKeyFactory()), key_client(PartnerKeyFactory())
    for expected in ["4", "3", "2", "1", "0"]:
        response = first.get("/api/v1/sections/")
        assert response["RateLimit-Limit"] == "5"
        assert response["RateLimit-Remaining"] == expected
    assert first.get("/api/v1/sections/").status_code == 429
    # Every endpoint draws on the same budget…
    assert first.get("/api/v1/publishers/").status_code == 429
    # … but other keys, and clients without one, have their own.
    assert second.get("/api/v1/sections/")["RateLimit-Remaining"] == "4"
    assert second.get("/api/v1/publishers/")["RateLimit-Remaining"] == "3"
    assert second.get("/api/v1/documents/")["RateLimit-Remaining"] == "2"
    assert client.get("/api/v1/sections/")["RateLimit-Remaining"] == "2"


def test_throttle_counts_live_in_redis_when_the_cache_is_redis(client, key_client, settings):
    raw = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2)
    try:
        raw.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(
            f"Redis at TEST_REDIS_URL={TEST_REDIS_URL} is unreachable ({exc}). "
            "Start it with `make services`, or point TEST_REDIS_URL at a running Redis."
        )
    prefix = f"newsroom-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    key = PartnerKeyFactory()
    try:
        for _ in range(3):
            assert key_client(key).get("/api/v1/sections/").status_code == 200
        client.get("/api/v1/sections/")

        redis_cache = caches["default"]
        key_count = redis_cache.make_and_validate_key(f"throttle_key_key:{key.prefix}")
        anonymous_count = redis_cache.make_and_validate_key("throttle_anonymous_127.0.0.1")
        assert raw.exists(key_count) == 1
        assert raw.exists(anonymous_count) == 1
        assert len(redis_cache.get(f"throttle_key_key:{key.prefix}")) == 3
        assert 0 < raw.ttl(key_count) <= 60
    finally:
        for stored in raw.scan_iter(f"{prefix}:*"):
            raw.delete(stored)
        caches["default"].close()
        raw.close()


def test_the_agent_and_the_editor_are_throttled_per_key_too(key_client, low_rates, editor_key):
    agent_key = PartnerKeyFactory(for_agent=True)
    for key in (agent_key, editor_key):
        caller = key_client(key)
        for _ in range(5):
            assert caller.get(ARTICLES).status_code == 200
        assert_problem(caller.get(ARTICLES), 429)
