"""Chains of custody for partners: the API's attributions carry the whole chain in one
list, ninjs names every outlet (and the extended profile gives the chain structured,
valid against our schema), the OpenAPI schema describes it, and the ``publisher`` filter
finds articles through any outlet of a chain."""

import datetime as dt

import pytest
import yaml

from sources.api.serializers import AttributionSerializer, attribution_data
from sources.models import Attribution, AttributionHop, Claim
from tests.articles.api.helpers import ARTICLES, NINJS, ids
from tests.articles.api.test_ninjs_schema import extended, official
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    ClaimFactory,
    PublisherFactory,
    SourceDocumentFactory,
)

pytestmark = pytest.mark.django_db

CLAIM = "Console sales will double next year."


@pytest.fixture
def article():
    """Bloomberg's report, quoted by Reuters on May 8, carried by Yahoo Finance on May 9."""
    article = ArticleFactory(published=True, body=f"<p>{CLAIM}</p>")
    claim = ClaimFactory(article=article, text=CLAIM)
    attribution = AttributionFactory(
        claim=claim,
        document=SourceDocumentFactory(
            title="Console makers expect a record year",
            publisher=PublisherFactory(name="Bloomberg", slug="bloomberg"),
            url="https://bloomberg.example/record-year",
            published_on=dt.date(2026, 5, 7),
        ),
        via=PublisherFactory(name="Reuters", slug="reuters"),
        relation=Attribution.Relation.QUOTED_BY,
        via_url="https://reuters.example/bloomberg-says",
        via_on=dt.date(2026, 5, 8),
    )
    AttributionHop.objects.create(
        attribution=attribution,
        publisher=PublisherFactory(name="Yahoo Finance", slug="yahoo-finance"),
        relation=Attribution.Relation.CARRIED_BY,
        url="https://yahoo-finance.example/reuters-story",
        on=dt.date(2026, 5, 9),
    )
    return article


def test_an_attribution_carries_its_whole_chain_in_one_list(client, article):
    [claim] = client.get(f"{ARTICLES}{article.pk}/").json()["claims"]
    [source] = claim["attributions"]

    assert claim["citation"] == (
        "according to Bloomberg as cited by Reuters, as carried by Yahoo Finance"
    )
    assert source["intermediary"]["name"] == "Reuters"  # as before
    assert source["via_on"] == "2026-05-08"
    assert [
        (link["publisher"]["name"], link["relation"], link["url"], link["date"])
        for link in source["chain"]
    ] == [
        ("Reuters", "quoted_by", "https://reuters.example/bloomberg-says", "2026-05-08"),
        (
            "Yahoo Finance",
            "carried_by",
            "https://yahoo-finance.example/reuters-story",
            "2026-05-09",
        ),
    ]


def test_a_first_hand_source_has_an_empty_chain(client):
    article = ArticleFactory(published=True, body=f"<p>{CLAIM}</p>")
    AttributionFactory(claim=ClaimFactory(article=article, text=CLAIM))
    [source] = client.get(f"{ARTICLES}{article.pk}/").json()["claims"][0]["attributions"]
    assert (source["via_on"], source["chain"]) == (None, [])


def test_the_hand_built_answer_matches_the_declared_serializer(article):
    claim = Claim.objects.with_citations().get(article=article)
    [attribution] = claim.attributions.all()
    assert attribution_data(attribution) == AttributionSerializer(attribution).data


def test_the_openapi_schema_describes_the_chain(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    components = schema["components"]["schemas"]
    attribution = components["Attribution"]["properties"]
    assert attribution["chain"]["type"] == "array"
    link = components["ChainLink"]["properties"]
    assert {"publisher", "relation", "url", "date"} <= set(link)


def test_ninjs_names_every_outlet_of_the_chain_as_an_info_source(client, article):
    item = client.get(f"{ARTICLES}{article.pk}/", headers={"Accept": NINJS}).json()
    official(item)
    assert item["infoSources"] == [
        {"name": "Bloomberg", "role": "source", "uri": "https://bloomberg.example/record-year"},
        {
            "name": "Reuters",
            "role": "intermediary:quoted_by",
            "uri": "https://reuters.example/bloomberg-says",
        },
        {
            "name": "Yahoo Finance",
            "role": "intermediary:carried_by",
            "uri": "https://yahoo-finance.example/reuters-story",
        },
    ]


def test_the_extended_ninjs_profile_gives_the_chain_structured_and_valid(client, article):
    url = f"{ARTICLES}{article.pk}/?profile=newsroom"
    item = client.get(url, headers={"Accept": NINJS}).json()
    extended(item)
    [cited] = item["x-newsroom-citations"]
    assert cited["sources"] == [
        {
            "publisher": "Bloomberg",
            "title": "Console makers expect a record year",
            "uri": "https://bloomberg.example/record-year",
            "date": "2026-05-07",
            "chain": [
                {
                    "name": "Reuters",
                    "relation": "quoted_by",
                    "uri": "https://reuters.example/bloomberg-says",
                    "date": "2026-05-08",
                },
                {
                    "name": "Yahoo Finance",
                    "relation": "carried_by",
                    "uri": "https://yahoo-finance.example/reuters-story",
                    "date": "2026-05-09",
                },
            ],
        }
    ]


def test_the_publisher_filter_finds_articles_through_any_outlet_of_a_chain(client, article):
    other = ArticleFactory(published=True, body=f"<p>{CLAIM}</p>")
    AttributionFactory(claim=ClaimFactory(article=other, text=CLAIM))
    for slug in ("bloomberg", "reuters", "yahoo-finance"):
        assert ids(client.get(f"{ARTICLES}?publisher={slug}")) == [article.pk], slug
