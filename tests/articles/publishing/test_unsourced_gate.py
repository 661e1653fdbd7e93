"""Unsourced statements as a publish gate: blocking for AI-written pieces while the setting
is on (the default), advice for everyone else's, and making a sentence a claim as an edit
of the article."""

import pytest

from articles.models import AIInvolvement, Article
from articles.publishing import workflow
from articles.publishing.claiming import make_claim
from articles.publishing.gates import publish_warnings
from articles.publishing.workflow import WorkflowError, publish_problems
from sources.models import Claim
from tests.articles.publishing.helpers import (
    S,
    ai_written,
    fresh,
    newsroom_article,
    put,
    refusal,
    status_of,
)
from tests.factories import AIAgentFactory, AttributionFactory, BylineFactory, verify_claims

pytestmark = pytest.mark.django_db

BODY = (
    "<p>Sony said its profit rose. Analysts expect more.</p>"
    "<p>Revenue rose 12% in March. The results were published on Tuesday.</p>"
)


def with_body(article: Article, body: str = BODY) -> Article:
    article.body = body
    article.save()
    return article


def unsourced_problem(article: Article) -> list[str]:
    return [p for p in publish_problems(fresh(article)) if "unsourced" in p]


def test_an_ai_written_piece_with_unsourced_statements_cannot_be_published(
    editor, second_editor, reporter
):
    article = with_body(ai_written(newsroom_article(reporter, S.APPROVED)))
    workflow.record_review(article, by=second_editor)
    message = (
        "This piece was written by AI, and it has 2 unsourced statements: “Revenue rose 12% "
        "in March.”; “The results were published on Tuesday.”. Make each a claim and give it "
        "its source, or rewrite it."
    )
    assert unsourced_problem(article) == [message]
    assert message in refusal(workflow.publish, article, by=editor)
    assert status_of(article) == S.APPROVED

    for text in ["Revenue rose 12% in March.", "The results were published on Tuesday."]:
        claim = make_claim(article, text, by=editor)
        AttributionFactory(claim=claim)
    verify_claims(article)
    workflow.record_review(article, by=second_editor)
    assert publish_problems(fresh(article)) == []
    workflow.publish(article, by=editor)
    assert status_of(article) == S.PUBLISHED


def test_an_ai_generated_piece_is_gated_even_with_a_human_byline(editor, reporter):
    article = with_body(newsroom_article(reporter, S.APPROVED, ai_involvement="generated"))
    assert unsourced_problem(article)
    assert publish_warnings(fresh(article)) == []


def test_the_gate_names_the_count_and_only_the_first_three_sentences(reporter):
    body = "".join(f"<p>Sales rose {n}% in week {n}.</p>" for n in range(1, 6))
    article = with_body(ai_written(newsroom_article(reporter, S.APPROVED)), body)
    (problem,) = unsourced_problem(article)
    assert "5 unsourced statements: “Sales rose 1% in week 1.”" in problem
    assert "“Sales rose 3% in week 3.”; and 2 more." in problem
    assert "week 4" not in problem


def test_with_the_setting_off_an_ai_piece_is_advised_not_blocked(
    settings, editor, second_editor, reporter
):
    settings.UNSOURCED_STATEMENTS_BLOCK_AI = False
    article = with_body(ai_written(newsroom_article(reporter, S.APPROVED)))
    workflow.record_review(article, by=second_editor)
    assert unsourced_problem(article) == []
    assert publish_warnings(fresh(article)) == [
        "Advice, not blocking: 2 unsourced statements: “Revenue rose 12% in March.”; “The "
        "results were published on Tuesday.”. Consider making them claims with sources."
    ]
    workflow.publish(article, by=editor)
    assert status_of(article) == S.PUBLISHED


def test_a_human_piece_is_only_advised_and_publishes(editor, reporter):
    article = with_body(newsroom_article(reporter, S.APPROVED))
    assert article.ai_involvement == AIInvolvement.NONE
    assert unsourced_problem(article) == []
    (warning,) = publish_warnings(fresh(article))
    assert warning.startswith("Advice, not blocking: 2 unsourced statements")
    workflow.publish(article, by=editor)
    assert status_of(article) == S.PUBLISHED


def test_an_ai_research_byline_counts_as_ai_written(reporter):
    article = with_body(newsroom_article(reporter, S.APPROVED, ai_involvement="assisted"))
    BylineFactory(article=article, author=AIAgentFactory(), role="research")
    assert unsourced_problem(article)


def test_a_live_ai_piece_is_advised_not_gated_so_its_edits_are_held_to_the_review(reporter):
    article = put(with_body(ai_written(newsroom_article(reporter, S.APPROVED))), S.PUBLISHED)
    assert unsourced_problem(article) == []
    assert publish_warnings(fresh(article))


# -- making a sentence a claim ------------------------------------------------------------


def test_making_a_claim_adds_it_in_body_order_as_an_edit(editor, reporter):
    article = with_body(newsroom_article(reporter, S.DRAFT))
    version = article.version
    make_claim(article, " Revenue rose 12% in March. ", by=editor)
    assert list(article.claims.order_by("position").values_list("text", flat=True)) == [
        "Sony said its profit rose.",
        "Revenue rose 12% in March.",
    ]
    assert article.claims.get(text="Revenue rose 12% in March.").position > 0
    article.refresh_from_db()
    assert article.version == version + 1
    event = article.events.get(action="claim_added")
    assert event.note == "Made a claim: “Revenue rose 12% in March.”."
    assert article.revisions.exists()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "This field cannot be blank."),
        ("Revenue fell.", "This text does not appear in the article body. Quote it exactly."),
        ("Sony said its profit rose.", "This sentence is a claim already."),
        ("x" * 1001, "This sentence is too long for a claim: quote part of it."),
    ],
)
def test_making_a_claim_of_text_that_cannot_be_one_is_refused(editor, reporter, text, reason):
    article = with_body(newsroom_article(reporter, S.DRAFT))
    assert refusal(make_claim, article, text, by=editor) == [reason]
    assert article.claims.count() == 1


def test_only_those_who_may_edit_the_piece_now_may_make_a_claim(reporter, other_reporter):
    article = with_body(newsroom_article(reporter, S.IN_REVIEW))
    with pytest.raises(WorkflowError):
        make_claim(article, "Revenue rose 12% in March.", by=other_reporter)
    assert not Claim.objects.filter(text="Revenue rose 12% in March.").exists()


def test_a_live_piece_refuses_a_claim_without_its_source(editor, reporter):
    article = put(with_body(newsroom_article(reporter, S.APPROVED)), S.PUBLISHED)
    problems = refusal(make_claim, article, "Revenue rose 12% in March.", by=editor)
    assert problems == ["The claim “Revenue rose 12% in March.” has no source."]
    assert article.claims.count() == 1
    assert not article.events.filter(action="claim_added").exists()
