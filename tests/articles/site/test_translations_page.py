"""An article page and its translations (issue 14): hreflang links to itself and every
published sibling, reciprocal; JSON-LD ``workTranslation`` on the original and
``translationOfWork`` on a translation; a draft sibling appears nowhere; the page names
its siblings' keys, so their changes purge it; the demo's German and French versions."""

import re

import pytest

from articles.demo import load_demo
from articles.models import Article
from articles.publishing import workflow
from articles.site import purging
from tests.articles.site.helpers import SPONSORED_SLUG, html_of, jsonld
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


@pytest.fixture
def family(settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    original = ArticleFactory(published=True, headline="Cloud gaming comes home", language="en")
    german = ArticleFactory(
        published=True,
        headline="Cloud-Gaming kommt nach Hause",
        language="de",
        translation_of=original,
    )
    draft = ArticleFactory(
        headline="Le cloud gaming arrive", language="fr", translation_of=original
    )
    return original, german, draft


def hreflangs(html: str) -> dict[str, str]:
    links = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    return dict(links)


def test_every_published_sibling_links_every_other_and_itself(client, family):
    original, german, draft = family
    expected = {
        "en": HOST + original.get_absolute_url(),
        "de": HOST + german.get_absolute_url(),
        "x-default": HOST + original.get_absolute_url(),
    }
    for article in (original, german):
        html = html_of(client, article.get_absolute_url())
        assert hreflangs(html) == expected
        assert draft.slug not in html and draft.headline not in html


def test_json_ld_names_translations_on_the_original_and_the_original_on_a_translation(
    client, family
):
    original, german, _ = family
    [data] = jsonld(html_of(client, original.get_absolute_url()))
    assert data["workTranslation"] == [
        {
            "@type": german.schema_type,
            "@id": data["workTranslation"][0]["url"],
            "url": data["workTranslation"][0]["url"],
            "inLanguage": "de",
            "headline": "Cloud-Gaming kommt nach Hause",
        }
    ]
    assert data["workTranslation"][0]["url"].endswith(german.get_absolute_url())
    assert "translationOfWork" not in data

    [data] = jsonld(html_of(client, german.get_absolute_url()))
    assert data["translationOfWork"]["inLanguage"] == "en"
    assert data["translationOfWork"]["headline"] == "Cloud gaming comes home"
    assert data["translationOfWork"]["url"].endswith(original.get_absolute_url())
    assert "workTranslation" not in data


def test_a_translation_of_an_unpublished_original_shows_no_family(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    original = ArticleFactory(headline="Still a draft", language="en")
    german = ArticleFactory(published=True, language="de", translation_of=original)
    html = html_of(client, german.get_absolute_url())
    assert hreflangs(html) == {}
    assert "Still a draft" not in html
    assert "translationOfWork" not in jsonld(html)[0]


def test_an_article_without_translations_has_no_alternates(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    article = ArticleFactory(published=True)
    assert hreflangs(html_of(client, article.get_absolute_url())) == {}


def test_the_page_is_tagged_with_its_published_siblings_keys(client, family):
    original, german, draft = family
    keys = client.get(original.get_absolute_url())["xkey"].split()
    assert f"article-{german.pk}" in keys
    assert f"article-{draft.pk}" not in keys  # a draft's number is never public


def test_unpublishing_a_translation_takes_it_off_the_originals_page(client, family, editor):
    original, german, _ = family
    workflow.unpublish(german, by=editor, note="Translation withdrawn.")
    html = html_of(client, original.get_absolute_url())
    assert hreflangs(html) == {}
    assert "workTranslation" not in jsonld(html)[0]


def test_the_demo_has_german_and_french_translations_of_the_sponsored_analysis(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    load_demo()
    original = Article.objects.get(slug=SPONSORED_SLUG)
    german = Article.objects.get(slug=f"{SPONSORED_SLUG}-de")
    french = Article.objects.get(slug=f"{SPONSORED_SLUG}-fr")
    for translation, language in ((german, "de"), (french, "fr")):
        assert translation.translation_of == original
        assert translation.language == language
        assert translation.is_advertising
        assert translation.sponsorship.sponsor == original.sponsorship.sponsor
        assert translation.authors == original.authors
        assert translation.detached_claims() == []
        assert translation.claims.count() == original.claims.count()
    html = html_of(client, french.get_absolute_url())
    assert set(hreflangs(html)) == {"en", "de", "fr", "x-default"}
    assert '<html lang="fr"' in html


def test_a_translation_publishing_refreshes_its_originals_cached_page(client, db):
    original = ArticleFactory(published=True, headline="Cloud gaming comes home", language="en")
    draft = ArticleFactory(
        headline="Le cloud gaming arrive", language="fr", translation_of=original
    )
    url = original.get_absolute_url()
    client.get(url)
    assert "Le cloud gaming arrive" not in html_of(client, url)  # cached without it
    Article.objects.filter(pk=draft.pk).update(
        status=Article.Status.PUBLISHED, published_at=original.published_at
    )
    assert "Le cloud gaming arrive" not in html_of(client, url)  # still the cached page
    purging.refresh([draft.pk])  # as every workflow change does once committed
    html = html_of(client, url)
    assert "Le cloud gaming arrive" in html
    assert hreflangs(html)["fr"] == HOST + draft.get_absolute_url()
