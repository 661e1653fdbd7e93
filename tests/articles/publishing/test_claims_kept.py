"""Giving an article its claims again (an API edit that sends them, restoring a revision)
keeps the claims whose wording stays: their checks still hold while their sources are the
same, the corrections naming them still point at them, and partners see the same ids."""

import pytest

from articles.models import CorrectedClaim
from articles.publishing import revisions, verification
from sources.models import Attribution, Claim, ClaimCheck
from sources.verification import current_verification
from tests.articles.api.helpers import ARTICLES, patch, post
from tests.articles.test_claim_corrections import RIGHT, WRONG, correct, fix, story

pytestmark = pytest.mark.django_db

PROFIT = "Sony said its operating profit rose 12%."
SHIPMENTS = "Shipments of consoles doubled in March."
FORECAST = "Analysts expect a record year."
BODY = f"<p>{PROFIT} {SHIPMENTS} {FORECAST}</p>"


def source(title: str, passage: str, **chain) -> dict:
    """A source as the API takes it: a Sony document described inline, with its passage."""
    document = {"title": title, "publisher": "Sony", "kind": "press_release"}
    return {"document": document, "passage": passage, **chain}


def claims_payload(*, shipments_passage: str = "Shipments doubled in March.") -> list[dict]:
    return [
        {"text": PROFIT, "sources": [source("Results", "Operating profit rose 12%.")]},
        {
            "text": SHIPMENTS,
            "sources": [
                source(
                    "Shipments",
                    shipments_passage,
                    via="Reuters",
                    relation="quoted_by",
                    via_on="2026-03-31",
                    hops=[{"publisher": "Yahoo Finance", "relation": "carried_by"}],
                )
            ],
        },
        {"text": FORECAST, "sources": [source("Outlook", "We expect a record year.")]},
    ]


def edit(client, article_id: int, data: dict) -> dict:
    url = f"{ARTICLES}{article_id}/"
    response = patch(client, url, data, **{"If-Match": client.get(url)["ETag"]})
    assert response.status_code == 200, response.content
    return response.json()


def verified_by(answer: dict) -> dict[str, str | None]:
    return {claim["text"]: claim["verified_by"] for claim in answer["claims"]}


def verified_texts(article) -> set[str]:
    claims = Claim.objects.filter(article=article).with_citations()
    return {c.text for c in claims if current_verification(c) is not None}


def verify_all(article, by) -> None:
    for claim in article.claims.all():
        verification.verify(claim, by=by)


@pytest.fixture
def checked(key_client, editor_key, second_editor):
    """A draft filed with the editor's key, each of its three claims verified by Sam Ng."""
    desk = key_client(editor_key)
    filed = post(desk, ARTICLES, {"headline": "Sony", "body": BODY, "claims": claims_payload()})
    assert filed.status_code == 201, filed.content
    article = Claim.objects.get(text=PROFIT).article
    verify_all(article, second_editor)
    return desk, article


# -- an API edit that sends the claims again -----------------------------------------------


def test_resending_the_same_claims_keeps_them_verified(checked):
    desk, article = checked
    ids = dict(Claim.objects.values_list("text", "pk"))

    answer = edit(desk, article.pk, {"body": BODY, "claims": claims_payload()})

    assert verified_by(answer) == {PROFIT: "Sam Ng", SHIPMENTS: "Sam Ng", FORECAST: "Sam Ng"}
    assert {claim["text"]: claim["id"] for claim in answer["claims"]} == ids
    assert ClaimCheck.objects.count() == 3
    # Sent again, the same request changes nothing more.
    again = edit(desk, article.pk, {"body": BODY, "claims": claims_payload()})
    assert verified_by(again) == verified_by(answer)
    assert [c["text"] for c in again["claims"]] == [PROFIT, SHIPMENTS, FORECAST]


def test_a_changed_passage_unverifies_that_claim_only(checked):
    desk, article = checked

    answer = edit(desk, article.pk, {"claims": claims_payload(shipments_passage="It doubled.")})

    assert verified_by(answer) == {PROFIT: "Sam Ng", SHIPMENTS: None, FORECAST: "Sam Ng"}
    shipments = Attribution.objects.get(claim__text=SHIPMENTS)
    assert (shipments.passage, shipments.via.name, shipments.hops.get().publisher.name) == (
        "It doubled.",
        "Reuters",
        "Yahoo Finance",
    )
    # The check of what the claim said before stays on record.
    assert ClaimCheck.objects.filter(claim__text=SHIPMENTS).count() == 1


