"""Who sees what through the partner API: readers and partner keys see published
articles only; editors', the commercial desk's and agents' keys see their own drafts too."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import Article
from tests.articles.api.helpers import ARTICLES, ids
from tests.factories import AIAgentFactory, ArticleFactory, BylineFactory, PartnerKeyFactory

pytestmark = pytest.mark.django_db


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
