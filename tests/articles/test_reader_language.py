"""Labels in the reader's language: a German piece says "Anzeige", on its page, its card,
in feeds and in the API, whoever reads it; the site's own words follow the reader.

The demo's sponsored AI-written analysis runs in English, German and French
(articles/demo/content/articles/cloud-gaming-home-network-ready*.yaml).
"""

import datetime as dt
import json
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import formats, translation
from jsonschema import Draft202012Validator

from articles import labels
from articles.demo import load_demo
from articles.models import Article
from sources.models import Attribution
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AttributionFactory,
    BylineFactory,
    ClaimFactory,
    PublisherFactory,
    SourceDocumentFactory,
    SponsorshipFactory,
)

ROOT = Path(settings.BASE_DIR)
DEMO_NOW = dt.datetime(2026, 4, 14, 12, 0, tzinfo=dt.UTC)
ENGLISH = "/articles/cloud-gaming-home-network-ready/"
GERMAN = "/articles/cloud-gaming-home-network-ready-de/"
FRENCH = "/articles/cloud-gaming-home-network-ready-fr/"
CATALOGUES = sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po"))


@pytest.fixture
def demo(db):
    load_demo(now=DEMO_NOW)


def text_of(response) -> str:
    return response.content.decode()


def the_piece(response) -> str:
    """The page without its "Related articles" cards (each in its own language)."""
    return text_of(response).split('<aside class="related"', 1)[0]


# -- the article page -----------------------------------------------------------------


def test_german_piece_carries_the_german_label_byline_and_citations(client, demo):
    response = client.get(GERMAN)
    page = the_piece(response)

    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    assert '<html lang="de">' in page
    assert ">Anzeige</a>" in page
    assert "Bezahlt von Kestrel Networks" in page
    assert "Sponsored Advertising Content" not in page
    # The byline and its AI disclosure in German; a German date.
    assert "Von <a" in page
    assert "KI-Agent, betrieben von Newsroom Media Ltd" in page
    assert "geprüft" in page and "April 2026" in page
    # Citation wording: "via" with a German date; a quote reported second-hand.
    assert "Reuters via Yahoo Finance, 10. April" in page
    assert "laut Bloomberg, zitiert nach Yahoo Finance" in page
    assert '<h2 id="sources-h">Quellen</h2>' in page


def test_french_piece_carries_the_french_label_byline_and_citations(client, demo):
    page = the_piece(client.get(FRENCH))

    assert '<html lang="fr">' in page
    assert ">Publicité</a>" in page
    assert "Contenu payé par Kestrel Networks" in page
    assert "Sponsored Advertising Content" not in page
    assert "Par <a" in page
    assert "un agent d’IA exploité par Newsroom Media Ltd" in page
    assert "Reuters via Yahoo Finance, 10 avril" in page
    assert "selon Bloomberg, cité par Yahoo Finance" in page


def test_the_english_wording_is_unchanged_whatever_the_reader_prefers(client, demo):
    page = text_of(client.get(ENGLISH, headers={"accept-language": "de-DE,de;q=0.9"}))

    assert '<html lang="en">' in page
    assert ">Sponsored Advertising Content</a>" in page
    assert "Paid for by Kestrel Networks" in page
    assert "Anzeige" not in page.split("<main", 1)[1].split("</article>", 1)[0]
    assert "Reuters via Yahoo Finance, April 10" in page
    assert "according to Bloomberg as quoted by Yahoo Finance" in page


def test_an_article_page_speaks_its_language_not_the_readers(client, demo):
    # A French reader of the German piece still reads German labels (and chrome).
    page = the_piece(client.get(GERMAN, headers={"accept-language": "fr"}))

    assert ">Anzeige</a>" in page
    assert "Publicité" not in page
    assert "Zum Inhalt springen" in page


# -- cards, feeds, the API ------------------------------------------------------------


