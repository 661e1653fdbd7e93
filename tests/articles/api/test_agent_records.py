"""Everything done through the API is on the record and says who: an AI agent and the
key it used, or the editor behind an editor's key."""

import pytest
from django.urls import reverse

from articles.models import ArticleEvent, Revision
from articles.publishing import workflow
from tests.articles.api.helpers import ARTICLES, draft_payload, patch, post, transition
from tests.factories import AIAgentFactory, PartnerKeyFactory

pytestmark = pytest.mark.django_db

SIFT = "Sift (AI agent, key “Sift drafts”)"


def edit(client, article, data: dict):
    url = f"{ARTICLES}{article.pk}/"
    response = patch(client, url, data, **{"If-Match": client.get(url)["ETag"]})
    assert response.status_code == 200, response.content
    return response


def test_an_agents_draft_names_the_agent_and_its_key_in_the_revision_and_the_trail(
    key_client, agent_key, filed
):
    revision = Revision.objects.get(article=filed)
    assert (revision.created_by, revision.created_by_name) == (None, SIFT)
    assert revision.note == f"Filed through the API by {SIFT}"
    event = ArticleEvent.objects.get(article=filed)
    assert (event.action, event.actor, event.actor_name, event.note) == (
        "create",
        None,
        SIFT,
        "Filed through the API",
    )


def test_an_agents_edit_writes_a_revision_and_an_event_naming_the_agent_and_its_key(
    key_client, agent_key, filed
):
    edit(key_client(agent_key), filed, {"dek": "What it means for your router."})

    latest = Revision.objects.filter(article=filed).first()
    assert (latest.number, latest.created_by_name) == (2, SIFT)
    assert latest.data["dek"] == "What it means for your router."
    event = ArticleEvent.objects.filter(article=filed).first()
    assert (event.action, event.actor_name, event.note) == ("edit", SIFT, "Edited through the API")


def test_an_agents_submission_names_the_key_it_came_through(key_client, agent_key, filed):
    assert transition(key_client(agent_key), filed, "submit").status_code == 200
    submitted = ArticleEvent.objects.get(article=filed, action="submit")
    assert (submitted.actor, submitted.actor_name) == (None, SIFT)


def test_two_keys_of_one_agent_are_told_apart(key_client, agent, agent_key, filed):
    night_key = PartnerKeyFactory(name="Night shift", partner="", agent=agent, can_draft=True)
    edit(key_client(night_key), filed, {"dek": "Overnight rewrite."})
    events = ArticleEvent.objects.filter(article=filed).order_by("pk")
    names = list(events.values_list("actor_name", flat=True))
    assert names == [SIFT, "Sift (AI agent, key “Night shift”)"]


def test_a_very_long_agent_name_still_fits_the_record(key_client, technology, sony_release):
    agent = AIAgentFactory(name="A" * 150)
    key = PartnerKeyFactory(name="K" * 50, partner="", agent=agent, can_draft=True)
    response = post(key_client(key), ARTICLES, draft_payload(sony_release))
    assert response.status_code == 201, response.content
    event = ArticleEvent.objects.get(article_id=response.json()["id"])
    assert len(event.actor_name) == 150
    assert event.actor_name.endswith(f" (AI agent, key “{'K' * 50}”)")
    assert Revision.objects.get(article_id=response.json()["id"]).created_by_name == (
        event.actor_name
    )


def test_an_editor_acting_through_a_key_is_named_as_themselves_with_the_key_noted(
    key_client, editor, editor_key, filed
):
    desk = key_client(editor_key)
    edit(desk, filed, {"headline": "Sony widens cloud streaming"})

    latest = Revision.objects.filter(article=filed).first()
    assert (latest.created_by, latest.created_by_name) == (editor, "Maria Okafor")
    event = ArticleEvent.objects.filter(article=filed).first()
    assert (event.action, event.actor, event.actor_name, event.note) == (
        "edit",
        editor,
        "Maria Okafor",
        "Edited through the API with the key “Desk tool”",
    )


def test_the_audit_log_finds_the_agents_work_under_ai_agents(
    client, editor, key_client, agent_key, filed
):
    edit(key_client(agent_key), filed, {"dek": "Shorter."})
    workflow.submit_by_agent(filed, agent=agent_key.agent, key=agent_key)
    client.force_login(editor)
    response = client.get(reverse("admin:articles_articleevent_changelist"), {"who": "agents"})
    listed = [(e.action, e.actor_name) for e in response.context["cl"].result_list]
    assert listed == [("submit", SIFT), ("edit", SIFT), ("create", SIFT)]
