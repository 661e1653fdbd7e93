"""How an article reads in the partner API's JSON: label and sponsor, AI bylines and the
reviewing editor, claims with their sources, corrections, URLs and timestamps."""

import datetime as dt

import pytest

from articles.models import AIInvolvement, Byline, Correction, Sponsorship, WorkType
from articles.publishing import workflow
from tests.articles.api.helpers import ARTICLES
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    SponsorFactory,
    SponsorshipFactory,
)
from tests.wording import reviewed_on

pytestmark = pytest.mark.django_db


def test_sponsored_article_carries_its_label_sponsor_and_disclosure(client, cloud_gaming):
    data = client.get(f"{ARTICLES}{cloud_gaming.pk}/").json()
    assert data["is_sponsored"] is True
    assert data["label"] == "Sponsored Advertising Content"
    assert data["title_with_label"] == (
        "Sponsored Advertising Content paid for by Kestrel Networks: " + cloud_gaming.headline
    )
    sponsorship = data["sponsorship"]
    assert sponsorship["kind"] == "native_advertising"
    assert sponsorship["label"] == "Sponsored Advertising Content"
    assert sponsorship["sponsor"]["name"] == "Kestrel Networks"
    assert sponsorship["sponsor"]["slug"] == "kestrel-networks"
    assert sponsorship["disclosure"].startswith("This article was paid for by Kestrel Networks")
    assert sponsorship["labels_policy"].endswith("/about/labels/")
    # Native advertising is advertiser content, whatever form it takes.
    assert data["type_of_work"] == "advertiser_content"
    assert data["schema_type"] == "AdvertiserContentArticle"


def test_underwriting_is_labelled_supported_by_and_journalism_is_unlabelled(client):
    underwritten = SponsorshipFactory(
        kind=Sponsorship.Kind.UNDERWRITING,
        sponsor=SponsorFactory(name="Tidewater Foundation"),
        article=ArticleFactory(published=True, type_of_work=WorkType.EXPLAINER),
    ).article
    journalism = ArticleFactory(published=True)

    data = client.get(f"{ARTICLES}{underwritten.pk}/").json()
    assert data["is_sponsored"] is True
    assert data["sponsorship"]["label"] == "Supported by Tidewater Foundation"
    assert data["sponsorship"]["sponsor_line"] == (
        "Tidewater Foundation funded this coverage and had no role in choosing, reporting, "
        "writing or editing it."
    )
    assert data["type_of_work"] == "explainer"

    data = client.get(f"{ARTICLES}{journalism.pk}/").json()
    assert data["is_sponsored"] is False
    assert data["sponsorship"] is None
    assert data["label"] == ""
    assert data["title_with_label"] == journalism.headline


def test_ai_written_article_names_the_agent_its_disclosure_and_the_reviewing_editor(
    client, cloud_gaming
):
    data = client.get(f"{ARTICLES}{cloud_gaming.pk}/").json()
    [byline] = data["bylines"]
    assert byline["role"] == "by"
    author = byline["author"]
    assert author["name"] == "Sift"
    assert author["kind"] == "ai_agent"
    assert author["is_ai_agent"] is True
    assert author["description"] == "an AI agent operated by Newsroom Media Ltd"
    assert author["disclosure"].startswith("Sift is an AI agent")
    assert author["supervising_editor"] == "Maria Okafor"
    assert data["reviewed_by"]["reviewer"] == "Priya Nair"
    assert data["reviewed_by"]["version"] == cloud_gaming.version
    assert data["byline_text"] == (
        "By Sift, an AI agent operated by Newsroom Media Ltd; reviewed by Priya Nair on "
        + reviewed_on(cloud_gaming.latest_review)
    )
    assert data["ai_involvement"] == {
        "level": "generated",
        "label": "AI-generated",
        "digital_source_type": "http://cv.iptc.org/newscodes/digitalsourcetype/"
        "trainedAlgorithmicMedia",
    }


