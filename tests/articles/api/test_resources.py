"""The partner API's other resources: authors, sections, sponsors, tags, and the documents
and publishers of published articles (a draft's stay private)."""

import datetime as dt

import pytest

from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AttributionFactory,
    AuthorFactory,
    ClaimFactory,
    PublisherFactory,
    SectionFactory,
    SourceDocumentFactory,
    SponsorFactory,
)

pytestmark = pytest.mark.django_db


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
