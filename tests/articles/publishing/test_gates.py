"""Publish gates: each condition blocks publishing until it is fixed, all listed at once."""

import datetime as dt

import pytest
import time_machine

from articles.models import AIInvolvement, Article, Byline, Sponsorship
from articles.publishing import sponsorships, workflow
from articles.publishing.workflow import WorkflowError, publish_problems
from sources.models import Claim
from tests.articles.publishing.helpers import (
    COMMERCIAL,
    S,
    ai_written,
    fresh,
    newsroom_article,
    put,
    refusal,
    status_of,
)
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AttributionFactory,
    BylineFactory,
    ClaimFactory,
    ImageFactory,
    SectionFactory,
    SponsorFactory,
    make_publishable,
)

pytestmark = pytest.mark.django_db


# -- publish gates: one per condition, each listed and then fixed ---------------------


def assert_blocks_publishing(article: Article, editor, message: str) -> None:
    assert message in publish_problems(fresh(article))
    problems = refusal(workflow.publish, article, by=editor)
    assert message in problems
    assert status_of(article) == S.APPROVED
    assert not article.events.filter(action="publish").exists()


def assert_publishes(article: Article, editor) -> None:
    assert publish_problems(fresh(article)) == []
    workflow.publish(article, by=editor)
    assert status_of(article) == S.PUBLISHED


def test_missing_headline_blocks_publishing(editor, reporter):
    article = newsroom_article(reporter, S.APPROVED, headline="   ")
    assert_blocks_publishing(article, editor, "Add a headline.")

    article.headline = "Sony's profit rises"
    article.save()
    assert_publishes(article, editor)


def test_empty_body_blocks_publishing(editor, reporter):
    article = newsroom_article(reporter, S.APPROVED)
    article.body = "<p></p>"
    article.save()
    assert_blocks_publishing(article, editor, "Write the body.")

    article.body = "<p>Sony said its profit rose. Shares gained.</p>"
    article.save()
    assert_publishes(article, editor)


def test_missing_section_blocks_publishing(editor, reporter):
    article = newsroom_article(reporter, S.APPROVED, section=None)
    assert_blocks_publishing(article, editor, "Choose a section.")

    article.section = SectionFactory(name="Business", slug="business")
    article.save()
    assert_publishes(article, editor)


def test_missing_byline_blocks_publishing(editor, reporter):
    article = newsroom_article(reporter, S.APPROVED)
    priya = article.bylines.get().author
    article.bylines.all().delete()
    assert_blocks_publishing(article, editor, "Add at least one byline.")

    BylineFactory(article=article, author=priya)
    assert_publishes(article, editor)


def test_claim_without_a_source_blocks_publishing(editor, reporter):
    article = newsroom_article(
        reporter, S.APPROVED, body="<p>Sony said its profit rose. Analysts expect more.</p>"
    )
    claim = ClaimFactory(article=article, text="Analysts expect more.")
    assert_blocks_publishing(article, editor, "The claim “Analysts expect more.” has no source.")

    AttributionFactory(claim=claim)
    assert_publishes(article, editor)


def test_claim_no_longer_in_the_body_blocks_publishing(editor, reporter):
    article = newsroom_article(reporter, S.APPROVED)
    article.body = "<p>Profit at Sony rose, the company said.</p>"
    article.save()
    assert_blocks_publishing(
        article, editor, "The claim “Sony said its profit rose.” no longer appears in the body."
    )

    Claim.objects.filter(article=article).update(text="Profit at Sony rose")
    assert_publishes(article, editor)


def test_ai_written_piece_needs_a_human_review_to_publish(editor, second_editor, reporter):
    article = ai_written(newsroom_article(reporter, S.APPROVED))
    assert_blocks_publishing(
        article,
        editor,
        "An AI agent is in the byline: a human editor must record a review before it is published.",
    )

    workflow.record_review(article, by=second_editor)
    assert_publishes(article, editor)


