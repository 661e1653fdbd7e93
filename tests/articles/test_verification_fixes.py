"""Three holes in claim verification, closed: a check is of the claim the checker was
shown, not of whatever it says when the form arrives; a change to a shared source
document (its publisher, title, link or date) makes every claim citing it need checking
again; and the editor who filed an AI-written piece cannot check its claims even when
the agent submitted it."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from articles.models import AIInvolvement, Article
from articles.publishing import verification, workflow
from articles.publishing.gates import publish_problems
from sources import verification as fingerprints
from sources.models import Claim, ClaimCheck
from tests.articles.publishing.helpers import fresh, refusal
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AttributionFactory,
    BylineFactory,
    ClaimFactory,
    PublisherFactory,
)

pytestmark = pytest.mark.django_db

S = Article.Status
BODY = "<p>Sony said its profit rose. Analysts expect more. Shipments doubled in March.</p>"
PROFIT, SHIPMENTS = "Sony said its profit rose.", "Shipments doubled in March."
PASSAGE = "Sony said on Friday that its operating profit rose 12%."
CHANGED = "This claim changed since you opened the page: read it again."


def ai_piece(created_by, *, agent=None) -> Article:
    """An agent's analysis with two sourced claims, their passages pasted; the first cites
    Sony's results, published by Sony."""
    article = ArticleFactory(
        body=BODY, created_by=created_by, ai_involvement=AIInvolvement.GENERATED
    )
    BylineFactory(article=article, author=agent or AIAgentFactory(name="Ledger"))
    AttributionFactory(
        claim=ClaimFactory(article=article, text=PROFIT),
        document__title="Sony quarterly results",
        document__publisher=PublisherFactory(name="Sony"),
        document__url="https://sony.example/results",
        document__published_on=dt.date(2026, 5, 8),
        passage=PASSAGE,
    )
    AttributionFactory(
        claim=ClaimFactory(article=article, text=SHIPMENTS),
        passage="Shipments doubled in March from a year earlier.",
    )
    return article


def in_review(created_by, submitter) -> Article:
    article = ai_piece(created_by)
    workflow.submit(article, by=submitter)
    return article


def read(article: Article, text: str) -> Claim:
    """The claim as the check page reads it: with its sources, documents and checks."""
    return Claim.objects.with_citations().get(article=article, text=text)


def page_url(article) -> str:
    return reverse("admin:articles_article_verification", args=[article.pk])


def check_url(claim) -> str:
    return reverse("admin:articles_article_check_claim", args=[claim.article_id, claim.pk])


def shown_fingerprint(html: str, claim) -> str:
    """The fingerprint the page put in the claim's form."""
    section = html[html.index(f'id="claim-{claim.pk}"') :]
    return re.search(r'name="fingerprint" value="([0-9a-f]{64})"', section).group(1)


# -- 1. the claim the checker was shown --------------------------------------------------


def test_a_check_of_a_claim_that_changed_since_it_was_shown_is_refused(reporter, second_editor):
    article = in_review(reporter, reporter)
    shown = fingerprints.fingerprint(read(article, PROFIT))
    attribution = read(article, PROFIT).attributions.get()
    attribution.passage = "Sony said on Friday that its operating profit fell 12%."
    attribution.save()

    claim = read(article, PROFIT)
    assert refusal(verification.verify, claim, by=second_editor, expected_fingerprint=shown) == [
        CHANGED
    ]
    assert refusal(
        verification.send_back, claim, by=second_editor, note="Wrong.", expected_fingerprint=shown
    ) == [CHANGED]
    assert not ClaimCheck.objects.exists()

    now = fingerprints.fingerprint(claim)
    check = verification.verify(claim, by=second_editor, expected_fingerprint=now)
    assert check.fingerprint == now
    assert fingerprints.current_verification(read(article, PROFIT)) == check


