"""Anonymous reads of the article API are the same for everyone, so an edge cache may
keep them (tagged for purging by key); reads with a key or a session never are."""

import pytest

from tests.articles.api.helpers import ARTICLES, NINJS
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response["Vary"].split(",")}


@pytest.mark.parametrize("headers", [{}, {"Accept": NINJS}])
def test_anonymous_list_is_public_and_tagged_as_an_api_list(client, headers, settings):
    ArticleFactory.create_batch(2, published=True)
    response = client.get(ARTICLES, headers=headers)
    assert response.status_code == 200
    assert {"public", f"s-maxage={settings.EDGE_CACHE_SECONDS}"} <= cache_control(response)
    # One key for every list: a change to any article purges them all, headers stay small.
    assert response["xkey"] == "api-articles"
    assert {"accept", "authorization"} <= vary(response)


def test_anonymous_article_is_public_and_tagged_with_the_article(client):
    article = ArticleFactory(published=True)
    response = client.get(f"{ARTICLES}{article.pk}/")
    assert "public" in cache_control(response)
    assert response["xkey"] == f"article-{article.pk}"
    assert {"accept", "authorization"} <= vary(response)
    unchanged = client.get(f"{ARTICLES}{article.pk}/", headers={"If-None-Match": response["ETag"]})
    assert unchanged.status_code == 304
    assert unchanged["xkey"] == f"article-{article.pk}"
    assert "public" in cache_control(unchanged)


@pytest.mark.parametrize("path", ["", "{pk}/"])
def test_reads_with_a_key_or_a_session_are_private(client, key_client, partner_key, editor, path):
    article = ArticleFactory(published=True)
    url = ARTICLES + path.format(pk=article.pk)
    keyed = key_client(partner_key).get(url)
    assert keyed.status_code == 200
    assert "private" in cache_control(keyed)
    assert "xkey" not in keyed
    client.force_login(editor)
    staff = client.get(url)
    assert "private" in cache_control(staff)
    assert "xkey" not in staff
