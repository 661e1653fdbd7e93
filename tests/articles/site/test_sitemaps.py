"""Machine-readable files: the sitemap, the news sitemap, trust.txt and robots.txt."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from articles.models import Article
from tests.articles.site.helpers import html_of
from tests.articles.site.test_query_plans import (
    ARCHIVE,
    ARTICLES,
    big_sorts,
    by_date,
    nodes,
    plans_of,
    reads_articles,
)
from tests.factories import ArticleFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


# -- machine-readable files ------------------------------------------------------------------


def test_news_sitemap_lists_recent_journalism_and_never_sponsored_content(client):
    fresh = ArticleFactory(published=True, headline="Fresh journalism")
    sponsored = ArticleFactory(published=True, headline="Fresh advertising")
    SponsorshipFactory(article=sponsored)
    ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - dt.timedelta(days=3),
        headline="Old journalism",
    )
    root = ET.fromstring(html_of(client, "/news-sitemap.xml"))
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "n": "http://www.google.com/schemas/sitemap-news/0.9",
    }
    titles = [u.findtext("n:news/n:title", "", ns) for u in root.findall("s:url", ns)]
    assert titles == ["Fresh journalism"]
    url = root.find("s:url", ns)
    assert url.findtext("s:loc", "", ns).endswith(fresh.get_absolute_url())
    assert url.findtext("n:news/n:publication/n:name", "", ns) == "Newsroom"


def test_sitemap_lists_published_articles_and_standards_pages(client, clock):
    live = ArticleFactory(published=True)
    draft = ArticleFactory()
    index = locs_of(client, "/sitemap.xml")
    [month] = [loc for loc in index if "/sitemaps/articles-" in loc]
    locs = locs_of(client, month.removeprefix("http://testserver"))
    assert any(loc.endswith(live.get_absolute_url()) for loc in locs)
    assert not any(loc.endswith(draft.get_absolute_url()) for loc in locs)
    standards = locs_of(client, "/sitemaps/standards.xml")
    assert any(loc.endswith("/about/labels/") for loc in standards)


def test_trust_txt_and_robots_txt(client):
    trust = html_of(client, "/trust.txt")
    assert "disclosure=http://127.0.0.1:8000/about/labels/" in trust
    assert "contact=mailto:newsroom@example.com" in trust
    assert "datatrainingallowed=no" in trust
    assert html_of(client, "/.well-known/trust.txt") == trust
    robots = html_of(client, "/robots.txt")
    assert "Disallow: /admin/" in robots
    assert "Sitemap: http://127.0.0.1:8000/news-sitemap.xml" in robots


# -- the sitemap index and its monthly article sitemaps ----------------------------------------

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NOW = dt.datetime(2026, 12, 15, 12, tzinfo=dt.UTC)


def locs_of(client, url: str) -> list[str]:
    root = ET.fromstring(html_of(client, url))
    return [e.text for e in root.iter(f"{SITEMAP_NS}loc")]


def at(*when: int) -> dt.datetime:
    return dt.datetime(*when, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def months(clock):
    """Published articles in September, October and December; November has none."""
    published = Article.Status.PUBLISHED
    return {
        "september": [
            ArticleFactory(status=published, published_at=at(2026, 9, 1)),
            ArticleFactory(status=published, published_at=at(2026, 9, 30, 23, 59, 59)),
        ],
        "october": [ArticleFactory(status=published, published_at=at(2026, 10, 1))],
        "december": [ArticleFactory(published=True)],
        "hidden": [
            # A draft (with a date) older than any published article, a withdrawn
            # article in September, one published at a future time this month.
            ArticleFactory(status=Article.Status.DRAFT, published_at=at(2026, 6, 3)),
            ArticleFactory(status=Article.Status.UNPUBLISHED, published_at=at(2026, 9, 5)),
            ArticleFactory(status=published, published_at=NOW + dt.timedelta(days=1)),
        ],
    }


def test_index_lists_named_sitemaps_and_every_month_since_the_oldest_article(client, months):
    assert locs_of(client, "/sitemap.xml") == [
        "http://testserver/sitemaps/sections.xml",
        "http://testserver/sitemaps/standards.xml",
        # Newest first; November is listed though empty, June's draft extends nothing.
        "http://testserver/sitemaps/articles-2026-12.xml",
        "http://testserver/sitemaps/articles-2026-11.xml",
        "http://testserver/sitemaps/articles-2026-10.xml",
        "http://testserver/sitemaps/articles-2026-09.xml",
    ]


def test_index_lists_no_months_when_nothing_is_published(client, clock):
    ArticleFactory()
    assert [loc.rsplit("/", 1)[1] for loc in locs_of(client, "/sitemap.xml")] == [
        "sections.xml",
        "standards.xml",
    ]
    assert client.get("/sitemaps/articles-2026-12.xml").status_code == 404


def test_month_sitemap_lists_exactly_that_months_published_articles(client, months):
    def urls(month: str) -> set[str]:
        return {loc.removeprefix("http://testserver") for loc in locs_of(client, month)}

    def expected(name: str) -> set[str]:
        return {article.get_absolute_url() for article in months[name]}

    assert urls("/sitemaps/articles-2026-09.xml") == expected("september")
    assert urls("/sitemaps/articles-2026-10.xml") == expected("october")
    assert urls("/sitemaps/articles-2026-11.xml") == set()
    assert urls("/sitemaps/articles-2026-12.xml") == expected("december")


def test_month_sitemap_carries_lastmod_newest_first(client, months):
    root = ET.fromstring(html_of(client, "/sitemaps/articles-2026-09.xml"))
    entries = [
        (url.findtext(f"{SITEMAP_NS}loc"), url.findtext(f"{SITEMAP_NS}lastmod"))
        for url in root.iter(f"{SITEMAP_NS}url")
    ]
    newest, oldest = months["september"][1], months["september"][0]
    assert [loc.removeprefix("http://testserver") for loc, _ in entries] == [
        newest.get_absolute_url(),
        oldest.get_absolute_url(),
    ]
    assert all(lastmod.startswith("2026-12-15") for _, lastmod in entries)


@pytest.mark.parametrize(
    "url",
    [
        "/sitemaps/articles-2026-13.xml",  # no such month
        "/sitemaps/articles-2026-00.xml",
        "/sitemaps/articles-0000-01.xml",
        "/sitemaps/articles-2027-01.xml",  # after the current month
        "/sitemaps/articles-2026-08.xml",  # before the oldest published article
        "/sitemaps/articles-2026-06.xml",  # only a draft's date
        "/sitemaps/articles-2026-9.xml",
        "/sitemaps/articles-abcd-01.xml",
        "/sitemaps/articles.xml",
        "/sitemaps/nothing.xml",
    ],
)
def test_unknown_sitemaps_are_not_found(client, months, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url", ["/sitemap.xml", "/sitemaps/sections.xml", "/sitemaps/articles-2026-09.xml"]
)
def test_sitemaps_are_public_feeds_purged_with_every_article_change(client, months, url):
    response = client.get(url)
    assert response["xkey"].split() == ["feeds", "sections"]
    assert response["Content-Type"].startswith("application/xml")


@pytest.mark.parametrize("count", [3, 30])
def test_sitemap_queries_do_not_grow_with_the_archive(
    client, clock, settings, django_assert_num_queries, count
):
    settings.PUBLIC_CACHE_SECONDS = 0
    for day in range(count):
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=at(2026, 9, 1 + day % 28))
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=at(2025, 1 + day % 12, 2))
    # The oldest published date (the months).
    with django_assert_num_queries(1):
        assert client.get("/sitemap.xml").status_code == 200
    # The oldest published date (is the month listed?); the month's count (its paginator);
    # the month's page of articles.
    with django_assert_num_queries(3):
        assert client.get("/sitemaps/articles-2026-09.xml").status_code == 200


# -- on PostgreSQL: the plans, in an archive big enough for the planner to scan ----------------


@pytest.fixture
def archive(settings):
    from django.contrib.contenttypes.models import ContentType

    settings.PUBLIC_CACHE_SECONDS = 0
    content_type = ContentType.objects.get_for_model(Article).pk
    with connection.cursor() as cursor:
        cursor.execute(ARCHIVE.format(articles=ARTICLES, content_type=int(content_type)))


def rows_read(plan: dict) -> int:
    """The rows a plan's scans of the articles table read, kept or filtered out."""
    return sum(
        (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node["Actual Loops"]
        for node in nodes(plan)
        if reads_articles(node)
    )


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's; CI runs this"
)
def test_index_and_month_sitemaps_read_the_date_index(client, archive):
    # The archive has an article an hour for the last ARTICLES hours (about 8 months):
    # a month 90 days back is a full month of some 720 articles.
    month = (timezone.now() - dt.timedelta(days=90)).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    ends = (month + dt.timedelta(days=32)).replace(day=1)
    in_month = Article.objects.filter(published_at__gte=month, published_at__lt=ends).count()
    for url, most_rows in (
        # One query: the oldest published date, its first row in date order.
        ("/sitemap.xml", 1),
        # The oldest date; the month's count; the month's articles. None reads beyond it.
        (f"/sitemaps/articles-{month:%Y-%m}.xml", in_month),
    ):
        for sql, explained in plans_of(client, url):
            plan = explained["Plan"]
            scans = [n for n in nodes(plan) if n["Node Type"] == "Seq Scan" and reads_articles(n)]
            assert not scans, f"{url} scans every article:\n{sql}"
            assert any(by_date(n) for n in nodes(plan)), f"{url} reads no date index:\n{sql}"
            assert rows_read(plan) <= most_rows, f"{url} reads too many articles:\n{sql}"
            # An incremental sort over the date index (ties by id) streams; a full sort
            # of the rows would not.
            sorts = [n for n in big_sorts(plan) if n["Node Type"] == "Sort"]
            assert not sorts, f"{url} sorts its rows:\n{sql}"
            assert "OFFSET" not in sql, sql
    # The oldest date: the (status, newest) index read backwards, its first entry.
    [(sql, explained)] = plans_of(client, "/sitemap.xml")
    indexes = {n.get("Index Name") for n in nodes(explained["Plan"])}
    assert "article_status_newest" in indexes, sql
    assert "COUNT(" not in sql.upper(), sql
