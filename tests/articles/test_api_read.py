"""The partner API, read side: who sees what, how an article is represented (JSON and
ninjs), filters, ordering, cursor pages, conditional requests, query budgets, OpenAPI."""

import datetime as dt
import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import workflow
from articles.demo import load_demo
from articles.models import (
    AIInvolvement,
    Article,
    Byline,
    Correction,
    HumanReview,
    Sponsorship,
    WorkType,
)
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AttributionFactory,
    AuthorFactory,
    BylineFactory,
    ClaimFactory,
    CorrectionFactory,
    PartnerKeyFactory,
    PublisherFactory,
    SectionFactory,
    SourceDocumentFactory,
    SponsorFactory,
    SponsorshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles/"
NINJS = "application/ninjs+json"
# The demo loaded as of this moment, so its relative dates read the same every run.
DEMO_NOW = dt.datetime(2026, 4, 14, 12, 0, tzinfo=dt.UTC)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def walk(client, url: str) -> list[int]:
    """Every id on every page, following ``next`` links to the end."""
    seen = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        seen += [item["id"] for item in response.json()["results"]]
        url = response.json()["next"]
    return seen


@pytest.fixture
def cloud_gaming(db):
    """The demo's sponsored, AI-written analysis with the four citation shapes."""
    load_demo(now=DEMO_NOW)
    return Article.objects.get(slug="cloud-gaming-home-network-ready")


# -- who sees what ----------------------------------------------------------------------


@pytest.fixture
def states(db):
    """One article in each state readers must or must not see."""
    future = timezone.now() + dt.timedelta(days=1)
    return {
        "published": ArticleFactory(published=True),
        "draft": ArticleFactory(),
        "in_review": ArticleFactory(status=Article.Status.IN_REVIEW),
        "scheduled": ArticleFactory(status=Article.Status.SCHEDULED, scheduled_for=future),
        "unpublished": ArticleFactory(
            status=Article.Status.UNPUBLISHED, published_at=timezone.now() - dt.timedelta(days=2)
        ),
        # Published in the data, but not until tomorrow.
        "embargoed": ArticleFactory(status=Article.Status.PUBLISHED, published_at=future),
    }


def test_anonymous_readers_see_published_articles_only(client, states):
    assert ids(client.get(ARTICLES)) == [states["published"].pk]
    assert client.get(f"{ARTICLES}{states['published'].pk}/").status_code == 200
    for name in ["draft", "in_review", "scheduled", "unpublished", "embargoed"]:
        assert client.get(f"{ARTICLES}{states[name].pk}/").status_code == 404, name


def test_partner_keys_see_published_articles_only(key_client, partner_key, states):
    partner = key_client(partner_key)
    assert ids(partner.get(ARTICLES)) == [states["published"].pk]
    for name in ["draft", "in_review", "scheduled", "unpublished", "embargoed"]:
        assert partner.get(f"{ARTICLES}{states[name].pk}/").status_code == 404, name


def test_editor_key_sees_newsroom_drafts_but_not_the_commercial_desks(key_client, editor_key):
    newsroom_draft = ArticleFactory()
    commercial_draft = ArticleFactory(desk=Article.Desk.COMMERCIAL)
    published = ArticleFactory(published=True)
    editor = key_client(editor_key)
    assert set(ids(editor.get(ARTICLES))) == {newsroom_draft.pk, published.pk}
    assert editor.get(f"{ARTICLES}{newsroom_draft.pk}/").json()["status"] == "draft"
    assert editor.get(f"{ARTICLES}{commercial_draft.pk}/").status_code == 404


def test_commercial_desk_key_sees_its_drafts_but_not_the_newsrooms(key_client, commercial):
    key = PartnerKeyFactory(partner="", user=commercial, can_draft=True)
    newsroom_draft = ArticleFactory()
    commercial_draft = ArticleFactory(desk=Article.Desk.COMMERCIAL)
    desk = key_client(key)
    assert ids(desk.get(ARTICLES)) == [commercial_draft.pk]
    assert desk.get(f"{ARTICLES}{newsroom_draft.pk}/").status_code == 404