def test_bylines_keep_their_order_and_say_what_kind_of_author_each_is(client):
    article = ArticleFactory(published=True, ai_involvement=AIInvolvement.ASSISTED)
    # Added out of order: the position decides, not the insertion.
    BylineFactory(article=article, author=AuthorFactory(name="Cleo Third"), position=2)
    BylineFactory(article=article, author=AuthorFactory(name="Ada First"), position=0)
    BylineFactory(
        article=article,
        author=AIAgentFactory(name="Sift"),
        role=Byline.Role.RESEARCH,
        position=1,
    )
    bylines = client.get(f"{ARTICLES}{article.pk}/").json()["bylines"]
    assert [(b["author"]["name"], b["author"]["kind"], b["role"]) for b in bylines] == [
        ("Ada First", "human", "by"),
        ("Sift", "ai_agent", "research"),
        ("Cleo Third", "human", "by"),
    ]
    assert bylines[1]["role_label"] == "Research by"


def test_claims_come_in_body_order_with_their_sources_and_citation_text(client, cloud_gaming):
    claims = client.get(f"{ARTICLES}{cloud_gaming.pk}/").json()["claims"]
    assert [claim["citation"] for claim in claims] == [
        "Sony",
        "Sony; Reuters/Yahoo Finance",
        "Reuters via Yahoo Finance, April 10",
        "according to Bloomberg as cited by Reuters, as carried by Yahoo Finance",
        "according to Bloomberg as quoted by Yahoo Finance",
    ]
    assert [claim["text"][:20] for claim in claims] == [
        "Sony said it will br",
        "Sony plans to let su",
        "Shipments of Wi-Fi 7",
        "Broadband providers ",
        "“Players forgive a b",
    ]
    assert [c["position"] for c in claims] == sorted(c["position"] for c in claims)

    [carried] = claims[2]["attributions"]
    assert carried["document"] == {
        "id": carried["document"]["id"],
        "title": "Game streaming puts home networks to the test",
        "kind": "wire_report",
        "url": "https://reuters.example.com/technology/game-streaming-home-networks",
        "published_on": "2026-04-10",
        "accessed_on": None,
        "publisher": {"id": carried["document"]["publisher"]["id"], "name": "Reuters"},
    }
    assert carried["intermediary"]["name"] == "Yahoo Finance"
    assert carried["relation"] == "carried_by"
    assert carried["intermediary_url"] == (
        "https://yahoo-finance.example.com/news/game-streaming-home-networks"
    )
    [quoted] = claims[4]["attributions"]
    assert quoted["document"]["publisher"]["name"] == "Bloomberg"
    assert quoted["relation"] == "quoted_by"
    [first_hand] = claims[0]["attributions"]
    assert first_hand["intermediary"] is None
    assert first_hand["relation"] == ""
    assert [a["document"]["publisher"]["name"] for a in claims[1]["attributions"]] == [
        "Sony",
        "Reuters",
    ]


def test_corrections_url_and_timestamps(client, editor):
    article = ArticleFactory(published=True)
    workflow.add_correction(
        article, by=editor, kind=Correction.Kind.CORRECTION, text="The profit rose 4%, not 40%."
    )
    data = client.get(f"{ARTICLES}{article.pk}/").json()
    [correction] = data["corrections"]
    assert correction["kind"] == "correction"
    assert correction["text"] == "The profit rose 4%, not 40%."
    assert correction["created_at"]
    assert data["url"] == f"http://127.0.0.1:8000/articles/{article.slug}/"
    for stamp in ("published_at", "updated_at", "modified_at"):
        assert dt.datetime.fromisoformat(data[stamp])
    assert data["modified_at"] >= data["published_at"]


def test_a_draft_has_no_public_url(key_client, editor_key):
    draft = ArticleFactory()
    data = key_client(editor_key).get(f"{ARTICLES}{draft.pk}/").json()
    assert data["url"] is None
    assert data["published_at"] is None
