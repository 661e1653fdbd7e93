"""The article list filtered by its public names and ISO 8601 dates, ordered by
publication or update time, and walked page by page with cursors."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import AIInvolvement, Article, Sponsorship, WorkType
from tests.articles.api.helpers import ARTICLES, ids
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    SectionFactory,
    SponsorFactory,
    SponsorshipFactory,
)

pytestmark = pytest.mark.django_db


def walk(client, url: str) -> list[int]:
    """Every id on every page, following ``next`` links to the end."""
    seen = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        seen += [item["id"] for item in response.json()["results"]]
        url = response.json()["next"]
    return seen


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
    # An offset ISO 8601 allows but PostgreSQL refuses (beyond 15:59): the same instant,
    # never a 500 (found by the fuzzer).
    far = Article.objects.get(pk=catalogue["coast"].pk).published_at.astimezone(
        dt.timezone(-dt.timedelta(hours=19, minutes=28))
    )
    cases[f"published_after={far.isoformat()}"] = {"coast"}
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