def test_edit_after_the_review_needs_a_new_review(editor, second_editor, reporter):
    article = ai_written(newsroom_article(reporter, S.APPROVED))
    review = workflow.record_review(article, by=second_editor)
    article.body += "<p>Analysts expect more in the spring.</p>"
    article.save()
    assert article.version == review.version + 1
    assert_blocks_publishing(
        article,
        editor,
        f"Sam Ng reviewed version {review.version}, but the article has changed since "
        f"(version {article.version}): record a new review.",
    )

    workflow.record_review(article, by=second_editor)
    assert_publishes(article, editor)


def test_understated_ai_involvement_blocks_publishing(editor, second_editor, reporter):
    article = ai_written(newsroom_article(reporter, S.APPROVED), involvement=AIInvolvement.NONE)
    workflow.record_review(article, by=second_editor)
    assert_blocks_publishing(
        article,
        editor,
        "Ledger is an AI agent in the byline, so AI involvement must be at least “AI-generated”.",
    )

    # Declaring it is an edit, so the reviewer signs off the corrected version too.
    article.ai_involvement = AIInvolvement.GENERATED
    article.save()
    workflow.record_review(article, by=second_editor)
    assert_publishes(article, editor)


def test_ai_research_byline_needs_at_least_ai_assisted(editor, second_editor, reporter):
    article = newsroom_article(reporter, S.APPROVED)
    BylineFactory(article=article, author=AIAgentFactory(name="Ledger"), role=Byline.Role.RESEARCH)
    workflow.record_review(article, by=second_editor)
    assert_blocks_publishing(
        article,
        editor,
        "Ledger is an AI agent in the byline, so AI involvement must be at least “AI-assisted”.",
    )


@time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC), tick=False)
def test_sponsored_piece_cannot_run_outside_its_campaign(commercial, administrator):
    article = ArticleFactory(created_by=commercial, desk=COMMERCIAL)
    make_publishable(article)
    sponsorships.set_sponsorship(
        article,
        by=commercial,
        sponsor=SponsorFactory(name="Acme Robotics"),
        kind=Sponsorship.Kind.NATIVE_ADVERTISING,
        disclosure="Paid for by Acme Robotics; produced by our commercial desk.",
        campaign_starts_on=dt.date(2026, 10, 1),
        campaign_ends_on=dt.date(2026, 10, 31),
    )
    workflow.submit(article, by=commercial)
    workflow.approve(article, by=administrator)
    assert_blocks_publishing(
        article,
        commercial,
        "The sponsor's campaign runs from 1 October 2026 to 31 October 2026, so the piece "
        "cannot be published on 2 November 2026.",
    )

    # The sponsorship is fixed on a draft, and the piece goes through review again.
    workflow.request_changes(article, by=administrator, note="The campaign was extended.")
    sponsorships.set_sponsorship(
        article,
        by=commercial,
        sponsor=SponsorFactory(name="Acme Robotics Ltd"),
        kind=Sponsorship.Kind.NATIVE_ADVERTISING,
        disclosure="Paid for by Acme Robotics; produced by our commercial desk.",
        campaign_starts_on=dt.date(2026, 10, 1),
        campaign_ends_on=dt.date(2026, 11, 30),
    )
    workflow.submit(article, by=commercial)
    workflow.approve(article, by=administrator)
    assert_publishes(article, commercial)


def test_lead_image_without_alt_text_blocks_publishing(editor, reporter):
    image = ImageFactory(alt_text="")
    article = newsroom_article(reporter, S.APPROVED, lead_image=image)
    assert_blocks_publishing(article, editor, "The lead image needs alt text.")

    image.alt_text = "Sony's headquarters in Tokyo at dusk."
    image.save()
    assert_publishes(article, editor)


def test_every_failing_gate_is_listed_at_once(editor, reporter):
    image = ImageFactory(alt_text="")
    article = ArticleFactory(
        created_by=reporter, headline="", section=None, lead_image=image, body="<p>Draft.</p>"
    )
    ClaimFactory(article=article, text="Draft.")
    put(article, S.APPROVED)
    expected = [
        "Add a headline.",
        "Choose a section.",
        "Add at least one byline.",
        "The claim “Draft.” has no source.",
        "The lead image needs alt text.",
    ]

    assert publish_problems(fresh(article)) == expected
    with pytest.raises(WorkflowError) as exc:
        workflow.publish(article, by=editor)
    assert exc.value.problems == expected
    assert str(exc.value) == " ".join(expected)
