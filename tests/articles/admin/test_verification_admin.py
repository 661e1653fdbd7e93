"""The reviewer's "Check claims" page: each claim beside its sources' passages, marked
verified or sent back; the counts in the workflow panel; the publish button refused until
an AI-written piece's claims are verified; passages pasted on a claim's sources page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import AIInvolvement, Article
from articles.publishing import workflow
from sources.models import ClaimCheck
from tests.articles.admin.helpers import change_url
from tests.articles.admin.sources_forms import current_sources, sources_form, sources_url
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


@pytest.fixture
def piece(reporter, editor, second_editor):
    """An agent's piece the reporter submitted, reviewed by Sam Ng and approved by Maria."""
    article = ArticleFactory(body=BODY, created_by=reporter, ai_involvement=AIInvolvement.GENERATED)
    BylineFactory(article=article, author=AIAgentFactory(name="Ledger"))
    profit = ClaimFactory(article=article, text=PROFIT)
    AttributionFactory(
        claim=profit,
        document__title="Sony quarterly results",
        document__publisher=PublisherFactory(name="Sony"),
        document__url="https://sony.example/results",
        passage=PASSAGE,
    )
    shipments = ClaimFactory(article=article, text=SHIPMENTS)
    AttributionFactory(claim=shipments, passage="Shipments doubled in March.")
    workflow.submit(article, by=reporter)
    workflow.record_review(article, by=second_editor)
    workflow.approve(article, by=editor)
    return article


def page_url(article) -> str:
    return reverse("admin:articles_article_verification", args=[article.pk])


def check_url(claim) -> str:
    return reverse("admin:articles_article_check_claim", args=[claim.article_id, claim.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_reviewer_sees_each_claim_beside_its_passage_and_source(client, second_editor, piece):
    client.force_login(second_editor)
    response = client.get(page_url(piece))
    assert response.status_code == 200
    html = response.content.decode()
    assert "0 of 2 claims verified" in html
    assert "This piece was written by AI" in html
    assert PROFIT in html and PASSAGE in html
    assert '<a href="https://sony.example/results"' in html
    assert "Sony quarterly results" in html
    assert html.count('name="verdict" value="verified"') == 2
    assert html.count("csrfmiddlewaretoken") >= 2


def test_marking_a_claim_verified_records_it_and_counts_it(client, second_editor, piece):
    client.force_login(second_editor)
    claim = piece.claims.get(text=PROFIT)
    response = client.post(check_url(claim), {"verdict": "verified", "note": ""})
    assert response.status_code == 302
    assert response["Location"].endswith(f"{page_url(piece)}#claim-{claim.pk}")
    assert messages_of(response) == [f"“{PROFIT}”: verified."]
    check = ClaimCheck.objects.get(claim=claim)
    assert (check.verdict, check.checked_by) == ("verified", second_editor)

    html = client.get(page_url(piece)).content.decode()
    assert "1 of 2 claims verified" in html
    assert "Verified by Sam Ng" in html

    panel = client.get(change_url(piece)).content.decode()
    assert "1 of 2 claims verified against their sources." in panel
    assert f'href="{page_url(piece)}"' in panel


def test_sending_back_without_a_note_is_a_form_error(client, second_editor, piece):
    client.force_login(second_editor)
    claim = piece.claims.get(text=PROFIT)
    response = client.post(check_url(claim), {"verdict": "returned", "note": " "})
    assert response.status_code == 400
    assert "Say what is wrong when sending a claim back." in response.content.decode()
    assert not ClaimCheck.objects.exists()

    response = client.post(check_url(claim), {"verdict": "returned", "note": "Wrong quarter."})
    assert response.status_code == 302
    html = client.get(page_url(piece)).content.decode()
    assert "Sent back by Sam Ng" in html and "Wrong quarter." in html


def test_a_bad_verdict_is_a_form_error_not_a_crash(client, second_editor, piece):
    client.force_login(second_editor)
    claim = piece.claims.get(text=PROFIT)
    response = client.post(check_url(claim), {"verdict": "maybe"})
    assert response.status_code == 400
    assert not ClaimCheck.objects.exists()


def test_the_submitter_is_told_another_editor_must_check(client, reporter, editor, piece):
    # The reporter submitted it, but reporters may not check claims at all.
    client.force_login(reporter)
    html = client.get(page_url(piece)).content.decode()
    assert "You do not have permission to check claims." in html
    assert 'name="verdict"' not in html
    response = client.post(check_url(piece.claims.get(text=PROFIT)), {"verdict": "verified"})
    assert messages_of(response) == ["You do not have permission to check claims."]
    assert not ClaimCheck.objects.exists()


def test_an_editor_who_submitted_an_ai_piece_cannot_check_it(client, editor, second_editor):
    article = ArticleFactory(body=BODY, created_by=editor, ai_involvement=AIInvolvement.GENERATED)
    BylineFactory(article=article, author=AIAgentFactory(name="Ledger"))
    AttributionFactory(claim=ClaimFactory(article=article, text=PROFIT), passage=PASSAGE)
    workflow.submit(article, by=editor)
    client.force_login(editor)
    html = client.get(page_url(article)).content.decode()
    assert "You submitted this piece, which was written by AI" in html
    client.post(check_url(article.claims.get()), {"verdict": "verified"})
    assert not ClaimCheck.objects.exists()


def test_the_commercial_desk_cannot_open_a_newsroom_pieces_claims(client, commercial, piece):
    client.force_login(commercial)
    assert client.get(page_url(piece)).status_code == 404
    claim = piece.claims.get(text=PROFIT)
    assert client.post(check_url(claim), {"verdict": "verified"}).status_code == 404
    assert not ClaimCheck.objects.exists()


def test_publishing_from_the_admin_waits_for_every_claim(client, editor, second_editor, piece):
    client.force_login(editor)
    publish = reverse("admin:articles_article_transition", args=[piece.pk, "publish"])
    response = client.post(publish)
    [refused] = messages_of(response)
    assert "2 claims are not verified" in refused
    assert Article.objects.get(pk=piece.pk).status == S.APPROVED

    client.force_login(second_editor)
    for claim in piece.claims.all():
        client.post(check_url(claim), {"verdict": "verified"})
    client.force_login(editor)
    response = client.post(publish)
    assert messages_of(response)[-1] == "Publish now: done."
    assert Article.objects.get(pk=piece.pk).status == S.PUBLISHED


def test_a_passage_is_pasted_on_the_claims_sources_page(client, editor, piece):
    Article.objects.filter(pk=piece.pk).update(status=S.DRAFT)
    claim = piece.claims.get(text=SHIPMENTS)
    client.force_login(editor)
    assert 'name="attributions-0-passage"' in client.get(sources_url(claim)).content.decode()
    rows = current_sources(claim)
    rows[0]["passage"] = "Shipments of routers doubled in March, the survey found."
    response = client.post(sources_url(claim), sources_form(claim, rows))
    assert response.status_code == 302, response.content
    assert claim.attributions.get().passage == (
        "Shipments of routers doubled in March, the survey found."
    )
