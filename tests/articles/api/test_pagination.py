"""Cursor pages are keyset pages: each page is read from where the last one ended, along
an index, with no count and no OFFSET, so a page ten thousand articles deep costs what
the first does; cursors we did not write are refused, not run."""

import datetime as dt
from base64 import b64encode
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.articles.api.helpers import ARTICLES
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def cursor(**tokens) -> str:
    return b64encode(urlencode(tokens).encode()).decode()


def pages(client, url: str, link: str) -> list[list[int]]:
    found = []
    while url:
        data = client.get(url).json()
        found.append([item["id"] for item in data["results"]])
        url = data[link]
    return found


def test_previous_links_walk_back_over_the_same_pages(client):
    now = timezone.now()
    for i in range(11):
        # Pairs share a publication time to the microsecond: the id breaks the tie.
        ArticleFactory(published=True, published_at=now - dt.timedelta(hours=i // 2 + 1))
    forward = pages(client, f"{ARTICLES}?page_size=3", "next")
    assert [len(page) for page in forward] == [3, 3, 3, 2]
    last = client.get(f"{ARTICLES}?page_size=3").json()
    for _ in range(3):
        last = client.get(last["next"]).json()
    backward = pages(client, last["previous"], "previous")
    assert backward == forward[-2::-1]


@pytest.mark.parametrize(
    "tokens",
    [
        {"p": "2026-01-01T00:00:00+00:00"},  # the id is missing
        {"p": "2026-01-01T00:00:00+00:00~12~13"},  # one part too many
        {"p": "2026-01-01T00:00:00+00:00~abc"},
        {"p": "2026-01-01T00:00:00~12"},  # a time without a zone
        {"p": "2026-01-01T00:00:00+00:00~12", "o": "5"},  # an offset: we never write one
    ],
)
def test_cursors_we_did_not_write_are_refused(client, tokens):
    ArticleFactory(published=True)
    response = client.get(f"{ARTICLES}?cursor={cursor(**tokens)}")
    assert response.status_code == 404
    assert response.json()["detail"] == "Invalid cursor"


def test_a_cursor_with_an_offset_postgresql_refuses_reads_the_same_instant(client):
    # Hand-made, but a real position: 19:28 behind UTC is past what PostgreSQL takes.
    article = ArticleFactory(published=True)
    moment = article.published_at.astimezone(dt.timezone(-dt.timedelta(hours=19, minutes=28)))
    position = f"{(moment + dt.timedelta(seconds=1)).isoformat()}~{article.pk + 1}"
    response = client.get(f"{ARTICLES}?cursor={cursor(p=position)}")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [article.pk]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")
@pytest.mark.parametrize("query", ["", "&ordering=published_at", "&section=business"])
def test_a_deep_page_is_read_along_an_index_without_sorting(client, query):
    section = SectionFactory(slug="business")
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            headline=f"Item {i}",
            slug=f"item-{i}",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=now - dt.timedelta(minutes=i),
        )
        for i in range(300)
    )
    first = client.get(f"{ARTICLES}?page_size=5{query}").json()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(first["next"]).status_code == 200
    page = queries[0]["sql"]
    assert "OFFSET" not in page.upper() and "COUNT(" not in page.upper()
    with connection.cursor() as db:
        # Forbid what a missing index would need, then ask for the plan: an index still
        # gives the order, and the cursor is where the scan starts.
        db.execute("SET LOCAL enable_seqscan = off")
        db.execute("SET LOCAL enable_sort = off")
        db.execute("SET LOCAL enable_incremental_sort = off")
        db.execute(f"EXPLAIN {page}")
        plan = "\n".join(row[0] for row in db.fetchall())
    assert "Sort" not in plan, plan
    assert "Index" in plan and "published_at <=" in plan, plan
