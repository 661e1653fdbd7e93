"""A chain of custody on the article page: the citation beside the claim, the Sources
list naming every outlet with its link and date, the JSON-LD carrying the chain, and
the page's query budget unchanged however many chains it shows."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.models import Attribution, AttributionHop
from tests.articles.site.helpers import html_of, jsonld
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    ClaimFactory,
    PublisherFactory,
    SourceDocumentFactory,
)

pytestmark = pytest.mark.django_db

CLAIM = "Console sales will double next year."
# Dates in citations read against the article's publication: fixed, so May 8 stays "May 8".
PUBLISHED = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def chained_article(*, claims: int = 1):
    """A published piece whose claims cite Bloomberg's report, quoted by Reuters on May 8
    and carried by Yahoo Finance on May 9."""
    article = ArticleFactory(
        published=True,
        published_at=PUBLISHED,
        body="<p>" + " ".join(f"Claim {i} is sourced." for i in range(claims)) + f" {CLAIM}</p>",
    )
    report = SourceDocumentFactory(
        title="Console makers expect a record year",
        publisher=PublisherFactory(name="Bloomberg"),
        url="https://bloomberg.example/record-year",
        published_on=dt.date(2026, 5, 7),
    )
    reuters, yahoo = PublisherFactory(name="Reuters"), PublisherFactory(name="Yahoo Finance")
    for i in range(claims):
        claim = ClaimFactory(article=article, text=CLAIM if i == 0 else f"Claim {i} is sourced.")
        attribution = AttributionFactory(
            claim=claim,
            document=report,
            via=reuters,
            relation=Attribution.Relation.QUOTED_BY,
            via_url="https://reuters.example/bloomberg-says",
            via_on=dt.date(2026, 5, 8),
        )
        AttributionHop.objects.create(
            attribution=attribution,
            publisher=yahoo,
            relation=Attribution.Relation.CARRIED_BY,
            url="https://yahoo-finance.example/reuters-story",
            on=dt.date(2026, 5, 9),
        )
    return article


def sources_of(html: str) -> str:
    return html.split('<section class="sources"')[1].split("</section>")[0]


def test_the_claim_reads_its_whole_chain_in_place(client):
    html = html_of(client, chained_article().get_absolute_url())
    body = html.split('<div class="body">')[1].split('<section class="sources"')[0]
    in_place = [
        re.sub(r"<[^>]+>", "", m).removeprefix("Source: ")
        for m in re.findall(r'<span class="citation"[^>]*>\((.*?)\)</span>', body, re.S)
    ]
    assert in_place == ["according to Bloomberg as cited by Reuters, as carried by Yahoo Finance"]


def test_the_sources_list_links_and_dates_every_outlet_in_the_chain(client):
    sources = sources_of(html_of(client, chained_article().get_absolute_url()))

    assert sources.count("<li ") == 1
    assert '<a href="https://bloomberg.example/record-year"' in sources
    assert (
        'As quoted by <a href="https://reuters.example/bloomberg-says">Reuters</a> '
        '(<time datetime="2026-05-08">May 8</time>), carried by '
        '<a href="https://yahoo-finance.example/reuters-story">Yahoo Finance</a> '
        '(<time datetime="2026-05-09">May 9</time>).'
    ) in sources


def test_a_german_page_words_the_chain_in_german(client):
    article = chained_article()
    article.language = "de"
    article.save()
    sources = sources_of(html_of(client, article.get_absolute_url()))
    assert "Zitiert nach <a" in sources
    assert "erschienen bei <a" in sources


def test_json_ld_carries_the_chain_as_works_each_based_on_the_one_before(client):
    [data] = jsonld(html_of(client, chained_article().get_absolute_url()))
    [citation] = data["citation"]

    assert citation["publisher"]["name"] == "Bloomberg"
    assert citation["provider"]["name"] == "Reuters"  # the first intermediary, as before
    assert citation["workExample"] == [
        {
            "@type": "CreativeWork",
            "position": 1,
            "description": "As quoted by Reuters",
            "publisher": {"@type": "Organization", "name": "Reuters"},
            "isBasedOn": "https://bloomberg.example/record-year",
            "url": "https://reuters.example/bloomberg-says",
            "datePublished": "2026-05-08",
        },
        {
            "@type": "CreativeWork",
            "position": 2,
            "description": "Carried by Yahoo Finance",
            "publisher": {"@type": "Organization", "name": "Yahoo Finance"},
            "isBasedOn": "https://reuters.example/bloomberg-says",
            "url": "https://yahoo-finance.example/reuters-story",
            "datePublished": "2026-05-09",
        },
    ]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_for_2_and_20_chained_claims(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    few = chained_article(claims=2).get_absolute_url()
    many = chained_article(claims=20).get_absolute_url()
    client.get(few), client.get(many)  # anything made on first sight
    assert _queries(client, few) == _queries(client, many)
    assert sources_of(html_of(client, many)).count("carried by") == 1  # one chain, one entry


def test_a_dated_single_intermediary_is_linked_and_dated_in_the_sources_list(client):
    article = ArticleFactory(published=True, published_at=PUBLISHED, body=f"<p>{CLAIM}</p>")
    AttributionFactory(
        claim=ClaimFactory(article=article, text=CLAIM),
        document=SourceDocumentFactory(
            publisher=PublisherFactory(name="Reuters"), published_on=dt.date(2026, 5, 7)
        ),
        via=PublisherFactory(name="Yahoo Finance"),
        relation=Attribution.Relation.CARRIED_BY,
        via_url="https://yahoo-finance.example/reuters-story",
        via_on=dt.date(2026, 5, 9),
    )
    html = html_of(client, article.get_absolute_url())
    assert "Reuters via Yahoo Finance, May 9" in html  # the day the portal carried it
    assert (
        'Carried by <a href="https://yahoo-finance.example/reuters-story">Yahoo Finance</a> '
        '(<time datetime="2026-05-09">May 9</time>).'
    ) in sources_of(html)
