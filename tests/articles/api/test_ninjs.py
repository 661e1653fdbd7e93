"""Articles as ninjs 3.1: the label, AI authorship and sources carried in ninjs's own
fields (and, in the extended profile, our extensions), for one article and for pages."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.articles.api.helpers import ARTICLES, NINJS
from tests.factories import ArticleFactory, SponsorshipFactory
from tests.wording import reviewed_on

pytestmark = pytest.mark.django_db


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
        "By Sift, an AI agent operated by Newsroom Media Ltd; reviewed by Priya Nair on "
        + reviewed_on(cloud_gaming.latest_review)
    )

    # ninjs has no sponsorship field: genres, trustIndicators, descriptions and
    # organisations carry it, all standard.
    assert item["genres"][0]["name"] == "Sponsored Advertising Content"
    sponsorship = [t for t in item["trustIndicators"] if t["role"] == "sponsorship"]
    assert sponsorship == [
        {
            "role": "sponsorship",
            "title": "Sponsored Advertising Content paid for by Kestrel Networks",
            "href": "http://127.0.0.1:8000/about/labels/",
        }
    ]
    assert {"name": "Kestrel Networks", "rel": "sponsor"}.items() <= item["organisations"][
        1
    ].items()
    [described] = [d for d in item["descriptions"] if d["role"] == "sponsorship"]
    assert described["value"].startswith("Sponsored Advertising Content paid for by Kestrel")
    assert "This article was paid for by Kestrel Networks" in described["value"]
    assert not any(key.startswith("x-newsroom") for key in item)

    # The agent is no person: its operator is an organisation, the reviewer a person.
    assert [p["name"] for p in item["people"]] == ["Priya Nair"]
    assert item["people"][0]["rel"] == "reviewer"
    assert item["organisations"][0] == {
        "name": "Newsroom Media Ltd",
        "rel": "aiAgentOperator",
        "uri": item["organisations"][0]["uri"],
    }
    ai = [d["value"] for d in item["descriptions"] if d["role"] == "aiDisclosure"]
    assert ai[0].startswith("Sift is an AI agent operated by Newsroom Media Ltd")
    assert ai[1].startswith("Reviewed by Priya Nair, a human editor, on ")

    extended = client.get(f"{url}?format=ninjs&profile=newsroom").json()
    extension = extended["x-newsroom-sponsorship"]
    assert extension["label"] == "Sponsored Advertising Content"
    assert extension["sponsor"] == "Kestrel Networks"
    assert extension["kind"] == "native_advertising"
    assert extension["disclosure"].startswith("This article was paid for by Kestrel Networks")
    assert extended["x-newsroom-ai"]["review"]["reviewer"] == "Priya Nair"
    by_media_type = client.get(url, headers={"Accept": f"{NINJS}; profile=newsroom"}).json()
    assert by_media_type == extended

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
    citations = [d["value"] for d in item["descriptions"] if d["role"] == "citation"]
    assert citations[2].endswith("(Reuters via Yahoo Finance, April 10)")
    assert [c["citation"] for c in extended["x-newsroom-citations"]][2] == (
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
    assert item["genres"][0]["name"] == "Sponsored Advertising Content"
    next_page = client.get(response.json()["next"], headers={"Accept": NINJS}).json()
    assert next_page["results"][0]["standard"]["name"] == "ninjs"
