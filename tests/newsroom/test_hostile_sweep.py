"""A sweep of every public page and API endpoint with hostile query strings, paths and
bodies: no 5xx, and every API error a problem. Run it on PostgreSQL too: a NUL only
breaks a query there."""

import json

import pytest
from django.core.cache import cache
from django.db import connection

from articles.publishing import preview
from sources.models import Attribution
from tests.articles.api.helpers import ARTICLES
from tests.articles.publishing.helpers import S, newsroom_article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    ImageFactory,
    SectionFactory,
    SponsorshipFactory,
    make_publishable,
    png_upload,
)
from tests.newsroom.hostile import WEBHOOKS, assert_no_server_error, get, send

pytestmark = pytest.mark.django_db


# -- the sweep --------------------------------------------------------------------------------

HOSTILE_QUERIES = [
    "q=%00",
    "%00=1",
    "q=a%00b&section=%00&tag=%00&author=%00&sponsor=%00&kind=%00",
    "q=%ff%fe",
    "q=%ed%a0%80",  # a surrogate's UTF-8 bytes
    "q=" + "x" * 10_000,
    "section=" + "s" * 10_000,
    "q=a&q=b&q=c&" * 30 + "tag=a&tag=b",
    "before=x",
    "before=%00",
    "before=" + "9" * 10_000,
    "before=-1_-1",
    "before=nan_1_1",
    "before=1e308_1_1",
    "after=99999999999999999999_1",
    "after=1_" + "9" * 40,
    "after=%ff%fe",
    "before=1_2&after=3_4",
    "cursor=garbage",
    "cursor=%00",
    "cursor=%ff%fe",
    "cursor=" + "A" * 10_000,
    "cursor=cD0tMQ%3D%3D",  # p=-1
    "cursor=cj0xJnA9MQ%3D%3D",  # r=1&p=1
    "page_size=-1",
    "page_size=0",
    "page_size=100000000000000000000",
    "page_size=" + "9" * 10_000,
    "page_size=1&page_size=1000",
    "page=0",
    "page=-1&page=%00",
    "p=0",
    "p=99999999999999999999",
    "format=xml",
    "format=%00",
    "format=ninjs",
    "format=json&format=ninjs",
    "expand=everything",
    "expand=%00",
    "ordering=%00",
    "ordering=-",
    "ordering=,,,",
    "published_after=0000-00-00",
    "published_before=%00",
    "updated_since=9999-99-99T99:99",
    "label=%00&type=%00&author_kind=%00&sponsored=%00",
]


@pytest.fixture
def world(editor, reporter):
    """One of everything a reader or partner can reach, cited and labelled."""
    section = SectionFactory(slug="port")
    author = AuthorFactory(slug="ada")
    article = make_publishable(ArticleFactory(published=True, section=section), author=author)
    article.tags.add("ferries")
    sponsorship = SponsorshipFactory(
        article__status=S.PUBLISHED,
        article__published_at=article.published_at,
        sponsor__slug="acme",
    )
    image = ImageFactory()
    document = Attribution.objects.filter(claim__article=article).first().document
    draft_article = newsroom_article(reporter, status=S.APPROVED, headline="Draft")
    _, token = preview.create_link(draft_article, by=editor)
    month = article.published_at.strftime("%Y-%m")
    return {
        "site": [
            "/",
            "/section/port/",
            "/tag/ferries/",
            "/author/ada/",
            f"/sponsor/{sponsorship.sponsor.slug}/",
            "/search/",
            f"/articles/{article.slug}/",
            "/about/labels/",
            "/feeds/latest.rss",
            "/feeds/latest.atom",
            "/section/port/feed.rss",
            "/author/ada/feed.rss",
            "/sitemap.xml",
            "/sitemaps/sections.xml",
            f"/sitemaps/articles-{month}.xml",
            "/news-sitemap.xml",
            preview.path(token),
        ],
        "api": [
            ARTICLES,
            f"{ARTICLES}{article.pk}/",
            "/api/v1/authors/",
            f"/api/v1/authors/{author.pk}/",
            "/api/v1/sections/",
            f"/api/v1/sections/{section.pk}/",
            "/api/v1/tags/",
            "/api/v1/sponsors/",
            f"/api/v1/sponsors/{sponsorship.sponsor.pk}/",
            f"/api/v1/images/{image.pk}/",
            "/api/v1/publishers/",
            f"/api/v1/publishers/{document.publisher.pk}/",
            "/api/v1/documents/",
            f"/api/v1/documents/{document.pk}/",
            WEBHOOKS,
        ],
    }


