"""Workflow steps through the API: agents submit their own drafts, editors' keys take
the other steps through the admin's gates and with no more than the editor's rights."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import AIInvolvement, Article, ArticleEvent
from articles.publishing import workflow
from tests.articles.api.helpers import ARTICLES, draft_payload, patch, post, transition
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    ClaimFactory,
    PartnerKeyFactory,
    UserFactory,
    make_publishable,
    verify_claims,
)
from tests.wording import reviewed_on

pytestmark = pytest.mark.django_db

# -- an agent's workflow steps -----------------------------------------------------------------


def test_agent_submits_its_draft_for_review(key_client, agent_key, filed):
    sift = key_client(agent_key)
    response = transition(sift, filed, "submit")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_review"
    event = ArticleEvent.objects.get(article=filed, action="submit")
    assert event.actor_name == "Sift (AI agent, key “Sift drafts”)"
    # Past the draft stage the agent's text is the editors'.
    url = f"{ARTICLES}{filed.pk}/"
    assert patch(sift, url, {"dek": "x"}, **{"If-Match": sift.get(url)["ETag"]}).status_code == 403


@pytest.mark.parametrize("step", ["approve", "publish", "schedule", "request_changes"])
def test_agent_cannot_take_editors_steps(key_client, agent_key, filed, step):
    extra = {"scheduled_for": (timezone.now() + dt.timedelta(days=1)).isoformat(), "note": "n"}
    response = transition(key_client(agent_key), filed, step, **extra)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert Article.objects.get(pk=filed.pk).status == Article.Status.DRAFT


def test_agent_cannot_submit_another_agents_draft(key_client, agent_key):
    theirs = BylineFactory(author=AIAgentFactory()).article
    assert transition(key_client(agent_key), theirs, "submit").status_code == 404


# -- editors' keys ----------------------------------------------------------------------


def test_editor_key_cannot_publish_an_unsourced_article(key_client, editor_key):
    article = ArticleFactory(status=Article.Status.APPROVED)
    BylineFactory(article=article)
    ClaimFactory(article=article, text="Sony said its profit rose.")  # and no source

    response = transition(key_client(editor_key), article, "publish")

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The claim “Sony said its profit rose.” has no source."
    assert Article.objects.get(pk=article.pk).status == Article.Status.APPROVED


def test_editor_key_lists_every_reason_a_piece_cannot_be_published(key_client, editor_key):
    article = ArticleFactory(status=Article.Status.APPROVED, section=None, body="")
    detail = transition(key_client(editor_key), article, "publish").json()["detail"]
    for reason in ("Write the body.", "Choose a section.", "Add at least one byline."):
        assert reason in detail


def test_an_ai_piece_is_published_only_after_a_human_review(
    key_client, agent_key, editor_key, second_editor, filed
):
    editor = key_client(editor_key)
    assert transition(key_client(agent_key), filed, "submit").status_code == 200
    assert transition(editor, filed, "approve").json()["status"] == "approved"

    refused = transition(editor, filed, "publish")
    assert refused.status_code == 409
    assert "a human editor must record a review" in refused.json()["detail"]

    workflow.record_review(filed, by=second_editor, note="Checked both claims.")
    verify_claims(filed)
    published = transition(editor, filed, "publish")

    assert published.status_code == 200, published.content
    data = published.json()
    assert data["status"] == "published"
    assert data["url"].endswith(f"/articles/{filed.slug}/")
    assert data["reviewed_by"]["reviewer"] == "Sam Ng"
    assert data["byline_text"].endswith(f"reviewed by Sam Ng on {reviewed_on(filed.reviews.get())}")
    assert ArticleEvent.objects.get(article=filed, action="publish").actor_name == "Maria Okafor"


def test_editor_key_sends_a_piece_back_with_a_note(key_client, editor_key):
    article = make_publishable(ArticleFactory(status=Article.Status.IN_REVIEW))
    editor = key_client(editor_key)
    assert transition(editor, article, "request_changes").status_code == 409  # needs a note
    response = transition(editor, article, "request_changes", note="Source the second figure.")
    assert response.json()["status"] == "draft"


def test_editor_key_schedules_through_the_gates(key_client, editor_key):
    article = make_publishable(ArticleFactory(status=Article.Status.APPROVED))
    editor = key_client(editor_key)
    assert transition(editor, article, "schedule").status_code == 400  # when?
    when = timezone.now() + dt.timedelta(days=1)
    response = transition(editor, article, "schedule", scheduled_for=when.isoformat())
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "scheduled"


def test_editor_key_files_a_draft_bylining_an_agent_and_declares_ai_involvement(
    key_client, editor_key, technology, sony_release
):
    agent = AIAgentFactory(name="Sift")
    human = AuthorFactory(name="Ada Reyes")
    payload = draft_payload(
        sony_release,
        bylines=[{"author": human.slug}, {"author": agent.slug, "role": "research"}],
    )
    response = post(key_client(editor_key), ARTICLES, payload)
    assert response.status_code == 201, response.content
    data = response.json()
    assert [(b["author"]["name"], b["role"]) for b in data["bylines"]] == [
        ("Ada Reyes", "by"),
        ("Sift", "research"),
    ]
    # An agent doing research makes the piece at least AI-assisted.
    assert data["ai_involvement"]["level"] == AIInvolvement.ASSISTED
    assert Article.objects.get(pk=data["id"]).created_by.username == "editor"


def test_editor_key_edits_only_what_the_editor_may(key_client, editor_key, commercial):
    editor = key_client(editor_key)
    newsroom_draft = make_publishable(ArticleFactory())
    url = f"{ARTICLES}{newsroom_draft.pk}/"
    response = patch(editor, url, {"dek": "Edited."}, **{"If-Match": editor.get(url)["ETag"]})
    assert response.status_code == 200
    commercial_draft = ArticleFactory(desk=Article.Desk.COMMERCIAL)
    assert patch(editor, f"{ARTICLES}{commercial_draft.pk}/", {"dek": "x"}).status_code == 404


def test_a_key_acts_with_no_more_than_its_accounts_permissions(key_client, technology):
    nobody = UserFactory(username="intern", is_staff=True)  # staff, but in no role
    key = PartnerKeyFactory(partner="", user=nobody, can_draft=True, can_transition=True)
    response = post(key_client(key), ARTICLES, {"headline": "H", "body": "<p>B</p>"})
    assert response.status_code == 403
    assert not Article.objects.exists()
