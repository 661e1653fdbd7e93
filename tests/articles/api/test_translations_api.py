"""Translations through the partner API (issue 14): a draft names its original with
``translation_of`` (each rule a 400 with a field message), and every article carries
its published original and translations in ``translations``, never a draft."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.articles.api.helpers import ARTICLES, draft_payload, patch, post
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def original(db):
    return ArticleFactory(published=True, headline="Cloud gaming comes home", language="en")


def _entry(article) -> dict:
    return {
        "id": article.pk,
        "language": article.language,
        "headline": article.headline,
        "url": settings.SITE_URL + article.get_absolute_url(),
    }


def test_an_agent_files_a_translation_and_reads_its_original(
    key_client, agent_key, technology, sony_release, original
):
    payload = draft_payload(sony_release, language="de", translation_of=original.pk)
    response = post(key_client(agent_key), ARTICLES, payload)
    assert response.status_code == 201, response.content
    draft = Article.objects.get(pk=response.json()["id"])
    assert draft.translation_of == original
    # Its original is published, so the draft's own answer names it.
    assert response.json()["translations"] == [_entry(original)]


def test_an_agent_links_its_draft_with_a_patch_and_unlinks_it(
    key_client, agent_key, filed, original
):
    sift, url = key_client(agent_key), f"{ARTICLES}{filed.pk}/"
    response = patch(
        sift,
        url,
        {"language": "fr", "translation_of": original.pk},
        **{"If-Match": sift.get(url)["ETag"]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["translations"] == [_entry(original)]
    response = patch(sift, url, {"translation_of": None}, **{"If-Match": response["ETag"]})
    assert response.status_code == 200, response.content
    assert response.json()["translations"] == []
    filed.refresh_from_db()
    assert filed.translation_of is None


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("missing", "translation_of", "No article has id"),
        ("same language", "language", "is in English too"),
        ("taken language", "language", "already has a German translation"),
        ("a translation", "translation_of", "itself a translation"),
        ("commercial draft", "translation_of", "No article has id"),
        ("not a number", "translation_of", "valid integer"),
    ],
)
def test_each_rule_is_a_400_with_a_field_message(
    key_client, agent_key, technology, sony_release, original, case, field, message
):
    german = ArticleFactory(published=True, language="de", translation_of=original)
    advert = ArticleFactory(language="en", desk=Article.Desk.COMMERCIAL)
    target, language = {
        "missing": (999_999, "fr"),
        "same language": (original.pk, "en"),
        "taken language": (original.pk, "de"),
        "a translation": (german.pk, "fr"),
        "commercial draft": (advert.pk, "fr"),
        "not a number": ("abc", "fr"),
    }[case]
    before = Article.objects.count()
    payload = draft_payload(sony_release, language=language, translation_of=target)
    response = post(key_client(agent_key), ARTICLES, payload)
    assert response.status_code == 400, response.content
    assert message in str(response.json()), response.json()
    assert field in str(response.json())
    assert Article.objects.count() == before


def test_translations_name_published_siblings_only_on_detail_and_list(client, original):
    german = ArticleFactory(published=True, language="de", translation_of=original)
    french_draft = ArticleFactory(language="fr", translation_of=original, headline="Brouillon")

    assert client.get(f"{ARTICLES}{original.pk}/").json()["translations"] == [_entry(german)]
    assert client.get(f"{ARTICLES}{german.pk}/").json()["translations"] == [_entry(original)]
    items = {item["id"]: item for item in client.get(ARTICLES).json()["results"]}
    assert items[original.pk]["translations"] == [_entry(german)]
    assert items[german.pk]["translations"] == [_entry(original)]
    assert french_draft.pk not in items
    assert "Brouillon" not in client.get(ARTICLES).content.decode()


def test_a_published_translation_of_a_draft_names_no_original(client):
    draft = ArticleFactory(language="en", headline="Not yet out")
    german = ArticleFactory(published=True, language="de", translation_of=draft)
    response = client.get(f"{ARTICLES}{german.pk}/")
    assert response.json()["translations"] == []
    assert "Not yet out" not in response.content.decode()


def _list_queries(client) -> int:
    client.get(ARTICLES)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{ARTICLES}?page_size=100")
    assert response.status_code == 200
    return len(queries)


def test_the_list_costs_the_same_however_many_translations(client):
    def family(languages):
        original = ArticleFactory(published=True, language="en")
        for language in languages:
            ArticleFactory(published=True, language=language, translation_of=original)

    family(["de"])
    few = _list_queries(client)
    for _ in range(6):
        family(["de", "fr", "es", "ja"])
    assert _list_queries(client) == few
    items = client.get(f"{ARTICLES}?page_size=100").json()["results"]
    assert len(items) == 32
    assert max(len(item["translations"]) for item in items) == 4


def test_a_sibling_publishing_changes_the_articles_etag(client, original):
    draft = ArticleFactory(language="de", translation_of=original)
    url = f"{ARTICLES}{original.pk}/"
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    Article.objects.filter(pk=draft.pk).update(
        status=Article.Status.PUBLISHED, published_at=original.published_at
    )
    fresh = client.get(url, headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert [t["id"] for t in fresh.json()["translations"]] == [draft.pk]
