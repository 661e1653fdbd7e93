"""Making and revoking preview links: who may, what the audit trail says, what is stored."""

import datetime as dt
import hashlib

import pytest

from articles.models import ArticleEvent, PreviewLink
from articles.publishing import preview
from tests.articles.publishing.helpers import S, commercial_article, newsroom_article, refusal

pytestmark = pytest.mark.django_db


def test_making_a_link_is_audited_with_whom_it_is_for_and_never_the_token(editor, reporter):
    article = newsroom_article(reporter)

    link, token = preview.create_link(article, by=editor, note="Kestrel's approval")

    event = article.events.get(action="preview_link_created")
    assert (event.actor, event.actor_name) == (editor, "Maria Okafor")
    assert "Kestrel's approval" in event.note
    assert token not in event.note
    assert link.token_hash not in event.note


def test_only_a_hash_of_the_token_is_stored(editor, reporter):
    article = newsroom_article(reporter)

    link, token = preview.create_link(article, by=editor)

    assert len(token) >= 43  # 32 random bytes
    stored = PreviewLink.objects.values().get(pk=link.pk)
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(stored)
    assert not any(token in e.note for e in ArticleEvent.objects.all())


def test_each_link_gets_its_own_token(editor, reporter):
    article = newsroom_article(reporter)
    first, first_token = preview.create_link(article, by=editor)
    second, second_token = preview.create_link(article, by=editor)
    assert first_token != second_token
    assert first.token_hash != second.token_hash


def test_a_link_expires_preview_link_max_age_after_it_is_made(editor, reporter, settings):
    settings.PREVIEW_LINK_MAX_AGE = 3600
    link, _ = preview.create_link(newsroom_article(reporter), by=editor)
    assert link.expires_at - link.created_at == dt.timedelta(hours=1)


def test_revoking_is_audited_once(editor, second_editor, reporter):
    article = newsroom_article(reporter)
    link, token = preview.create_link(article, by=editor, note="the lawyer")

    preview.revoke(link, by=second_editor)
    preview.revoke(link, by=editor)

    link.refresh_from_db()
    assert (link.revoked_by, link.revoked_by_name) == (second_editor, "Sam Ng")
    event = article.events.get(action="preview_link_revoked")
    assert event.actor == second_editor
    assert "the lawyer" in event.note and "Maria Okafor" in event.note
    assert token not in event.note


def test_reporter_cannot_make_or_revoke_links_to_a_commercial_piece(reporter, commercial):
    article = commercial_article(commercial)
    assert refusal(preview.create_link, article, by=reporter) == [
        "Only those who work on this article can share or revoke a preview of it."
    ]
    link, _ = preview.create_link(article, by=commercial)
    assert refusal(preview.revoke, link, by=reporter)
    link.refresh_from_db()
    assert link.revoked_at is None
    assert list(article.events.values_list("action", flat=True)) == ["preview_link_created"]


def test_commercial_desk_cannot_make_links_to_journalism(commercial, reporter):
    article = newsroom_article(reporter)
    assert refusal(preview.create_link, article, by=commercial)
    assert not PreviewLink.objects.exists()


def test_a_reporter_shares_only_their_own_pieces(reporter, other_reporter):
    assert preview.create_link(newsroom_article(reporter), by=reporter)
    assert refusal(preview.create_link, newsroom_article(other_reporter), by=reporter)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (S.DRAFT, True),
        (S.IN_REVIEW, True),
        (S.APPROVED, True),
        (S.SCHEDULED, True),
        (S.PUBLISHED, False),
        (S.UNPUBLISHED, False),
    ],
)
def test_links_are_made_only_for_what_readers_do_not_have_yet(editor, reporter, status, allowed):
    article = newsroom_article(reporter, status=status)
    assert (preview.mint_problem(editor, article) == "") is allowed


def test_an_overlong_note_is_refused_in_words(editor, reporter):
    article = newsroom_article(reporter)
    assert refusal(preview.create_link, article, by=editor, note="x" * 201) == [
        "Say who the link is for in at most 200 characters."
    ]
    assert not PreviewLink.objects.exists()
