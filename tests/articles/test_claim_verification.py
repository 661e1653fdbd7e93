"""Every claim of an AI-written piece verified by a human against its source, before it
runs: the checks, who may make them, and the publish gate through every door."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import AIInvolvement, Article, ArticleEvent
from articles.publishing import verification, workflow
from articles.publishing.gates import publish_problems
from sources.models import ClaimCheck
from tests.articles.api.helpers import transition
from tests.articles.publishing.helpers import fresh, newsroom_article, put, refusal, status_of
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AttributionFactory,
    BylineFactory,
    ClaimFactory,
)

pytestmark = pytest.mark.django_db

S = Article.Status
BODY = "<p>Sony said its profit rose. Analysts expect more. Shipments doubled in March.</p>"
PROFIT, SHIPMENTS = "Sony said its profit rose.", "Shipments doubled in March."


def ai_piece(created_by, *, passages=True, status=S.DRAFT) -> Article:
    """An agent's analysis with two sourced claims (their passages pasted, or not)."""
    article = ArticleFactory(
        body=BODY, created_by=created_by, ai_involvement=AIInvolvement.GENERATED
    )
    BylineFactory(article=article, author=AIAgentFactory(name="Ledger"))
    for text, passage in [
        (PROFIT, "Sony said on Friday that its operating profit rose 12%."),
        (SHIPMENTS, "Shipments doubled in March from a year earlier."),
    ]:
        claim = ClaimFactory(article=article, text=text)
        AttributionFactory(claim=claim, passage=passage if passages else "")
    return put(article, status) if status != S.DRAFT else article


def claim_of(article: Article, text: str):
    return article.claims.get(text=text)


def reviewed_and_approved(article: Article, *, submitter, reviewer, approver) -> Article:
    workflow.submit(article, by=submitter)
    workflow.record_review(article, by=reviewer)
    workflow.approve(article, by=approver)
    return article


def verify_all(article: Article, by) -> None:
    for claim in article.claims.all():
        verification.verify(claim, by=by)


# -- the gate ------------------------------------------------------------------------


def test_an_ai_piece_is_published_only_once_every_claim_is_verified(
    reporter, editor, second_editor
):
    article = reviewed_and_approved(
        ai_piece(reporter), submitter=reporter, reviewer=second_editor, approver=editor
    )
    problems = refusal(workflow.publish, article, by=editor)
    assert (
        "This piece was written by AI: a human editor other than its submitter must verify "
        f"every claim against its sources. 2 claims are not verified: “{PROFIT}”; "
        f"“{SHIPMENTS}”."
    ) in problems

    verification.verify(claim_of(article, PROFIT), by=second_editor)
    [problem] = [p for p in publish_problems(fresh(article)) if "verified" in p]
    assert problem.endswith(f"1 claim is not verified: “{SHIPMENTS}”.")

    verification.verify(claim_of(article, SHIPMENTS), by=second_editor)
    workflow.publish(article, by=editor)
    assert status_of(article) == S.PUBLISHED


def test_a_claim_sent_back_holds_the_piece(reporter, editor, second_editor):
    article = reviewed_and_approved(
        ai_piece(reporter), submitter=reporter, reviewer=second_editor, approver=editor
    )
    verify_all(article, second_editor)
    verification.send_back(
        claim_of(article, PROFIT), by=editor, note="The release says operating profit."
    )
    assert any(
        f"1 claim is not verified: “{PROFIT}”" in p for p in publish_problems(fresh(article))
    )
    summary = verification.summary(fresh(article))
    assert summary.text == "1 of 2 claims verified, 1 sent back"


def test_a_verification_by_the_person_who_later_submitted_it_does_not_count(
    reporter, editor, second_editor
):
    # Checked while still a draft (nobody had submitted it), then submitted by the checker.
    article = ai_piece(reporter)
    verify_all(article, second_editor)
    reviewed_and_approved(article, submitter=second_editor, reviewer=editor, approver=editor)
    assert any(
        "2 claims are not verified" in p for p in refusal(workflow.publish, article, by=editor)
    )


def test_a_change_to_a_verified_claims_passage_needs_a_new_check(reporter, editor, second_editor):
    article = reviewed_and_approved(
        ai_piece(reporter), submitter=reporter, reviewer=second_editor, approver=editor
    )
    verify_all(article, second_editor)
    assert publish_problems(fresh(article)) == []
    attribution = claim_of(article, PROFIT).attributions.get()
    attribution.passage = "Sony said its profit fell."
    attribution.save()
    assert any(
        f"1 claim is not verified: “{PROFIT}”" in p for p in publish_problems(fresh(article))
    )


def test_the_scheduler_holds_an_ai_piece_whose_claim_changed_since_its_check(
    reporter, editor, second_editor
):
    article = reviewed_and_approved(
        ai_piece(reporter), submitter=reporter, reviewer=second_editor, approver=editor
    )
    verify_all(article, second_editor)
    workflow.schedule(article, by=editor, at=timezone.now() + dt.timedelta(hours=1))
    attribution = claim_of(article, SHIPMENTS).attributions.get()
    attribution.passage = "Shipments rose in March."
    attribution.save()

    assert workflow.publish_due(now=timezone.now() + dt.timedelta(hours=2)) == []
    assert status_of(article) == S.APPROVED
    failed = article.events.get(action="schedule_failed")
    assert f"1 claim is not verified: “{SHIPMENTS}”" in failed.note