def test_a_german_card_on_the_english_home_page_says_anzeige_in_german(client, demo):
    page = text_of(client.get("/"))

    card = page[page.index('lang="de"') :]
    card = card[: card.index("</article>")]
    assert ">Anzeige</a>" in card
    assert "Von einem KI-Agenten geschrieben" in card
    assert "Skip to content" in page  # the page itself stays English


def test_feeds_give_each_item_its_own_language(client, demo):
    feed = text_of(client.get("/feeds/latest.rss"))

    assert "<title>Anzeige, bezahlt von Kestrel Networks: " in feed
    assert "<title>Publicité payée par Kestrel Networks : " in feed
    assert "<title>Sponsored Advertising Content paid for by Kestrel Networks: " in feed
    assert "<category>Anzeige</category>" in feed
    assert "<category>Publicité</category>" in feed


def test_the_api_label_and_byline_are_in_the_articles_language(client, demo):
    german = Article.objects.get(slug="cloud-gaming-home-network-ready-de")
    french = Article.objects.get(slug="cloud-gaming-home-network-ready-fr")

    item = client.get(f"/api/v1/articles/{german.pk}/").json()
    assert item["language"] == "de"
    assert item["label"] == "Anzeige"
    assert item["sponsorship"]["full_label"] == "Anzeige, bezahlt von Kestrel Networks"
    assert item["title_with_label"].startswith("Anzeige, bezahlt von Kestrel Networks: ")
    assert item["byline_text"].startswith("Von Sift, KI-Agent, betrieben von")
    assert client.get(f"/api/v1/articles/{french.pk}/").json()["label"] == "Publicité"

    listed = {
        row["id"]: row["label"]
        for row in client.get("/api/v1/articles/?language=de,fr").json()["results"]
    }
    assert listed == {german.pk: "Anzeige", french.pk: "Publicité"}

    ninjs = client.get(f"/api/v1/articles/{german.pk}/?format=ninjs").json()
    assert ninjs["headlines"][0]["value"].startswith("Anzeige, bezahlt von Kestrel Networks")


# -- the site's own words follow the reader -------------------------------------------


def test_the_home_page_chrome_follows_the_readers_language(client, demo):
    english = text_of(client.get("/"))
    german = client.get("/", headers={"accept-language": "de-DE,de;q=0.9,en;q=0.5"})

    assert "Skip to content" in english
    assert "Zum Inhalt springen" in text_of(german)
    assert german["Content-Language"] == "de"
    assert "Accept-Language" in german["Vary"]


@override_settings(PUBLIC_CACHE_SECONDS=300)
def test_the_page_cache_keeps_one_copy_per_language(client, demo):
    client.get("/")  # English, now cached
    german = text_of(client.get("/", headers={"accept-language": "de"}))
    english_again = text_of(client.get("/"))

    assert "Zum Inhalt springen" in german
    assert "Skip to content" in english_again


# -- the reviewed table, formats and catalogues ---------------------------------------


def test_every_site_language_has_a_reviewed_label_and_its_basis():
    assert set(labels.SPONSORSHIP_WORDING) == {code for code, _ in settings.LANGUAGES}
    for code, wording in labels.SPONSORSHIP_WORDING.items():
        assert wording.basis, code
        assert "{sponsor}" in wording.native_sponsor_line, code
        assert "{sponsor}" in wording.underwriting_label, code
        with translation.override(code):
            assert labels.sponsorship_label("native_advertising", "Acme") == wording.native_label


def test_the_labels_page_lists_each_languages_term_and_its_rule(client, db):
    page = text_of(client.get("/about/labels/"))

    for term, basis in [
        ("Anzeige", "Landespressegesetze"),
        ("Publicité", "86-897"),
        ("Publicidad", "Ley 34/1988"),
        ("Sponsored Advertising Content", "FTC"),
    ]:
        assert term in page and basis in page


def test_the_extension_schema_accepts_every_languages_label():
    schema = json.loads((ROOT / "articles/api/ninjs_extension.json").read_text())
    label = schema["$defs"]["sponsorship"]["properties"]["label"] if "$defs" in schema else None
    label = label or _find(schema, "label")
    validator = Draft202012Validator(label)
    for wording in labels.SPONSORSHIP_WORDING.values():
        assert validator.is_valid(wording.native_label), wording.native_label
        assert validator.is_valid(wording.underwriting_label.format(sponsor="Acme"))
    assert not validator.is_valid("Sponsored by Acme")


