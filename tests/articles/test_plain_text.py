"""Characters XML cannot carry (a vertical tab pasted from Word, a NUL from a broken
client): cleaned on the way in through every door, and never able to break a feed or a
sitemap, however they were stored."""

import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.db.models.signals import pre_save
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Author, PartnerKey, Section, Sponsor, Sponsorship
from sources.models import Attribution, SourceDocument
from tests.admin_forms import change_form_data
from tests.articles.admin.helpers import change_url, ready
from tests.articles.api.helpers import ARTICLES, draft_payload, post
from tests.articles.api.problem_helpers import assert_problem
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    ImageFactory,
    PublisherFactory,
    SectionFactory,
    SourceDocumentFactory,
    SponsorFactory,
    SponsorshipFactory,
    make_publishable,
)

pytestmark = pytest.mark.django_db

VT = "\x0b"  # a vertical tab: Word's line break within a paragraph, kept by a paste


# -- what is stored never breaks an XML surface ------------------------------------------------


@pytest.fixture
def tainted():
    """Two published pieces whose printed texts each carry a vertical tab, written around
    the models (a queryset update, raw SQL), as an old row or a repair script would."""
    section = SectionFactory(name="Technology", slug="technology")
    author = AuthorFactory(name="Priya Raman", slug="priya-raman")
    article = ArticleFactory(published=True, published_at=timezone.now(), section=section)
    BylineFactory(article=article, author=author)
    article.tags.add("chips")
    sponsored = ArticleFactory(published=True, published_at=timezone.now(), section=section)
    SponsorshipFactory(article=sponsored, sponsor=SponsorFactory(name="Kestrel Networks"))

    Article.objects.filter(pk=article.pk).update(headline=f"Chip{VT}exports rise", dek=f"Up{VT}.")
    Section.objects.filter(pk=section.pk).update(name=f"Tech{VT}nology")
    Author.objects.filter(pk=author.pk).update(name=f"Priya{VT}Raman")
    Tag.objects.filter(name="chips").update(name=f"chi{VT}ps")
    Sponsor.objects.update(name=f"Kestrel{VT}Networks")
    Sponsorship.objects.update(disclosure=f"Paid{VT}for by the sponsor.")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET headline = %s WHERE id = %s",
            [f"Routers{VT}for all", sponsored.pk],
        )
    return article


def month_sitemap() -> str:
    return reverse(
        "sitemap_articles",
        kwargs={"year": f"{timezone.now():%Y}", "month": f"{timezone.now():%m}"},
    )


XML_SURFACES = [
    "/feeds/latest.rss",
    "/feeds/latest.atom",
    "/section/technology/feed.rss",
    "/author/priya-raman/feed.rss",
    "/news-sitemap.xml",
    "/sitemap.xml",
    "/sitemaps/sections.xml",
    "this month's articles sitemap",
]


@pytest.mark.parametrize("url", XML_SURFACES)
def test_a_control_character_in_stored_text_never_breaks_an_xml_surface(client, tainted, url):
    url = month_sitemap() if url.startswith("this month") else url
    response = client.get(url)

    assert response.status_code == 200
    root = ET.fromstring(response.content)  # well-formed, or this raises
    assert VT not in "".join(root.itertext())


def test_feed_readers_get_the_stored_text_without_the_character(client, tainted):
    rss = ET.fromstring(client.get("/feeds/latest.rss").content)
    item = next(i for i in rss.iter("item") if i.findtext("title") == "Chipexports rise")
    assert "PriyaRaman" in item.findtext("{http://purl.org/dc/elements/1.1/}creator")
    assert "Technology" in {c.text for c in item.iter("category")}
    assert "<p>Up.</p>" in item.findtext("description")

    news = ET.fromstring(client.get("/news-sitemap.xml").content)
    assert "Chipexports rise" in [element.text for element in news.iter()]


# -- every door stores the text without it -------------------------------------------------


def test_every_model_with_text_cleans_it_on_save():
    # Automatic for a new model of either app: the receiver is connected to each one.
    models = [
        *apps.get_app_config("articles").get_models(),
        *apps.get_app_config("sources").get_models(),
        Tag,
    ]
    assert [m.__name__ for m in models if not pre_save.has_listeners(m)] == []


def test_the_admin_article_form_stores_the_text_without_the_character(editor_client):
    article = ready(ArticleFactory())
    page = editor_client.get(change_url(article))

    response = editor_client.post(
        change_url(article),
        change_form_data(
            page,
            headline=f"Chip{VT}exports rise",
            dek=f"Up{VT} again.",
            body=f"<p>Sony said its profit rose.{VT} Analysts expect more.&#11;</p>",
            tags=f"chi{VT}ps, trade",
        ),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.dek) == ("Chipexports rise", "Up again.")
    assert article.body == "<p>Sony said its profit rose. Analysts expect more.</p>"
    assert set(article.tags.names()) == {"chips", "trade"}


def test_a_tag_named_with_a_control_character_is_the_existing_tag(editor_client):
    tagged = ArticleFactory()
    tagged.tags.add("chips")
    article = ready(ArticleFactory())
    page = editor_client.get(change_url(article))

    response = editor_client.post(change_url(article), change_form_data(page, tags="chi\x01ps"))

    assert response.status_code == 302
    assert list(article.tags.all()) == list(tagged.tags.all())


