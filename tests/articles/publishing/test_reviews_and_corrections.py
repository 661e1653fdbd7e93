"""Human review of AI-written pieces, and corrections to published articles."""

import pytest
import time_machine
from django.utils import timezone

from articles.models import Correction
from articles.publishing import workflow
from tests.articles.publishing.helpers import (
    S,
    ai_written,
    fresh,
    newsroom_article,
    refusal,
    status_of,
)

pytestmark = pytest.mark.django_db


# -- human review -----------------------------------------------------------------------


def test_editor_who_submitted_cannot_review_it(editor, reporter):
    article = ai_written(newsroom_article(reporter))
    workflow.submit(article, by=editor)
    assert refusal(workflow.record_review, article, by=editor) == [
        "You submitted this article; another editor must review it."
    ]
    assert not article.reviews.exists()


def test_another_editor_reviews_and_is_named_with_the_version(editor, second_editor, reporter):
    article = ai_written(newsroom_article(reporter))
    workflow.submit(article, by=editor)
    review = workflow.record_review(article, by=second_editor, note="Checked every figure.")

    article.refresh_from_db()
    assert (review.reviewer, review.reviewer_name, review.version, review.note) == (
        second_editor,
        "Sam Ng",
        article.version,
        "Checked every figure.",
    )
    assert fresh(article).latest_review == review
    event = article.events.get(action="review")
    assert (event.actor, event.note) == (second_editor, "Checked every figure.")


def test_review_is_refused_on_a_draft(editor, reporter):
    article = ai_written(newsroom_article(reporter))
    assert refusal(workflow.record_review, article, by=editor) == [
        "Only a submitted or published article can be reviewed."
    ]


def test_reporter_cannot_record_a_review(reporter, other_reporter):
    article = ai_written(newsroom_article(reporter, S.IN_REVIEW))
    assert refusal(workflow.record_review, article, by=other_reporter) == [
        "You do not have permission to review this article."
    ]


# -- corrections --------------------------------------------------------------------------


def test_draft_that_never_ran_cannot_be_corrected(editor, reporter):
    article = newsroom_article(reporter)
    problems = refusal(
        workflow.add_correction,
        article,
        by=editor,
        kind=Correction.Kind.CORRECTION,
        text="The quarter was the third.",
    )
    assert problems == ["Corrections are for published articles; edit the draft instead."]
    assert not Correction.objects.exists()


def test_correction_is_dated_appended_and_logged(editor, reporter):
    article = newsroom_article(reporter, S.PUBLISHED)
    moment = timezone.now().replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        correction = workflow.add_correction(
            article,
            by=editor,
            kind=Correction.Kind.CORRECTION,
            text="An earlier version gave the wrong quarter.",
        )

    assert list(article.corrections.all()) == [correction]
    assert (correction.created_at, correction.created_by) == (moment, editor)
    event = article.events.get()
    assert (event.action, event.note) == (
        "correction:correction",
        "An earlier version gave the wrong quarter.",
    )
    assert status_of(article) == S.PUBLISHED
    assert fresh(article).last_correction_at == moment


def test_empty_correction_is_refused(editor, reporter):
    article = newsroom_article(reporter, S.PUBLISHED)
    problems = refusal(
        workflow.add_correction, article, by=editor, kind=Correction.Kind.UPDATE, text="  "
    )
    assert problems == ["Write the correction."]


def test_reporter_cannot_add_a_correction(reporter):
    article = newsroom_article(reporter, S.PUBLISHED)
    problems = refusal(
        workflow.add_correction, article, by=reporter, kind=Correction.Kind.UPDATE, text="Update."
    )
    assert problems == ["You do not have permission to add corrections to this article."]


def test_retraction_also_takes_the_piece_down(editor, reporter):
    article = newsroom_article(reporter, S.PUBLISHED)
    workflow.add_correction(
        article,
        by=editor,
        kind=Correction.Kind.RETRACTION,
        text="The central claim could not be substantiated.",
    )

    assert status_of(article) == S.UNPUBLISHED
    assert article.corrections.get().kind == Correction.Kind.RETRACTION
    actions = list(article.events.order_by("pk").values_list("action", "note"))
    assert actions == [
        ("correction:retraction", "The central claim could not be substantiated."),
        ("unpublish", "Retracted: The central claim could not be substantiated."),
    ]