def _find(node, key):
    if isinstance(node, dict):
        if key in node and isinstance(node[key], dict) and "anyOf" in node[key]:
            return node[key]
        for value in node.values():
            if (found := _find(value, key)) is not None:
                return found
    return None


@pytest.mark.parametrize("code", [code for code, _ in settings.LANGUAGES])
def test_every_language_has_the_reader_date_formats(code):
    names = ["READER_DATE", "READER_DATETIME", "READER_SHORT_DATE", "CITATION_DAY"]
    with translation.override(code):
        for name in [*names, "CITATION_DAY_YEAR"]:
            written = formats.date_format(dt.datetime(2026, 12, 3, 14, 5), name)
            assert name not in written and "3" in written, (code, name, written)


def test_there_are_german_french_and_spanish_catalogues():
    assert {path.parts[-3] for path in CATALOGUES} >= {"de", "fr", "es"}


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: path.parts[-3])
def test_every_catalogue_is_complete_and_compiled(catalogue):
    """Every string translated, and the compiled .mo (what Django reads) says what the .po
    says: `make messages` was run after the last edit."""
    po = polib.pofile(str(catalogue))
    assert po.percent_translated() == 100, [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()]
    mo = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(catalogue.with_suffix(".mo")))}
    for entry in po.translated_entries():
        compiled = mo.get((entry.msgctxt, entry.msgid))
        assert compiled is not None, entry.msgid
        assert (compiled.msgstr, compiled.msgstr_plural) == (entry.msgstr, entry.msgstr_plural)


# -- citations -------------------------------------------------------------------------


@pytest.mark.django_db
def test_citation_wording_follows_the_articles_language(client):
    article = ArticleFactory(language="es", published=True)
    claim = ClaimFactory(article=article)
    AttributionFactory(
        claim=claim,
        document=SourceDocumentFactory(publisher=PublisherFactory(name="Reuters")),
        via=PublisherFactory(name="Yahoo Finance"),
        relation=Attribution.Relation.CARRIED_BY,
    )
    page = text_of(client.get(article.get_absolute_url()))
    assert "Reuters vía Yahoo Finance, 10 de abril" in page


@pytest.mark.django_db
def test_an_ai_byline_in_spanish_names_the_agent_and_its_reviewer(client):
    article = ArticleFactory(language="es", published=True, ai_involvement="generated")
    BylineFactory(article=article, author=AIAgentFactory(name="Sift"))
    SponsorshipFactory(article=article)
    page = text_of(client.get(article.get_absolute_url()))

    assert ">Publicidad</a>" in page
    assert "Por <a" in page
    assert "agente de IA" in page


@pytest.mark.django_db
def test_with_translations_off_citations_and_reviews_read_in_the_default_language():
    # The admin words its change messages with translations off (translation.override(None)).
    attribution = AttributionFactory(
        document=SourceDocumentFactory(publisher=PublisherFactory(name="Reuters")),
        via=PublisherFactory(name="Yahoo Finance"),
        relation=Attribution.Relation.CARRIED_BY,
    )
    with translation.override(None):
        assert str(attribution).startswith("Reuters via Yahoo Finance, April 10")
        assert labels.reader_date(dt.date(2026, 12, 3)) == "3 December 2026"


@pytest.mark.django_db
def test_a_japanese_piece_says_koukoku_and_a_japanese_byline(client):
    article = ArticleFactory(language="ja", published=True, ai_involvement="generated")
    BylineFactory(article=article, author=AIAgentFactory(name="Sift"))
    SponsorshipFactory(article=article)
    page = the_piece(client.get(article.get_absolute_url()))

    assert '<html lang="ja">' in page
    assert ">広告</a>" in page
    assert "文： <a" in page
    assert "AIエージェント" in page
