"""Who may take each transition, refusals that say why, and the signal sent after commit."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, ArticleEvent, Byline
from articles.publishing import workflow
from articles.publishing.workflow import publish_problems
from tests.articles.publishing.helpers import (
    COMMERCIAL,
    NEWSROOM,
    S,
    commercial_article,
    fresh,
    newsroom_article,
    refusal,
    status_of,
)
from tests.factories import AuthorFactory, BylineFactory

pytestmark = pytest.mark.django_db

ROLES = ["reporter", "other_reporter", "editor", "commercial", "administrator"]

# Who may take each transition, written out by hand rather than read from the code.
# On newsroom articles the reporter is the one who created the piece.
MAY = {
    NEWSROOM: {
        "submit": {"reporter", "editor", "administrator"},
        "request_changes": {"editor", "administrator"},
        "approve": {"editor", "administrator"},
        "schedule": {"editor", "administrator"},
        "unschedule": {"editor", "administrator"},
        "publish": {"editor", "administrator"},
        "unpublish": {"editor", "administrator"},
        "reopen": {"editor", "administrator"},
    },
    COMMERCIAL: {
        name: {"commercial", "administrator"}
        for name in [
            "submit",
            "request_changes",
            "approve",
            "schedule",
            "unschedule",
            "publish",
            "unpublish",
            "reopen",
        ]
    },
}

# Every way out of every state: (transition, from, to).
MOVES = [
    ("submit", S.DRAFT, S.IN_REVIEW),
    ("request_changes", S.IN_REVIEW, S.DRAFT),
    ("request_changes", S.APPROVED, S.DRAFT),
    ("approve", S.IN_REVIEW, S.APPROVED),
    ("schedule", S.APPROVED, S.SCHEDULED),
    ("unschedule", S.SCHEDULED, S.APPROVED),
    ("publish", S.APPROVED, S.PUBLISHED),
    ("publish", S.SCHEDULED, S.PUBLISHED),
    ("unpublish", S.PUBLISHED, S.UNPUBLISHED),
    ("reopen", S.UNPUBLISHED, S.DRAFT),
]

NOTE = "The second source does not say this; please check."


def take(name: str, article: Article, user) -> Article:
    """Call the workflow function for transition ``name`` with what it needs."""
    if name in {"request_changes", "unpublish"}:
        return getattr(workflow, name)(article, by=user, note=NOTE)
    if name == "schedule":
        return workflow.schedule(article, by=user, at=timezone.now() + dt.timedelta(hours=2))
    return getattr(workflow, name)(article, by=user)


# -- the role × transition matrix -----------------------------------------------------


def test_the_matrix_below_covers_every_transition_and_source_state():
    assert {(name, source) for name, source, _ in MOVES} == {
        (t.name, source) for t in workflow.TRANSITIONS.values() for source in t.sources
    }
    assert set(MAY[NEWSROOM]) == set(MAY[COMMERCIAL]) == set(workflow.TRANSITIONS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "source", "target"), MOVES, ids=[f"{n}-from-{s}" for n, s, _ in MOVES]
)
@pytest.mark.parametrize("desk", [NEWSROOM, COMMERCIAL])
def test_only_the_right_roles_move_an_article_through_each_transition(
    desk, name, source, target, role, request
):
    reporter = request.getfixturevalue("reporter")
    # Made by a colleague: who may approve a sponsored piece is the four-eyes tests' subject.
    second_commercial = request.getfixturevalue("second_commercial")
    user = request.getfixturevalue(role)
    if desk == NEWSROOM:
        article = newsroom_article(reporter, source)
    else:
        article = commercial_article(second_commercial, source)
    assert publish_problems(fresh(article)) == []

    if role in MAY[desk][name]:
        take(name, article, user)

        article.refresh_from_db()
        assert article.status == target
        assert (article.scheduled_for is not None) == (target == S.SCHEDULED)
        assert (article.published_at is not None) == (
            target == S.PUBLISHED or source in {S.PUBLISHED, S.UNPUBLISHED}
        )
        event = article.events.get()
        assert (event.action, event.actor, event.from_status, event.to_status) == (
            name,
            user,
            source,
            target,
        )
    else:
        refusal(take, name, article, user)

        assert status_of(article) == source
        assert not article.events.exists()


# -- refusals say why ------------------------------------------------------------------


def test_reporter_cannot_publish(reporter):
    article = newsroom_article(reporter, S.APPROVED)
    assert refusal(workflow.publish, article, by=reporter) == [
        "You do not have permission to publish now."
    ]
    assert status_of(article) == S.APPROVED


def test_reporter_cannot_submit_another_reporters_article(reporter, other_reporter):
    article = newsroom_article(reporter)
    assert refusal(workflow.submit, article, by=other_reporter) == [
        "Reporters can only submit their own articles."
    ]


def test_newsroom_editor_cannot_touch_a_commercial_piece(editor, commercial):
    article = commercial_article(commercial, S.APPROVED)
    assert refusal(workflow.publish, article, by=editor) == [
        "Only the commercial desk works on sponsored content."
    ]


def test_commercial_desk_cannot_touch_a_newsroom_article(commercial, reporter):
    article = newsroom_article(reporter, S.APPROVED)
    assert refusal(workflow.publish, article, by=commercial) == [
        "The commercial desk cannot work on newsroom articles."
    ]


def test_commercial_editor_bylined_on_a_newsroom_article_cannot_publish_it(commercial, reporter):
    article = newsroom_article(reporter, S.APPROVED)
    BylineFactory(article=article, author=AuthorFactory(user=commercial), role=Byline.Role.RESEARCH)
    assert refusal(workflow.publish, article, by=commercial) == [
        "The commercial desk cannot work on newsroom articles."
    ]
    assert status_of(article) == S.APPROVED


@pytest.mark.parametrize(
    ("name", "status", "said"),
    [
        ("publish", S.DRAFT, "a draft"),
        ("approve", S.APPROVED, "approved"),
        ("submit", S.IN_REVIEW, "in review"),
        ("unpublish", S.DRAFT, "a draft"),
        ("reopen", S.PUBLISHED, "published"),
        ("unschedule", S.APPROVED, "approved"),
    ],
)
def test_transition_from_the_wrong_state_is_refused_naming_the_state(
    editor, reporter, name, status, said
):
    article = newsroom_article(reporter, status)
    [problem] = refusal(take, name, article, editor)
    assert f"while the article is {said}" in problem
    assert status_of(article) == status
    assert not article.events.exists()


@pytest.mark.parametrize(
    ("name", "status"), [("request_changes", S.IN_REVIEW), ("unpublish", S.PUBLISHED)]
)
@pytest.mark.parametrize("note", ["", "   "])
def test_a_note_is_required_to_send_back_or_take_down(editor, reporter, name, status, note):
    article = newsroom_article(reporter, status)
    [problem] = refusal(getattr(workflow, name), article, by=editor, note=note)
    assert "needs a note" in problem
    assert status_of(article) == status


def test_requested_changes_reach_the_author_as_a_note(editor, reporter):
    article = newsroom_article(reporter)
    workflow.submit(article, by=reporter)
    workflow.request_changes(article, by=editor, note="Name the analyst you quote.")

    assert status_of(article) == S.DRAFT
    latest = Article.objects.get(pk=article.pk).events.first()
    assert (latest.action, latest.actor_name, latest.note) == (
        "request_changes",
        "Maria Okafor",
        "Name the analyst you quote.",
    )
    # Back to a draft, the author can rework it and send it again.
    workflow.submit(article, by=reporter)
    assert status_of(article) == S.IN_REVIEW


def test_publishing_stamps_the_first_publication_time_and_keeps_it(editor, reporter):
    article = newsroom_article(reporter, S.APPROVED)
    first = timezone.now() - dt.timedelta(days=3)
    with time_machine.travel(first, tick=False):
        workflow.publish(article, by=editor)
    workflow.unpublish(article, by=editor, note="Legal asked us to check a quote.")
    workflow.reopen(article, by=editor)
    workflow.submit(article, by=editor)
    workflow.approve(article, by=editor)
    workflow.publish(article, by=editor)

    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    assert article.published_at == first


def test_a_state_change_is_not_a_content_edit(editor, reporter):
    article = newsroom_article(reporter, S.IN_REVIEW)
    version = article.version
    workflow.approve(article, by=editor)
    workflow.publish(article, by=editor)
    article.refresh_from_db()
    assert article.version == version


# -- telling the rest of the system ------------------------------------------------------


def test_article_changed_is_sent_once_after_commit(
    editor, reporter, django_capture_on_commit_callbacks
):
    article = newsroom_article(reporter, S.APPROVED)
    heard = []

    def listener(sender, article, action, **kwargs):
        heard.append((article.pk, action, status_of(article)))

    workflow.article_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            workflow.publish(article, by=editor)
            assert heard == []  # nothing is said before the change is committed
        assert len(callbacks) == 1
        assert heard == [(article.pk, "publish", S.PUBLISHED)]
    finally:
        workflow.article_changed.disconnect(listener)


def test_refused_action_sends_nothing(editor, reporter, django_capture_on_commit_callbacks):
    article = newsroom_article(reporter, S.DRAFT)
    with django_capture_on_commit_callbacks() as callbacks:
        refusal(workflow.publish, article, by=editor)
    assert callbacks == []


def test_events_name_the_scheduler_when_nobody_acted():
    event = ArticleEvent(action="publish", created_at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC))
    assert str(event) == "publish by the scheduler at 2026-11-02 09:00"
