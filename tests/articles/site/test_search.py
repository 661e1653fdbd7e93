"""Search: matching, ranking on PostgreSQL, and odd input."""

import pytest
from django.db import connection

from tests.articles.site.helpers import html_of
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


# -- search ------------------------------------------------------------------------------------


def test_search_finds_published_articles_by_their_words(client):
    ArticleFactory(published=True, headline="Sea wall vote", body="<p>The council voted.</p>")
    ArticleFactory(published=True, headline="Tram news", body="<p>New timetable.</p>")
    html = html_of(client, "/search/?q=sea+wall")
    assert "Sea wall vote" in html
    assert "Tram news" not in html
    assert "1 result for" in html


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="ranking needs PostgreSQL full-text search; CI runs this on PostgreSQL",
)
def test_search_ranks_headline_matches_first_on_postgresql(client):
    ArticleFactory(published=True, headline="Budget talks", body="<p>Ferries and ferries.</p>")
    ArticleFactory(published=True, headline="Ferry timetable changes", body="<p>Boats.</p>")
    html = html_of(client, "/search/?q=ferry")
    assert html.index("Ferry timetable changes") < html.index("Budget talks")


@pytest.mark.parametrize("query", ["", "x" * 5000, "<script>", "a AND (b", "page=-1"])
def test_odd_search_input_is_handled_calmly(client, query):
    html = html_of(client, "/search/", status=200) if not query else None
    # An old page number leads to the first page of results; a mangled position is ignored.
    response = client.get("/search/", {"q": query, "page": "not-a-number"}, follow=True)
    assert response.status_code == 200
    response = client.get("/search/", {"q": query, "before": "not-a-position"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[1]
    del html