def test_the_admin_refuses_a_nul_with_a_form_error(editor_client):
    article = ready(ArticleFactory(headline="Chip exports rise"))
    page = editor_client.get(change_url(article))

    response = editor_client.post(
        change_url(article), change_form_data(page, headline="Chip\x00exports")
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["headline"] == ["Null characters are not allowed."]
    article.refresh_from_db()
    assert article.headline == "Chip exports rise"


@pytest.fixture
def sony_release():
    SectionFactory(name="Technology", slug="technology")
    return SourceDocumentFactory(
        title="Sony outlines the next stage of its cloud streaming service",
        publisher=PublisherFactory(name="Sony"),
        kind=SourceDocument.Kind.PRESS_RELEASE,
    )


def test_an_agents_draft_is_stored_without_the_character(key_client, agent_key, sony_release):
    payload = draft_payload(
        sony_release,
        headline=f"Sony{VT}streams",
        dek=f"Home{VT}networks.",
        tags=[f"cloud{VT}gaming"],
    )

    response = post(key_client(agent_key), ARTICLES, payload)

    assert response.status_code == 201, response.content
    article = Article.objects.get(pk=response.json()["id"])
    assert (article.headline, article.dek) == ("Sonystreams", "Homenetworks.")
    assert list(article.tags.names()) == ["cloudgaming"]


def test_an_agents_source_named_with_a_control_character_is_the_existing_publisher(
    key_client, agent_key, sony_release
):
    publisher = PublisherFactory(name="YahooFinance", slug="yahoofinance")
    payload = draft_payload(sony_release)
    payload["claims"][1]["sources"][0]["via"] = f"Yahoo{VT}Finance"

    response = post(key_client(agent_key), ARTICLES, payload)

    assert response.status_code == 201, response.content
    assert Attribution.objects.get(via__isnull=False).via == publisher


def test_the_api_refuses_a_nul_with_a_field_message(key_client, agent_key, sony_release):
    payload = draft_payload(sony_release, headline="Sony\x00streams")

    problem = assert_problem(post(key_client(agent_key), ARTICLES, payload), 400)

    assert problem["errors"]["headline"] == ["Null characters are not allowed."]
    assert not Article.objects.exists()


def test_the_api_refuses_a_lone_surrogate(key_client, agent_key, sony_release):
    # Refused as it is read (articles.api.parsers), or by DRF's field if it ever got there.
    payload = draft_payload(sony_release, headline="Sony\ud800streams")

    problem = assert_problem(post(key_client(agent_key), ARTICLES, payload), 400)

    assert "surrogate" in json.dumps(problem).lower()
    assert not Article.objects.exists()


def without_files(data: dict) -> dict:
    """An admin form's data as sent when no new file (picture, logo) is chosen."""
    return {name: value for name, value in data.items() if not isinstance(value, FieldFile)}


def test_an_author_change_in_the_admin_is_stored_without_the_character(editor_client):
    author = AuthorFactory(name="Priya Raman", bio="Reports on chips.")
    url = reverse("admin:articles_author_change", args=[author.pk])
    page = editor_client.get(url)

    data = change_form_data(page, name=f"Priya{VT}Raman", bio=f"Reports{VT} on chips.\x01")
    assert editor_client.post(url, data).status_code == 302

    author.refresh_from_db()
    assert (author.name, author.bio) == ("PriyaRaman", "Reports on chips.")


def test_a_sponsor_change_in_the_admin_is_stored_without_the_character(client, commercial):
    sponsor = SponsorFactory(name="Kestrel Networks", description="Routers.")
    url = reverse("admin:articles_sponsor_change", args=[sponsor.pk])
    client.force_login(commercial)
    page = client.get(url)

    data = without_files(
        change_form_data(page, name=f"Kestrel{VT} Networks", description=f"Routers{VT}.")
    )
    assert client.post(url, data).status_code == 302

    sponsor.refresh_from_db()
    assert (sponsor.name, sponsor.description) == ("Kestrel Networks", "Routers.")


def test_a_caption_change_on_a_live_image_is_stored_and_recorded_without_it(editor_client):
    image = ImageFactory(caption="Harbour")
    article = make_publishable(ArticleFactory(published=True, lead_image=image))
    url = reverse("admin:articles_image_change", args=[image.pk])
    page = editor_client.get(url)

    data = without_files(change_form_data(page, caption=f"Sea{VT}wall", why=f"Wrong{VT} place."))
    assert editor_client.post(url, data).status_code == 302

    image.refresh_from_db()
    assert image.caption == "Seawall"
    assert image.history.first().history_change_reason == "Wrong place."
    # The audit event on the live piece is written in bulk, around the models' save().
    assert article.events.get().note.endswith("Why: Wrong place.")


def test_a_management_command_stores_the_text_without_the_character():
    call_command(
        "create_api_key", f"Kestrel{VT} app", "--partner", f"Kestrel{VT} Wire", stdout=io.StringIO()
    )

    key = PartnerKey.objects.get()
    assert (key.name, key.partner) == ("Kestrel app", "Kestrel Wire")


def test_a_record_saved_in_code_is_stored_without_the_character():
    # Tasks, shell sessions and the demo loader all save through the models.
    agent = AIAgentFactory(name=f"Si{VT}ft", disclosure="An AI\x1f agent.\x7f\x85")

    agent.refresh_from_db()
    assert (agent.name, agent.disclosure) == ("Sift", "An AI agent.")