def test_agent_key_sees_its_own_drafts_and_no_other_agents(key_client, agent, agent_key):
    own = BylineFactory(author=agent).article
    theirs = BylineFactory(author=AIAgentFactory()).article
    human_draft = ArticleFactory()
    published = ArticleFactory(published=True)
    sift = key_client(agent_key)
    assert set(ids(sift.get(ARTICLES))) == {own.pk, published.pk}
    assert sift.get(f"{ARTICLES}{own.pk}/").status_code == 200
    # Guessing ids reveals nothing: the other drafts do not exist for this key.
    for guessed in (theirs, human_draft):
        response = sift.get(f"{ARTICLES}{guessed.pk}/")
        assert response.status_code == 404
        assert response.json()["status"] == 404


# -- how an article reads ----------------------------------------------------------------


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
        "By Sift, an AI agent operated by Newsroom Media Ltd; reviewed by Priya Nair"
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
        "according to Bloomberg as quoted by Yahoo Finance",
    ]
    assert [claim["text"][:20] for claim in claims] == [
        "Sony said it will br",
        "Sony plans to let su",
        "Shipments of Wi-Fi 7",
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
    [quoted] = claims[3]["attributions"]
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


# -- the other resources -----------------------------------------------------------------


def test_authors_human_and_ai_agents(client, editor):
    human = AuthorFactory(name="Ada Lovelace", job_title="Science editor")
    agent = AIAgentFactory(name="Sift", supervising_editor=editor)
    data = client.get("/api/v1/authors/").json()["results"]
    by_name = {a["name"]: a for a in data}
    assert by_name["Ada Lovelace"]["kind"] == "human"
    assert by_name["Ada Lovelace"]["description"] == "Science editor"
    assert by_name["Sift"]["kind"] == "ai_agent"
    assert by_name["Sift"]["description"] == "an AI agent operated by Newsroom Media Ltd"
    assert by_name["Sift"]["supervising_editor"] == "Maria Okafor"
    assert client.get(f"/api/v1/authors/{human.pk}/").json()["slug"] == human.slug
    assert [a["name"] for a in client.get("/api/v1/authors/?kind=ai_agent").json()["results"]] == [
        agent.name
    ]


def test_sections_and_sponsors(client):
    section = SectionFactory(name="Technology", slug="technology", description="Chips and code.")
    sponsor = SponsorFactory(name="Kestrel Networks", slug="kestrel-networks")
    assert client.get("/api/v1/sections/").json()["results"] == [
        {
            "id": section.pk,
            "name": "Technology",
            "slug": "technology",
            "description": "Chips and code.",
        }
    ]
    assert client.get(f"/api/v1/sections/{section.pk}/").status_code == 200
    [listed] = client.get("/api/v1/sponsors/").json()["results"]
    assert listed["name"] == "Kestrel Networks"
    assert client.get(f"/api/v1/sponsors/{sponsor.pk}/").json()["slug"] == "kestrel-networks"


def test_tags_are_those_of_published_articles(client):
    ArticleFactory(published=True).tags.add("cloud gaming")
    ArticleFactory().tags.add("embargoed merger")
    assert [t["name"] for t in client.get("/api/v1/tags/").json()["results"]] == ["cloud gaming"]


def test_documents_and_publishers_of_published_articles_are_public(client):
    report = SourceDocumentFactory(
        title="Game streaming puts home networks to the test",
        publisher=PublisherFactory(name="Reuters"),
        published_on=dt.date(2026, 4, 10),
    )
    claim = ClaimFactory(article=ArticleFactory(published=True))
    AttributionFactory(
        claim=claim,
        document=report,
        via=PublisherFactory(name="Yahoo Finance"),
        relation="carried_by",
    )
    [document] = client.get("/api/v1/documents/").json()["results"]
    assert document == {
        "id": report.pk,
        "title": "Game streaming puts home networks to the test",
        "kind": "news_article",
        "url": report.url,
        "published_on": "2026-04-10",
        "accessed_on": None,
        "publisher": {"id": report.publisher_id, "name": "Reuters"},
    }
    assert client.get(f"/api/v1/documents/{report.pk}/").json() == document
    # Yahoo Finance published nothing cited, but carried the report.
    publishers = client.get("/api/v1/publishers/").json()["results"]
    assert sorted(p["name"] for p in publishers) == ["Reuters", "Yahoo Finance"]
    assert publishers[0].keys() == {"id", "name", "slug", "kind", "url"}


def test_a_drafts_sources_stay_private_until_it_is_published(client, key_client, agent_key):
    draft = ArticleFactory()
    secret = SourceDocumentFactory(
        title="Leaked merger memo", publisher=PublisherFactory(name="Whistle Ltd")
    )
    AttributionFactory(claim=ClaimFactory(article=draft), document=secret)
    assert client.get("/api/v1/documents/").json()["results"] == []
    assert client.get(f"/api/v1/documents/{secret.pk}/").status_code == 404
    assert client.get("/api/v1/publishers/").json()["results"] == []
    # Drafting keys reuse documents by id, so they see them all.
    sift = key_client(agent_key)
    assert [d["title"] for d in sift.get("/api/v1/documents/").json()["results"]] == [
        "Leaked merger memo"
    ]
    assert sift.get("/api/v1/publishers/").json()["results"][0]["name"] == "Whistle Ltd"


# -- filters and ordering ------------------------------------------------------------------


@pytest.fixture
def catalogue(db):
    """Four published pieces that differ in every way a partner filters on, and a draft."""
    now = timezone.now()
    tech = SectionFactory(name="Technology", slug="technology")
    business = SectionFactory(name="Business", slug="business")
    ada = AuthorFactory(name="Ada Reyes", slug="ada-reyes")
    sift = AIAgentFactory(name="Sift", slug="sift")
    kestrel = SponsorFactory(name="Kestrel Networks", slug="kestrel-networks")
    tidewater = SponsorFactory(name="Tidewater Foundation", slug="tidewater-foundation")

    def piece(days_ago, **fields):
        article = ArticleFactory(
            status=Article.Status.PUBLISHED,
            published_at=now - dt.timedelta(days=days_ago),
            **fields,
        )
        # Updated in the opposite order to publication, so the two orderings differ.
        Article.objects.filter(pk=article.pk).update(
            updated_at=now - dt.timedelta(hours=10 - days_ago)
        )
        return article

    pieces = {
        "tram": piece(
            4,
            headline="Free Wi-Fi on every tram",
            section=tech,
            type_of_work=WorkType.NEWS,
        ),
        "chips": piece(
            3,
            headline="Chip designers look beyond the big hubs",
            section=business,
            type_of_work=WorkType.ANALYSIS,
            ai_involvement=AIInvolvement.GENERATED,
        ),
        "mesh": piece(
            2, headline="What mesh Wi-Fi does for games", section=tech, type_of_work=WorkType.NEWS
        ),
        "coast": piece(
            1,
            headline="Why the sea wall vote matters",
            section=business,
            type_of_work=WorkType.EXPLAINER,
        ),
    }
    pieces["tram"].tags.add("transport", "wifi")
    pieces["mesh"].tags.add("wifi")
    BylineFactory(article=pieces["tram"], author=ada)
    BylineFactory(article=pieces["chips"], author=sift)
    BylineFactory(article=pieces["coast"], author=ada)
    SponsorshipFactory(article=pieces["mesh"], sponsor=kestrel)
    SponsorshipFactory(
        article=pieces["coast"], sponsor=tidewater, kind=Sponsorship.Kind.UNDERWRITING
    )
    ArticleFactory(headline="A draft about trams", section=tech).tags.add("wifi")
    return pieces


def _stamp(article, field):
    return getattr(Article.objects.get(pk=article.pk), field).isoformat().replace("+00:00", "Z")


FILTERS = [
    ("section=technology", {"tram", "mesh"}),
    ("tag=wifi", {"tram", "mesh"}),
    ("tag=transport", {"tram"}),
    ("author=ada-reyes", {"tram", "coast"}),
    ("author_kind=ai_agent", {"chips"}),
    ("author_kind=human", {"tram", "coast"}),
    ("sponsored=true", {"mesh", "coast"}),
    ("sponsored=false", {"tram", "chips"}),
    ("sponsor=kestrel-networks", {"mesh"}),
    ("label=sponsored_advertising_content", {"mesh"}),
    ("label=supported_by", {"coast"}),
    ("label=none", {"tram", "chips"}),
    ("type=news", {"tram"}),  # the sponsored "news" piece is advertiser content
    ("type=advertiser_content", {"mesh"}),
    ("type=analysis", {"chips"}),
    ("type=explainer", {"coast"}),
    ("q=tram", {"tram"}),
    ("q=mesh games", {"mesh"}),
    ("section=business&sponsored=false", {"chips"}),
]


def test_filters_by_their_public_names(client, catalogue):
    for query, expected in FILTERS:
        found = set(ids(client.get(f"{ARTICLES}?{query}")))
        assert found == {catalogue[name].pk for name in expected}, query


def test_date_filters_take_iso_8601(client, catalogue):
    chips_published = _stamp(catalogue["chips"], "published_at")
    mesh_updated = _stamp(catalogue["mesh"], "updated_at")
    cases = {
        f"published_after={chips_published}": {"chips", "mesh", "coast"},
        f"published_before={chips_published}": {"tram"},
        f"updated_since={mesh_updated}": {"mesh", "chips", "tram"},
        "published_after=2000-01-01&published_before=2000-12-31": set(),
        # A date alone, and an offset other than UTC, are ISO 8601 too.
        f"published_after={(timezone.now() - dt.timedelta(days=365)).date()}": set(catalogue),
    }
    shifted = Article.objects.get(pk=catalogue["coast"].pk).published_at.astimezone(
        dt.timezone(dt.timedelta(hours=5, minutes=30))
    )
    cases[f"published_after={shifted.isoformat().replace('+', '%2B')}"] = {"coast"}
    for query, expected in cases.items():
        found = set(ids(client.get(f"{ARTICLES}?{query}")))
        assert found == {catalogue[name].pk for name in expected}, query


def test_ordering_by_publication_or_update_time(client, catalogue):
    by_name = {article.pk: name for name, article in catalogue.items()}

    def order(query):
        return [by_name[pk] for pk in ids(client.get(f"{ARTICLES}?{query}"))]

    assert order("") == ["coast", "mesh", "chips", "tram"]  # newest publication first
    assert order("ordering=published_at") == ["tram", "chips", "mesh", "coast"]
    assert order("ordering=-updated_at") == ["tram", "chips", "mesh", "coast"]
    assert order("ordering=updated_at") == ["coast", "mesh", "chips", "tram"]


# -- cursor pagination --------------------------------------------------------------------


def test_next_links_walk_every_article_once_in_every_ordering(client):
    now = timezone.now()
    # Some share a publication time to the microsecond: ties must not skip or repeat.
    articles = [
        ArticleFactory(
            status=Article.Status.PUBLISHED, published_at=now - dt.timedelta(hours=i // 3 + 1)
        )
        for i in range(23)
    ]
    expected = sorted(a.pk for a in articles)
    for ordering in ["", "published_at", "-published_at", "updated_at", "-updated_at"]:
        seen = walk(client, f"{ARTICLES}?page_size=5&ordering={ordering}")
        assert len(seen) == len(set(seen)) == 23, ordering
        assert sorted(seen) == expected, ordering


def test_an_agents_drafts_and_published_pieces_page_together(key_client, agent, agent_key):
    """Drafts have no publication time; they must neither vanish from pages nor break them."""
    mine = [BylineFactory(author=agent, article=ArticleFactory()).article for _ in range(4)]
    published = [ArticleFactory(published=True) for _ in range(5)]
    expected = sorted(a.pk for a in mine + published)
    sift = key_client(agent_key)
    for ordering in ["", "published_at", "-published_at", "updated_at", "-updated_at"]:
        seen = walk(sift, f"{ARTICLES}?page_size=2&ordering={ordering}")
        assert sorted(seen) == expected, ordering
        assert len(seen) == len(set(seen)), ordering


def test_page_size_is_capped_at_100(client):
    section = SectionFactory()
    published_at = timezone.now() - dt.timedelta(hours=1)
    Article.objects.bulk_create(
        Article(
            headline=f"Item {i}",
            slug=f"item-{i}",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=published_at,
        )
        for i in range(105)
    )
    data = client.get(f"{ARTICLES}?page_size=1000").json()
    assert len(data["results"]) == 100
    assert data["next"]
    assert len(client.get(ARTICLES).json()["results"]) == 20  # the default


# -- conditional requests ----------------------------------------------------------------


def test_article_etag_and_last_modified_answer_304_until_a_correction(client, editor):
    article = ArticleFactory(published=True)
    url = f"{ARTICLES}{article.pk}/"
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and last_modified.endswith("GMT")

    unchanged = client.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged["ETag"] == etag
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304

    workflow.add_correction(
        article, by=editor, kind=Correction.Kind.CORRECTION, text="It was Tuesday."
    )
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["corrections"][0]["text"] == "It was Tuesday."


def test_list_etag_and_last_modified_answer_304_until_something_changes(client, editor):
    article = ArticleFactory(published=True)
    first = client.get(ARTICLES)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert client.get(ARTICLES, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(ARTICLES, headers={"If-Modified-Since": last_modified}).status_code == 304
    # Another page, filter or format is another representation.
    assert client.get(f"{ARTICLES}?format=ninjs", headers={"If-None-Match": etag}).status_code == (
        200
    )

    workflow.add_correction(article, by=editor, kind=Correction.Kind.UPDATE, text="Updated.")
    changed = client.get(ARTICLES, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_json_and_ninjs_of_one_version_have_different_etags(client):
    article = ArticleFactory(published=True)
    url = f"{ARTICLES}{article.pk}/"
    as_json = client.get(url)["ETag"]
    as_ninjs = client.get(url, headers={"Accept": NINJS})["ETag"]
    assert as_json != as_ninjs
    assert client.get(url, headers={"Accept": NINJS, "If-None-Match": as_json}).status_code == 200
    assert client.get(url, headers={"Accept": NINJS, "If-None-Match": as_ninjs}).status_code == 304


# -- ninjs ----------------------------------------------------------------------------------


def test_ninjs_carries_the_label_ai_authorship_and_sources(client, cloud_gaming):
    url = f"{ARTICLES}{cloud_gaming.pk}/"
    response = client.get(url, headers={"Accept": NINJS})
    assert response.status_code == 200
    assert response["Content-Type"] == NINJS
    item = response.json()
    by_format = client.get(f"{url}?format=ninjs")
    assert by_format["Content-Type"] == NINJS
    assert by_format.json() == item

    assert item["uri"] == "http://127.0.0.1:8000/articles/cloud-gaming-home-network-ready/"
    assert item["standard"]["name"] == "ninjs"
    assert item["standard"]["version"] == "3.1"
    assert item["pubStatus"] == "usable"
    main = next(h for h in item["headlines"] if h["role"] == "main")
    assert main["value"] == (
        "Sponsored Advertising Content paid for by Kestrel Networks: " + cloud_gaming.headline
    )
    [body] = item["bodies"]
    assert body["contentType"] == "text/html"
    assert "Sony said it will bring its cloud streaming service" in body["value"]
    assert item["by"] == (
        "By Sift, an AI agent operated by Newsroom Media Ltd; reviewed by Priya Nair"
    )

    # ninjs has no sponsorship field: genres, trustIndicators and the extension carry it.
    assert item["genres"][0]["name"] == "Sponsored Advertising Content"
    sponsorship = [t for t in item["trustIndicators"] if t["role"] == "sponsorship"]
    assert sponsorship == [
        {
            "role": "sponsorship",
            "title": "Sponsored Advertising Content paid for by Kestrel Networks",
            "href": "http://127.0.0.1:8000/about/labels/",
        }
    ]
    extension = item["x-newsroom-sponsorship"]
    assert extension["label"] == "Sponsored Advertising Content"
    assert extension["sponsor"] == "Kestrel Networks"
    assert extension["kind"] == "native_advertising"
    assert extension["disclosure"].startswith("This article was paid for by Kestrel Networks")

    assert item["digitalSourceType"]["uri"] == (
        "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    )
    sources = item["infoSources"]
    assert {"name": "Sony", "role": "source"}.items() <= sources[0].items()
    assert {
        "name": "Yahoo Finance",
        "role": "intermediary:carried_by",
        "uri": "https://yahoo-finance.example.com/news/game-streaming-home-networks",
    } in sources
    assert any(s["role"] == "intermediary:quoted_by" for s in sources)
    # One entry per source, however many claims cite it.
    assert len(sources) == len({tuple(sorted(s.items())) for s in sources})
    assert [c["citation"] for c in item["x-newsroom-citations"]][2] == (
        "Reuters via Yahoo Finance, April 10"
    )


def test_ninjs_of_journalism_has_no_sponsorship_and_no_ai_source_type(client):
    article = ArticleFactory(published=True, headline="Council votes")
    item = client.get(f"{ARTICLES}{article.pk}/?format=ninjs").json()
    assert item["headlines"][0] == {"role": "main", "value": "Council votes"}
    assert "x-newsroom-sponsorship" not in item
    assert "digitalSourceType" not in item
    assert not any(t["role"] == "sponsorship" for t in item["trustIndicators"])
    assert item["genres"] == [{"name": "News", "uri": "urn:newsroom:genre:news"}]


def test_ninjs_lists_page_like_json(client):
    ArticleFactory(published=True, published_at=timezone.now() - dt.timedelta(days=1))
    sponsored = SponsorshipFactory(article=ArticleFactory(published=True)).article
    response = client.get(f"{ARTICLES}?page_size=1", headers={"Accept": NINJS})
    assert response["Content-Type"] == NINJS
    [item] = response.json()["results"]
    assert item["uri"].endswith(sponsored.get_absolute_url())
    assert item["x-newsroom-sponsorship"]["label"] == "Sponsored Advertising Content"
    next_page = client.get(response.json()["next"], headers={"Accept": NINJS}).json()
    assert next_page["results"][0]["standard"]["name"] == "ninjs"


# -- query budgets --------------------------------------------------------------------------


def _fully_loaded_articles(n: int, reviewer) -> None:
    """``n`` published articles with everything a list shows: bylines (one an AI agent),
    claims with two sources (one through an intermediary), a sponsorship, tags,
    corrections and a human review."""
    section = SectionFactory()
    agent = AIAgentFactory(supervising_editor=reviewer)
    portal = PublisherFactory(name="Yahoo Finance")
    for i in range(n):
        article = ArticleFactory(
            published=True, section=section, ai_involvement=AIInvolvement.GENERATED
        )
        BylineFactory(article=article, author=agent)
        BylineFactory(article=article, author=AuthorFactory(), role=Byline.Role.EDITED_BY)
        claim = ClaimFactory(article=article)
        AttributionFactory(claim=claim)
        AttributionFactory(claim=claim, via=portal, relation="carried_by")
        article.tags.add(f"tag-{i % 3}", "shared")
        CorrectionFactory(article=article)
        HumanReview.objects.create(
            article=article, reviewer=reviewer, reviewer_name="Maria Okafor", version=1
        )
        if i % 2:
            SponsorshipFactory(article=article)


def _queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(queries)


# The article list, whatever its length:
#  1. the ETag: newest update time and count of the filtered list
#  2. the page of articles, with section, lead image, sponsorship and sponsor joined
#  3. bylines with their authors and supervising editors
#  4. tags
#  5. reviews
#  6. corrections
#  7. claims
#  8. the claims' attributions with documents, publishers and intermediaries
ARTICLE_LIST_QUERIES = 8


def test_article_list_costs_the_same_for_5_and_50_articles(client, editor):
    url = f"{ARTICLES}?page_size=100"
    _fully_loaded_articles(5, editor)
    assert _queries(client, url) == ARTICLE_LIST_QUERIES
    assert _queries(client, url, Accept=NINJS) == ARTICLE_LIST_QUERIES
    _fully_loaded_articles(45, editor)
    assert _queries(client, url) == ARTICLE_LIST_QUERIES
    assert _queries(client, url, Accept=NINJS) == ARTICLE_LIST_QUERIES
    assert len(client.get(url).json()["results"]) == 50


# One article: the list's queries 2–8, without the ETag aggregate.
ARTICLE_DETAIL_QUERIES = 7


def test_article_detail_costs_the_same_for_2_and_20_claims(client, editor):
    article = ArticleFactory(
        published=True, body="<p>" + " ".join(f"Fact {i}." for i in range(20)) + "</p>"
    )
    BylineFactory(article=article)
    SponsorshipFactory(article=article)
    CorrectionFactory(article=article)
    article.tags.add("one", "two")

    def add_claims(numbers):
        for i in numbers:
            claim = ClaimFactory(article=article, text=f"Fact {i}.")
            AttributionFactory(claim=claim)
            AttributionFactory(
                claim=claim, via=PublisherFactory(name="Portal"), relation="quoted_by"
            )

    add_claims(range(2))
    assert _queries(client, f"{ARTICLES}{article.pk}/") == ARTICLE_DETAIL_QUERIES
    add_claims(range(2, 20))
    assert _queries(client, f"{ARTICLES}{article.pk}/") == ARTICLE_DETAIL_QUERIES
    assert len(client.get(f"{ARTICLES}{article.pk}/").json()["claims"]) == 20


@pytest.mark.parametrize(
    ("resource", "make"),
    [
        ("authors", lambda: AIAgentFactory()),
        ("sections", lambda: SectionFactory()),
        ("sponsors", lambda: SponsorFactory()),
        ("tags", lambda: ArticleFactory(published=True).tags.add(f"t{UserFactory().pk}")),
        (
            "documents",
            lambda: AttributionFactory(claim=ClaimFactory(article=ArticleFactory(published=True))),
        ),
        (
            "publishers",
            lambda: AttributionFactory(claim=ClaimFactory(article=ArticleFactory(published=True))),
        ),
    ],
)
def test_other_lists_cost_one_query_for_5_and_50_rows(client, resource, make):
    # One query: the page (visibility is a subquery, related rows are joined).
    url = f"/api/v1/{resource}/?page_size=100"
    for _ in range(5):
        make()
    assert _queries(client, url) == 1
    assert len(client.get(url).json()["results"]) >= 5
    for _ in range(45):
        make()
    assert _queries(client, url) == 1
    assert len(client.get(url).json()["results"]) >= 50


# -- OpenAPI ----------------------------------------------------------------------------


def test_openapi_schema_describes_articles_transitions_and_the_key_scheme(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Newsroom partner API"
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/articles/"])
    assert "patch" in schema["paths"]["/api/v1/articles/{id}/"]
    assert "post" in schema["paths"]["/api/v1/articles/{id}/transitions/"]
    for resource in ["authors", "sections", "tags", "sponsors", "documents", "publishers"]:
        assert f"/api/v1/{resource}/" in schema["paths"]
    scheme = schema["components"]["securitySchemes"]["ApiKey"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "Authorization"}
    parameters = {p["name"] for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]}
    assert {"section", "tag", "sponsored", "label", "updated_since", "ordering", "cursor"} <= (
        parameters
    )
    as_json = client.get("/api/v1/schema/?format=json")
    assert as_json.json()["paths"].keys() == schema["paths"].keys()


def test_swagger_ui_is_served_from_our_own_static_files(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert assets
    for asset in assets:
        assert not asset.startswith(("http:", "https:", "//")), asset
    bundle = [a for a in assets if a.endswith("swagger-ui-bundle.js")]
    assert bundle and bundle[0].startswith("/static/drf_spectacular_sidecar/")
    assert finders.find(bundle[0].removeprefix("/static/"))
    # Nor does the inline script fetch anything from elsewhere.
    assert not re.search(r"https?://(?!127\.0\.0\.1|testserver)", html)
