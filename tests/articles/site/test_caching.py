"""Query cost of public pages, conditional requests, and the cache letting changes through."""

import pytest

from articles.models import Byline
from articles.publishing import workflow
from tests.articles.site.helpers import html_of
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AttributionFactory,
    AuthorFactory,
    BylineFactory,
    ClaimFactory,
    CorrectionFactory,
    SectionFactory,
    SponsorFactory,
    SponsorshipFactory,
)

pytestmark = pytest.mark.django_db


# -- speed ---------------------------------------------------------------------------------------


def make_listed(n, section, author, sponsor):
    for i in range(n):
        article = ArticleFactory(published=True, section=section, headline=f"Story {i}")
        article.tags.add("port")
        BylineFactory(article=article, author=author)
        BylineFactory(article=article, author=AIAgentFactory(), role=Byline.Role.RESEARCH)
        if i % 3 == 0:
            SponsorshipFactory(article=article, sponsor=sponsor)


LIST_URLS = [
    "/",
    "/section/port/",
    "/tag/port/",
    "/author/hannah/",
    "/sponsor/kestrel/",
    "/search/?q=story",
    "/feeds/latest.rss",
    "/section/port/feed.rss",
    "/sitemap.xml",
    "/news-sitemap.xml",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_list_pages_cost_the_same_queries_for_5_and_55_articles(
    client, url, django_assert_num_queries, settings
):
    settings.PUBLIC_CACHE_SECONDS = 0
    section = SectionFactory(slug="port", name="Port")
    author = AuthorFactory(slug="hannah")
    sponsor = SponsorFactory(slug="kestrel")
    make_listed(5, section, author, sponsor)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make_listed(50, section, author, sponsor)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_article_page_costs_the_same_queries_however_many_claims(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PUBLIC_CACHE_SECONDS = 0
    article = ArticleFactory(published=True, body="")
    BylineFactory(article=article)

    def grow(n):
        start = article.claims.count()
        article.body += "".join(f"<p>Fact {i} holds.</p>" for i in range(start, start + n))
        article.save()
        for i in range(start, start + n):
            AttributionFactory(claim=ClaimFactory(article=article, text=f"Fact {i} holds."))
        CorrectionFactory(article=article)

    grow(2)
    with CaptureQueriesContext(connection) as few:
        client.get(article.get_absolute_url())
    grow(30)
    with CaptureQueriesContext(connection) as many:
        client.get(article.get_absolute_url())
    assert len(many.captured_queries) == len(few.captured_queries)


def test_pages_answer_conditional_requests_with_304(client):
    article = ArticleFactory(published=True)
    first = client.get(article.get_absolute_url())
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_readers_see_a_correction_at_once_despite_the_cache(
    client, editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(published=True)
    first = client.get(article.get_absolute_url())
    assert "Corrections and updates" not in first.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(article, by=editor, kind="correction", text="Fixed the date.")
    second = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert "Fixed the date." in second.content.decode()
    assert second["ETag"] != first["ETag"]


def test_unpublishing_takes_the_article_off_cached_lists_at_once(
    client, editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(published=True, headline="Soon withdrawn")
    BylineFactory(article=article)
    assert "Soon withdrawn" in html_of(client, "/")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(article, by=editor, note="Legal advice.")
    assert "Soon withdrawn" not in html_of(client, "/")
    html_of(client, article.get_absolute_url(), status=410)