def test_the_api_refuses_to_publish_an_unverified_ai_piece(
    key_client, editor_key, reporter, editor, second_editor
):
    article = reviewed_and_approved(
        ai_piece(reporter), submitter=reporter, reviewer=second_editor, approver=editor
    )
    refused = transition(key_client(editor_key), article, "publish")
    assert refused.status_code == 409
    assert "2 claims are not verified" in refused.json()["detail"]

    verify_all(article, second_editor)
    published = transition(key_client(editor_key), article, "publish")
    assert published.status_code == 200, published.content
    claims = published.json()["claims"]
    assert [claim["verified_by"] for claim in claims] == ["Sam Ng", "Sam Ng"]


def test_a_human_piece_publishes_without_checks_and_shows_them_when_made(reporter, editor):
    article = newsroom_article(reporter, S.APPROVED)
    assert verification.summary(fresh(article)).text == "0 of 1 claim verified"
    workflow.publish(article, by=editor)
    assert status_of(article) == S.PUBLISHED


# -- the checks ------------------------------------------------------------------------


def test_verifying_records_who_checked_what_and_when_on_the_audit_trail(
    reporter, editor, second_editor
):
    article = ai_piece(reporter, status=S.IN_REVIEW)
    check = verification.verify(claim_of(article, PROFIT), by=second_editor)
    assert check.verdict == ClaimCheck.Verdict.VERIFIED
    assert check.checked_by == second_editor
    event = ArticleEvent.objects.get(article=article, action="claim_verified")
    assert event.actor_name == "Sam Ng"
    assert PROFIT in event.note


def test_sending_back_needs_a_note_and_records_it(reporter, editor):
    article = ai_piece(reporter, status=S.IN_REVIEW)
    claim = claim_of(article, PROFIT)
    assert refusal(verification.send_back, claim, by=editor, note="  ") == [
        "Say what is wrong when sending a claim back."
    ]
    verification.send_back(claim, by=editor, note="The release says operating profit.")
    event = ArticleEvent.objects.get(article=article, action="claim_returned")
    assert event.note.endswith("The release says operating profit.")


def test_a_claim_without_a_passage_cannot_be_verified(reporter, editor):
    article = ai_piece(reporter, passages=False, status=S.IN_REVIEW)
    assert refusal(verification.verify, claim_of(article, PROFIT), by=editor) == [
        f"The claim “{PROFIT}” has no supporting passage: paste the words of the source that "
        "support it on the claim's sources page, then verify it."
    ]
    assert not ClaimCheck.objects.exists()


def test_the_submitter_of_an_ai_piece_cannot_check_its_claims(editor, second_editor):
    article = ai_piece(editor)
    workflow.submit(article, by=editor)
    assert refusal(verification.verify, claim_of(article, PROFIT), by=editor) == [
        "You submitted this piece, which was written by AI: another editor must check its claims."
    ]
    verification.verify(claim_of(article, PROFIT), by=second_editor)


def test_the_submitter_of_a_human_piece_may_check_its_claims(editor):
    article = newsroom_article(editor, S.DRAFT)
    attribution = article.claims.get().attributions.get()
    attribution.passage = "Sony said on Friday that its profit rose."
    attribution.save()
    workflow.submit(article, by=editor)
    verification.verify(article.claims.get(), by=editor)
    assert verification.summary(fresh(article)).text == "1 of 1 claim verified"


@pytest.mark.parametrize(
    ("who", "why"),
    [
        ("reporter", "You do not have permission to check claims."),
        ("standards", "You do not have permission to check claims."),
        ("commercial", "The commercial desk cannot work on newsroom articles."),
    ],
)
def test_only_reviewers_on_the_pieces_desk_check_its_claims(request, reporter, who, why):
    article = ai_piece(reporter, status=S.IN_REVIEW)
    user = request.getfixturevalue(who)
    assert refusal(verification.verify, claim_of(article, PROFIT), by=user) == [why]


def test_the_newsroom_cannot_check_a_sponsored_piece(commercial, editor):
    article = ai_piece(commercial, status=S.IN_REVIEW)
    Article.objects.filter(pk=article.pk).update(desk=Article.Desk.COMMERCIAL)
    assert refusal(verification.verify, claim_of(article, PROFIT), by=editor) == [
        "Only the commercial desk works on sponsored content."
    ]


def test_verifying_a_claim_of_a_live_piece_tells_the_site_and_partners(
    reporter, editor, django_capture_on_commit_callbacks
):
    article = newsroom_article(reporter, S.PUBLISHED)
    attribution = article.claims.get().attributions.get()
    attribution.passage = "Sony said on Friday that its profit rose."
    attribution.save()
    before = Article.objects.values_list("change_sequence", flat=True).get(pk=article.pk)
    announced = []

    def heard(sender, articles, action, **kwargs):
        announced.append((action, [a.pk for a in articles]))

    workflow.articles_changed.connect(heard)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            verification.verify(article.claims.get(), by=editor)
    finally:
        workflow.articles_changed.disconnect(heard)
    assert announced == [("updated", [article.pk])]
    after = Article.objects.values_list("change_sequence", flat=True).get(pk=article.pk)
    assert after == before + 1
