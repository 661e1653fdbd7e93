"""The filters partners asked for (AI involvement, language, cited publisher or document,
reviewer, several values at once), and the rule that a parameter a list does not read is
a 400 naming it: a typo never silently returns everything."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import AIInvolvement, HumanReview
from tests.articles.api.helpers import ARTICLES, ids
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    ClaimFactory,
    PublisherFactory,
    SectionFactory,
    SourceDocumentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(db):
    """Four published pieces that differ in AI involvement, language, section, sources and
    reviewer, and a draft that no filter may ever reveal."""
    tech = SectionFactory(slug="technology", name="Technology")
    climate = SectionFactory(slug="climate", name="Climate")
    sport = SectionFactory(slug="sport", name="Sport")
    sony = PublisherFactory(name="Sony Group", slug="sony")
    yahoo = PublisherFactory(name="Yahoo Finance", slug="yahoo-finance")
    release = SourceDocumentFactory(publisher=sony, title="Sony's April release")
    wire = SourceDocumentFactory(publisher=PublisherFactory(name="Reuters", slug="reuters"))
    pieces = {
        "human": ArticleFactory(published=True, section=tech, language="en"),
        "assisted": ArticleFactory(
            published=True, section=climate, language="de", ai_involvement=AIInvolvement.ASSISTED
        ),
        "generated": ArticleFactory(
            published=True, section=tech, language="fr", ai_involvement=AIInvolvement.GENERATED
        ),
        "sport": ArticleFactory(published=True, section=sport, language="en"),
    }
    draft = ArticleFactory(section=tech, ai_involvement=AIInvolvement.GENERATED)
    AttributionFactory(claim=ClaimFactory(article=pieces["human"]), document=release)
    # Twice through the same claim and once more: still listed once.
    claim = ClaimFactory(article=pieces["generated"], text="Shipments doubled.")
    AttributionFactory(claim=claim, document=wire, via=yahoo, relation="carried_by")
    AttributionFactory(claim=claim, document=release)
    AttributionFactory(claim=ClaimFactory(article=draft), document=release)
    maria = UserFactory(first_name="Maria", last_name="Okafor")
    for article in (pieces["generated"], draft):
        HumanReview.objects.create(
            article=article, reviewer=maria, reviewer_name="Maria Okafor", version=1
        )
    pieces["release"], pieces["wire"] = release, wire
    return pieces


def listed(client, query: str) -> list[int]:
    response = client.get(f"{ARTICLES}?{query}")
    assert response.status_code == 200, response.content
    return sorted(ids(response))


def pks(desk, *names) -> list[int]:
    return sorted(desk[name].pk for name in names)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ai_involvement=none", ["human", "sport"]),
        ("ai_involvement=generated", ["generated"]),
        ("ai_involvement=assisted,generated", ["assisted", "generated"]),
        ("language=de", ["assisted"]),
        ("language=de,fr", ["assisted", "generated"]),
        ("section=technology,climate", ["human", "assisted", "generated"]),
        ("section=technology&ai_involvement=none", ["human"]),
        ("publisher=sony", ["human", "generated"]),
        ("publisher=yahoo-finance", ["generated"]),  # the intermediary counts too
        ("publisher=reuters,nobody", ["generated"]),
        ("reviewed_by=maria okafor", ["generated"]),
        ("reviewed_by=Someone Else", []),
    ],
)
def test_each_filter_narrows_the_published_list(client, desk, query, expected):
    assert listed(client, query) == pks(desk, *expected)


def test_a_document_filter_lists_the_articles_citing_it(client, desk):
    assert listed(client, f"document={desk['release'].pk}") == pks(desk, "human", "generated")
    both = f"document={desk['release'].pk},{desk['wire'].pk}"
    assert listed(client, both) == pks(desk, "human", "generated")


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("ai_involvement=fully", "ai_involvement", "fully"),
        ("ai_involvement=none,sometimes", "ai_involvement", "sometimes"),
        ("language=xx", "language", "xx"),
        ("document=release", "document", "whole numbers"),
        ("sectoin=climate", "sectoin", "Unknown query parameter"),
        ("page=2", "page", "Unknown query parameter"),
    ],
)
def test_bad_or_unknown_parameters_are_a_400_naming_them(client, desk, query, field, words):
    response = client.get(f"{ARTICLES}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert words in str(body), body
    assert field in str(body)


def test_every_list_refuses_unknown_parameters_but_single_items_ignore_them(client, desk):
    lists = ["authors", "sections", "tags", "sponsors", "publishers", "documents"]
    for url in (f"/api/v1/{name}/" for name in lists):
        assert client.get(f"{url}?sectoin=x").status_code == 400, url
        assert client.get(url).status_code == 200, url
    assert client.get("/api/v1/authors/?kind=human").status_code == 200
    assert client.get(f"{ARTICLES}{desk['human'].pk}/?utm_source=mail").status_code == 200
    assert client.get(f"{ARTICLES}?cursor=&page_size=2&ordering=-published_at").status_code == 200


def test_filters_cost_the_same_for_2_and_40_matching_articles(client, desk):
    def queries(query):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{ARTICLES}?{query}").status_code == 200
        return len(captured)

    query = (
        f"publisher=sony,yahoo-finance&ai_involvement=none,generated&document={desk['release'].pk}"
    )
    before = queries(query)
    for _ in range(20):
        article = ArticleFactory(published=True, ai_involvement=AIInvolvement.GENERATED)
        AttributionFactory(claim=ClaimFactory(article=article), document=desk["release"])
    assert queries(query) == before
