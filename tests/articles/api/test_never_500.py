"""Nothing a caller sends makes the partner API answer 500: bad ids, cursors, filters and
payloads, read or written, all get an answer below 500."""

import json

import pytest

from sources.models import SourceDocument
from tests.articles.api.helpers import ARTICLES
from tests.articles.api.problem_helpers import claim, draft
from tests.factories import BylineFactory, SectionFactory, SourceDocumentFactory

pytestmark = pytest.mark.django_db

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
