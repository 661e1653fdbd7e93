"""Four eyes: sponsored and AI-written pieces are approved by a second person, through
the workflow, the article page and the API alike; other newsroom pieces when configured."""

import pytest
from django.urls import reverse

from articles.publishing import workflow
from tests.articles.admin.helpers import change_url
from tests.articles.api.helpers import transition
from tests.articles.publishing.helpers import (
    S,
    ai_written,
    commercial_article,
    newsroom_article,
    refusal,
    status_of,
)
from tests.factories import PartnerKeyFactory

pytestmark = pytest.mark.django_db

SPONSORED = (
    "This is a sponsored piece: someone other than the person who created or submitted it "
    "must approve it."
)
AI_WRITTEN = (
    "This is a piece written with an AI agent: someone other than the person who created or "
    "submitted it must approve it."
)


def test_the_commercial_editor_who_made_a_sponsored_piece_cannot_approve_it(
    commercial, second_commercial
):
    article = commercial_article(commercial, S.IN_REVIEW)
    assert refusal(workflow.approve, article, by=commercial) == [SPONSORED]
    assert status_of(article) == S.IN_REVIEW

    workflow.approve(article, by=second_commercial)
    assert status_of(article) == S.APPROVED


def test_whoever_submitted_a_sponsored_piece_cannot_approve_it(commercial, second_commercial):
    article = commercial_article(commercial, S.DRAFT)
    workflow.submit(article, by=second_commercial)
    assert refusal(workflow.approve, article, by=second_commercial) == [SPONSORED]


def test_the_editor_who_submitted_an_ai_written_piece_cannot_approve_it(
    reporter, editor, second_editor
):
    article = ai_written(newsroom_article(reporter, S.DRAFT))
    workflow.submit(article, by=editor)
    assert refusal(workflow.approve, article, by=editor) == [AI_WRITTEN]

    workflow.approve(article, by=second_editor)
    assert status_of(article) == S.APPROVED


def test_an_editor_may_approve_their_own_human_written_piece_by_default(editor):
    article = newsroom_article(editor, S.DRAFT)
    workflow.submit(article, by=editor)
    workflow.approve(article, by=editor)
    assert status_of(article) == S.APPROVED


def test_with_second_approval_on_every_newsroom_piece_needs_another_editor(
    settings, editor, second_editor
):
    settings.NEWSROOM_SECOND_APPROVAL = True
    article = newsroom_article(editor, S.DRAFT)
    workflow.submit(article, by=editor)
    assert refusal(workflow.approve, article, by=editor) == [
        "This is a piece: someone other than the person who created or submitted it must "
        "approve it."
    ]
    workflow.approve(article, by=second_editor)
    assert status_of(article) == S.APPROVED


def test_the_article_page_offers_approve_only_to_a_second_person(
    client, commercial, second_commercial
):
    article = commercial_article(commercial, S.IN_REVIEW)
    client.force_login(commercial)
    assert 'value="approve"' not in client.get(change_url(article)).content.decode()

    response = client.post(
        reverse("admin:articles_article_transition", args=[article.pk, "approve"]), follow=True
    )
    assert SPONSORED in response.content.decode()
    assert status_of(article) == S.IN_REVIEW

    client.force_login(second_commercial)
    assert 'value="approve"' in client.get(change_url(article)).content.decode()


def test_an_editors_key_cannot_approve_what_that_editor_submitted(
    key_client, reporter, editor, second_editor
):
    article = ai_written(newsroom_article(reporter, S.DRAFT))
    workflow.submit(article, by=editor)
    key = PartnerKeyFactory(partner="", user=editor, can_draft=True, can_transition=True)

    response = transition(key_client(key), article, "approve")
    assert response.status_code in (400, 409), response.content
    assert AI_WRITTEN in response.content.decode()
    assert status_of(article) == S.IN_REVIEW
