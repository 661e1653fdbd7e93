"""Fixtures shared by the partner-API tests: the demo's sponsored, AI-written analysis,
and the section, press release and filed draft the write tests start from."""

import datetime as dt

import pytest

from articles.demo import load_demo
from articles.models import Article
from sources.models import SourceDocument
from tests.articles.api.helpers import ARTICLES, draft_payload, post
from tests.factories import PublisherFactory, SectionFactory, SourceDocumentFactory

# The demo loaded as of this moment, so its relative dates read the same every run.
DEMO_NOW = dt.datetime(2026, 4, 14, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def cloud_gaming(db):
    """The demo's sponsored, AI-written analysis with the four citation shapes."""
    load_demo(now=DEMO_NOW)
    return Article.objects.get(slug="cloud-gaming-home-network-ready")


@pytest.fixture
def technology(db):
    return SectionFactory(name="Technology", slug="technology")


@pytest.fixture
def sony_release(db):
    return SourceDocumentFactory(
        title="Sony outlines the next stage of its cloud streaming service",
        publisher=PublisherFactory(name="Sony"),
        kind=SourceDocument.Kind.PRESS_RELEASE,
    )


@pytest.fixture
def filed(key_client, agent_key, technology, sony_release):
    """A draft Sift filed through the API."""
    response = post(key_client(agent_key), ARTICLES, draft_payload(sony_release))
    assert response.status_code == 201, response.content
    return Article.objects.get(pk=response.json()["id"])