def test_a_claim_left_out_goes_and_a_new_one_needs_checking(checked):
    desk, article = checked
    body = f"<p>{PROFIT} {SHIPMENTS} Sales in Japan fell.</p>"
    new = {"text": "Sales in Japan fell.", "sources": [source("Japan", "Sales fell.")]}

    answer = edit(desk, article.pk, {"body": body, "claims": [*claims_payload()[:2], new]})

    assert verified_by(answer) == {PROFIT: "Sam Ng", SHIPMENTS: "Sam Ng", new["text"]: None}
    assert not Claim.objects.filter(text=FORECAST).exists()
    assert ClaimCheck.objects.count() == 2


def test_a_refused_edit_keeps_the_claims_and_their_checks(checked):
    desk, article = checked
    payload = claims_payload()
    payload[0]["sources"].append({"document": 999_999})
    url = f"{ARTICLES}{article.pk}/"

    response = patch(desk, url, {"claims": payload[:1]}, **{"If-Match": desk.get(url)["ETag"]})

    assert response.status_code == 400, response.content
    assert verified_texts(article) == {PROFIT, SHIPMENTS, FORECAST}


# -- corrections ----------------------------------------------------------------------------


def test_a_correction_keeps_naming_its_claim_after_an_api_edit(key_client, editor_key, editor):
    article = story(WRONG, "Analysts expect more.")
    fix(article, WRONG, RIGHT)
    correction = correct(article, editor, RIGHT)
    claim = Claim.objects.get(text=RIGHT)
    claims = [
        {"text": c.text, "sources": [{"document": c.attributions.get().document_id}]}
        for c in article.claims.all()
    ]

    answer = edit(key_client(editor_key), article.pk, {"claims": claims})

    assert CorrectedClaim.objects.get(correction=correction).claim == claim
    [shown] = answer["corrections"]
    assert shown["claims"][0]["claim"] == claim.pk


def test_a_correction_keeps_naming_its_claim_after_a_restore(editor):
    article = story(WRONG, "Analysts expect more.")
    fix(article, WRONG, RIGHT)
    correction = correct(article, editor, RIGHT)
    saved = revisions.record(article, by=editor)
    passage = Attribution.objects.get(claim__text=RIGHT).passage
    Attribution.objects.filter(claim__text=RIGHT).update(passage="Profit rose 4%.")

    _, warnings = revisions.restore(saved, by=editor)

    assert warnings == []
    named = CorrectedClaim.objects.get(correction=correction)
    assert named.claim == Claim.objects.get(text=RIGHT)
    assert named.claim.attributions.get().passage == passage


# -- restoring a revision ------------------------------------------------------------------


def test_restoring_the_same_claims_keeps_their_checks(checked, editor, second_editor):
    _, article = checked
    saved = revisions.record(article, by=editor)
    article.headline = "Sony's year"
    article.save()

    new, warnings = revisions.restore(saved, by=editor)

    assert warnings == []
    assert verified_texts(article) == {PROFIT, SHIPMENTS, FORECAST}
    assert ClaimCheck.objects.count() == 3
    assert [change.field for change in revisions.diff(saved.data, new.data)] == []


def test_restoring_a_different_claim_drops_only_its_check(checked, editor):
    desk, article = checked
    edit(desk, article.pk, {"claims": claims_payload(shipments_passage="It doubled.")})
    changed = revisions.history(article).first()  # the shipments passage nobody checked
    edit(desk, article.pk, {"claims": claims_payload()})  # as checked again
    assert verified_texts(article) == {PROFIT, SHIPMENTS, FORECAST}

    _, warnings = revisions.restore(changed, by=editor)

    assert warnings == []
    assert verified_texts(article) == {PROFIT, FORECAST}
    assert Attribution.objects.get(claim__text=SHIPMENTS).passage == "It doubled."


def test_restoring_other_claims_drops_the_ones_not_in_the_revision(checked, editor, second_editor):
    desk, article = checked
    saved = revisions.record(article, by=editor)
    body = f"<p>{PROFIT} {SHIPMENTS} Sales in Japan fell.</p>"
    japan = {"text": "Sales in Japan fell.", "sources": [source("Japan", "Sales fell.")]}
    edit(desk, article.pk, {"body": body, "claims": [*claims_payload()[:2], japan]})
    verify_all(article, second_editor)

    new, warnings = revisions.restore(saved, by=editor)

    assert warnings == []
    # The forecast is back, but its check went with it: it needs checking again.
    assert verified_texts(article) == {PROFIT, SHIPMENTS}
    assert not Claim.objects.filter(text="Sales in Japan fell.").exists()
    assert [c.text for c in article.claims.all()] == [PROFIT, SHIPMENTS, FORECAST]
    assert [change.field for change in revisions.diff(saved.data, new.data)] == []