def test_every_public_page_survives_hostile_query_strings(client, world):
    for url in world["site"]:
        assert get(client, url).status_code == 200, url
        for query in HOSTILE_QUERIES:
            response = get(client, f"{url}?{query}")
            assert_no_server_error(response, f"{url}?{query[:60]}")


def test_every_api_endpoint_survives_hostile_query_strings(client, key_client, partner_key, world):
    for caller in (client, key_client(partner_key)):
        for url in world["api"]:
            for query in HOSTILE_QUERIES:
                response = get(caller, f"{url}?{query}")
                assert_no_server_error(response, f"{url}?{query[:60]}")
                if "%00" in query and response.status_code != 401:
                    assert response.status_code == 400, (url, query)


def test_paths_no_route_can_read_never_fail(client, world):
    for url in [*world["site"], *world["api"]]:
        for junk in ["%00", "%ff%fe", "x" * 10_000, "..%2f..%2f", "%00/%00"]:
            response = get(client, f"{url}{junk}")
            assert_no_server_error(response, f"{url}{junk[:20]}")


HOSTILE_BODIES = [
    b"",
    b"null",
    b"[" * 100_000,
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    b"[" * 5_000 + b"]" * 5_000,
    b"\xff\xfe{}",
    b"\xef\xbb\xbf{}",  # a byte-order mark
    b'{"headline": "\\ud800"}',
    b'{"url": "https://a.example/\\udc00", "events": ["\\ud800"]}',
    b'{"headline": "\\u0000", "url": "https://a.example/\\u0000", "events": ["\\u0000"]}',
    b'{"headline": 1e999, "url": 1e999}',
    b'{"headline": NaN}',
    b'{"headline": ' + b"9" * 5_000 + b"}",
    b'{"headline": ' + b"9" * 4_000 + b"}",
    b'{"headline": "x", "headline": ["y"]}',
    json.dumps({"url": "https://a.example/" + "x" * 10_000, "events": ["x"] * 10_000}).encode(),
    json.dumps({"transition": ["publish"], "note": {"a": 1}}).encode(),
]


def test_every_api_write_survives_hostile_bodies(key_client, agent_key, partner_key, agent):
    SectionFactory(slug="technology")
    own = BylineFactory(author=agent).article
    drafts, partner = key_client(agent_key), key_client(partner_key)
    etag = drafts.get(f"{ARTICLES}{own.pk}/")["ETag"]
    for body in HOSTILE_BODIES:
        for content_type in ("application/json", "application/json; charset=utf-16"):
            for caller, method, url in [
                (drafts, "post", ARTICLES),
                (drafts, "patch", f"{ARTICLES}{own.pk}/"),
                (drafts, "post", f"{ARTICLES}{own.pk}/transitions/"),
                (partner, "post", WEBHOOKS),
            ]:
                caller.defaults["HTTP_IF_MATCH"] = etag
                response = send(caller, method, url, body, content_type)
                assert_no_server_error(response, f"{method} {url} {body[:40]!r}")


def test_an_image_upload_survives_hostile_fields(key_client, agent_key):
    uploader = key_client(agent_key)
    uploader.raise_request_exception = False
    for fields in [
        {"alt_text": "\x00", "caption": "a\x00b", "source_kind": "\x00"},
        {"alt_text": "x" * 10_000, "credit": "\ufffe", "source_kind": "staff"},
        {"alt_text": "A", "source_kind": "staff", "focal_x": "nan", "focal_y": "1e999"},
        {"alt_text": "A", "source_kind": ["staff", "agency"], "focal_x": "-inf"},
    ]:
        cache.clear()
        response = uploader.post("/api/v1/images/", {"file": png_upload(), **fields})
        assert_no_server_error(response, str(fields)[:60])
        assert response.status_code == 400, response.content


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the NUL only breaks PostgreSQL")
def test_postgresql_never_sees_a_nul_from_a_query_string(client, world):
    with connection.execute_wrapper(_refuse_nul):
        for url in [*world["site"], *world["api"]]:
            assert_no_server_error(get(client, f"{url}?q=%00&section=%00"), url)


def _refuse_nul(execute, sql, params, many, context):
    assert "\x00" not in repr(params), sql
    return execute(sql, params, many, context)
