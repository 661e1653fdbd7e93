"""A single article in the API offers what its page offers next (pins first, labels
kept), and every representation tells partners when a piece will take itself down."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.labels import NATIVE_ADVERTISING_LABEL
from articles.models import RelatedPin
from articles.publishing import expiry
from tests.articles.api.helpers import ARTICLES, NINJS
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SponsorshipFactory,
    UserFactory,
    make_publishable,
)

pytestmark = pytest.mark.django_db


def piece(headline: str, *, hours_ago: int, section=None, tags=()):
    article = ArticleFactory(
        published=True,
        headline=headline,
        section=section or SectionFactory(),
        published_at=timezone.now() - dt.timedelta(hours=hours_ago),
    )
    article.tags.add(*tags)
    return article


@pytest.fixture
def harbour():
    port = SectionFactory(name="Port", slug="port")
    harbour = piece("Harbour plan", hours_ago=1, section=port, tags=["port", "ferries"])
    piece("Ferry fares rise", hours_ago=5, tags=["ferries"])
    piece("Port budget passes", hours_ago=3, section=port)
    pinned = piece("Dredging contract", hours_ago=30)
    RelatedPin.objects.create(article=harbour, related=pinned, position=0)
    return harbour


def test_related_pieces_come_pinned_first_then_by_tag_then_by_section(client, harbour):
    related = client.get(f"{ARTICLES}{harbour.pk}/").json()["related"]
    assert [r["headline"] for r in related] == [
        "Dredging contract",
        "Ferry fares rise",
        "Port budget passes",
    ]
    assert related[0]["url"].endswith("/dredging-contract/")
    assert all(not r["is_sponsored"] and r["label"] == "" for r in related)


def test_a_sponsored_related_piece_keeps_its_label(client, harbour):
    sponsored = piece("Sponsored ferry guide", hours_ago=2, tags=["ferries", "port"])
    SponsorshipFactory(article=sponsored)
    related = client.get(f"{ARTICLES}{harbour.pk}/").json()["related"]
    card = next(r for r in related if r["headline"] == "Sponsored ferry guide")
    assert card["is_sponsored"] is True
    assert card["label"] == NATIVE_ADVERTISING_LABEL
    assert card["title_with_label"].startswith(NATIVE_ADVERTISING_LABEL)


def test_lists_and_ninjs_leave_related_out(client, harbour):
    listed = client.get(ARTICLES).json()["results"]
    assert all("related" not in item for item in listed)
    assert "related" not in client.get(f"{ARTICLES}{harbour.pk}/", headers={"Accept": NINJS}).json()


def test_publishing_a_related_piece_changes_the_etag(client, harbour):
    url = f"{ARTICLES}{harbour.pk}/"
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    piece("New ferry route", hours_ago=0, tags=["ferries", "port"])
    fresh = client.get(url, headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert "New ferry route" in [r["headline"] for r in fresh.json()["related"]]


def test_expiry_is_in_the_json_and_in_ninjs(client):
    article = make_publishable(ArticleFactory(published=True))
    url = f"{ARTICLES}{article.pk}/"
    assert client.get(url).json()["expires_at"] is None
    assert "expires" not in client.get(url, headers={"Accept": NINJS}).json()
    at = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    expiry.set_expiry(article, by=UserFactory(is_superuser=True), at=at)
    assert dt.datetime.fromisoformat(client.get(url).json()["expires_at"]) == at
    listed = client.get(ARTICLES).json()["results"]
    assert dt.datetime.fromisoformat(listed[0]["expires_at"]) == at
    ninjs = client.get(url, headers={"Accept": NINJS}).json()
    assert dt.datetime.fromisoformat(ninjs["expires"]) == at