def test_the_check_page_refuses_a_form_for_a_claim_edited_meanwhile(
    client, reporter, second_editor
):
    article = in_review(reporter, reporter)
    claim = article.claims.get(text=PROFIT)
    client.force_login(second_editor)
    html = client.get(page_url(article)).content.decode()
    shown = shown_fingerprint(html, claim)
    assert shown == fingerprints.fingerprint(read(article, PROFIT))

    # Another editor rewrites the passage while the page is open.
    attribution = claim.attributions.get()
    attribution.passage = "Sony said on Friday that its operating profit fell 12%."
    attribution.save()

    response = client.post(
        check_url(claim), {"verdict": "verified", "note": "Matches.", "fingerprint": shown}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert CHANGED in page
    assert "operating profit fell 12%" in page  # the claim as it reads now, to read again
    assert "Matches." in page  # the note typed is kept
    assert not ClaimCheck.objects.exists()

    again = shown_fingerprint(page, claim)
    assert again != shown
    response = client.post(check_url(claim), {"verdict": "verified", "fingerprint": again})
    assert response.status_code == 302
    assert ClaimCheck.objects.get(claim=claim).checked_by == second_editor


# -- 2. what is said of a shared source document ----------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Sony quarterly results (corrected)"),
        ("url", "https://sony.example/results-q2"),
        ("published_on", dt.date(2026, 5, 9)),
        ("publisher", "other"),
    ],
)
def test_editing_a_cited_document_makes_its_claims_need_checking_again(
    reporter, editor, second_editor, field, value
):
    article = in_review(reporter, reporter)
    workflow.record_review(article, by=second_editor)
    workflow.approve(article, by=editor)
    for claim in Claim.objects.with_citations().filter(article=article):
        verification.verify(claim, by=second_editor)
    assert publish_problems(fresh(article)) == []

    document = article.claims.get(text=PROFIT).attributions.get().document
    setattr(document, field, PublisherFactory(name="Reuters") if value == "other" else value)
    document.save()

    assert fingerprints.current_verification(read(article, PROFIT)) is None
    assert fingerprints.current_verification(read(article, SHIPMENTS)) is not None
    assert any(
        f"1 claim is not verified: “{PROFIT}”" in p for p in publish_problems(fresh(article))
    )


def test_the_fingerprint_reads_the_documents_without_a_query(reporter, django_assert_num_queries):
    article = ai_piece(reporter)
    claims = list(Claim.objects.with_citations().filter(article=article))
    with django_assert_num_queries(0):
        assert len({fingerprints.fingerprint(claim) for claim in claims}) == 2


# -- 3. the editor who filed a piece the agent submitted --------------------------------


def test_the_editor_who_filed_a_piece_its_agent_submitted_cannot_check_it(
    client, editor, second_editor
):
    agent = AIAgentFactory(name="Sift", supervising_editor=editor)
    article = ai_piece(editor, agent=agent)
    workflow.submit_by_agent(article, agent=agent)
    assert article.events.get(action="submit").actor is None

    why = "You created this piece, which was written by AI: another editor must check its claims."
    assert refusal(verification.verify, article.claims.get(text=PROFIT), by=editor) == [why]

    client.force_login(editor)
    html = client.get(page_url(article)).content.decode()
    assert why in html
    assert 'name="verdict"' not in html
    client.post(check_url(article.claims.get(text=PROFIT)), {"verdict": "verified"})
    assert not ClaimCheck.objects.exists()

    verification.verify(article.claims.get(text=PROFIT), by=second_editor)
    assert ClaimCheck.objects.get().checked_by == second_editor


def test_a_verification_by_the_pieces_creator_does_not_count_at_the_gate(editor, second_editor):
    # Checks the creator recorded (before this rule, or through another door) stay on
    # the record but do not let the piece run.
    agent = AIAgentFactory(name="Sift", supervising_editor=editor)
    article = ai_piece(editor, agent=agent)
    for claim in Claim.objects.with_citations().filter(article=article):
        ClaimCheck.objects.create(
            claim=claim,
            verdict=ClaimCheck.Verdict.VERIFIED,
            checked_by=editor,
            checked_at=claim.article.created_at,
            fingerprint=fingerprints.fingerprint(claim),
        )
    workflow.submit_by_agent(article, agent=agent)
    workflow.record_review(article, by=second_editor)
    workflow.approve(article, by=second_editor)

    problems = refusal(workflow.publish, article, by=second_editor)
    assert any("2 claims are not verified" in p for p in problems)

    verification.verify(article.claims.get(text=PROFIT), by=second_editor)
    verification.verify(article.claims.get(text=SHIPMENTS), by=second_editor)
    workflow.publish(article, by=second_editor)
    assert Article.objects.get(pk=article.pk).status == S.PUBLISHED


def test_a_verification_by_the_person_who_later_submitted_it_still_does_not_count(
    reporter, editor, second_editor
):
    # Checked while still a draft by an editor who did not create it, then submitted by them.
    article = ai_piece(reporter)
    for claim in Claim.objects.with_citations().filter(article=article):
        verification.verify(claim, by=second_editor)
    workflow.submit(article, by=second_editor)
    workflow.record_review(article, by=editor)
    workflow.approve(article, by=editor)
    problems = refusal(workflow.publish, article, by=editor)
    assert any("2 claims are not verified" in p for p in problems)
