"""Corrections that name the claims they correct: the claim's previous wording and
sources are kept (through later edits and its deletion), only the article's own claims
can be named, and the admin's correction form does it in the same save as the edit."""

import pytest
from django.urls import NoReverseMatch, reverse

from articles.models import CorrectedClaim, Correction
from articles.publishing import claim_corrections, revisions, sourcing, workflow
from articles.publishing.transitions import WorkflowError
from sources.models import Attribution, Claim
from tests.admin_forms import change_form_data
from tests.articles.admin.helpers import change_url
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    AuthorFactory,
    BylineFactory,
    ClaimFactory,
    PublisherFactory,
    SourceDocumentFactory,
)

pytestmark = pytest.mark.django_db

WRONG = "Sony said its profit rose 40%."
RIGHT = "Sony said its profit rose 4%."


def story(*claims: str, body_extra: str = ""):
    """A published piece whose body holds ``claims``, each cited to its own Sony release."""
    body = " ".join(claims) + body_extra
    article = ArticleFactory(published=True, body=f"<p>{body}</p>")
    BylineFactory(article=article, author=AuthorFactory())
    sony = PublisherFactory(name="Sony")
    for number, text in enumerate(claims):
        claim = ClaimFactory(article=article, text=text)
        AttributionFactory(
            claim=claim,
            document=SourceDocumentFactory(
                publisher=sony,
                title=f"Results release {number}",
                url=f"https://sony.example/results/{number}",
            ),
        )
    article.reorder_claims()
    return article


def fix(article, old: str, new: str) -> None:
    """Edit the live piece: the claim's wording in the body and in the claims table."""
    article.body = article.body.replace(old, new)
    article.save()
    Claim.objects.filter(article=article, text=old).update(text=new)


def correct(article, editor, *texts: str, before=None, kind=Correction.Kind.CORRECTION):
    claims = Claim.objects.filter(article=article, text__in=texts)
    return workflow.add_correction(
        article,
        by=editor,
        kind=kind,
        text="The profit figure was wrong.",
        claims=claims,
        before=before,
    )


def test_the_claims_wording_and_sources_before_the_edit_are_kept(editor):
    article = story(WRONG)
    before = claim_corrections.capture(article)
    fix(article, WRONG, RIGHT)
    reuters = SourceDocumentFactory(publisher=PublisherFactory(name="Reuters"))
    Attribution.objects.filter(claim__article=article).update(document=reuters)

    correction = correct(article, editor, RIGHT, before=before)

    [named] = correction.corrected_claims.all()
    assert named.claim == Claim.objects.get(text=RIGHT)
    assert named.previous_text == WRONG
    assert named.previous_citation == "Sony"
    [source] = named.previous_sources
    assert source["publisher"] == "Sony"
    assert source["title"] == "Results release 0"
    assert source["url"] == "https://sony.example/results/0"
    assert source["via"] is None and isinstance(source["document"], int)
    assert (named.corrected_text, named.corrected_citation) == (RIGHT, "Reuters")


def test_previous_wording_survives_a_later_edit_and_the_claims_deletion(editor):
    article = story(WRONG)
    before = claim_corrections.capture(article)
    fix(article, WRONG, RIGHT)
    correct(article, editor, RIGHT, before=before)

    fix(article, RIGHT, "Sony said its profit rose 5%.")
    named = CorrectedClaim.objects.get()
    assert (named.previous_text, named.corrected_text) == (WRONG, RIGHT)

    Claim.objects.filter(article=article).delete()
    named.refresh_from_db()
    assert named.claim is None
    assert (named.previous_text, named.previous_citation) == (WRONG, "Sony")
    assert named.corrected_text == RIGHT  # what the correction said, as of then


def test_a_claim_removed_in_the_same_save_is_kept_as_withdrawn(editor):
    article = story(WRONG, body_extra=" Analysts expect more.")
    before = claim_corrections.capture(article)
    gone = Claim.objects.get(article=article)
    article.body = "<p>Analysts expect more.</p>"
    article.save()
    gone.delete()

    correction = workflow.add_correction(
        article,
        by=editor,
        kind="correction",
        text="We withdrew the profit figure.",
        claims=list(before),
        before=before,
    )

    [named] = correction.corrected_claims.all()
    assert named.claim is None
    assert (named.previous_text, named.previous_citation) == (WRONG, "Sony")
    assert (named.corrected_text, named.corrected_citation) == ("", "")


def test_only_the_articles_own_claims_can_be_named(editor):
    article = story(WRONG)
    elsewhere = ClaimFactory(article=ArticleFactory(published=True), text="Other claim.")
    with pytest.raises(WorkflowError, match="only name claims of the article"):
        workflow.add_correction(
            article, by=editor, kind="correction", text="Fixed.", claims=[elsewhere]
        )
    assert not Correction.objects.exists()  # nothing half-written


def test_a_claim_named_by_something_other_than_an_id_is_refused_not_a_crash(editor):
    article = story(WRONG)
    with pytest.raises(WorkflowError, match="Name each claim by its id"):
        workflow.add_correction(article, by=editor, kind="correction", text="Fixed.", claims=["x"])
    assert not Correction.objects.exists()


def test_sources_changed_on_the_claims_own_page_are_found_in_the_revisions(editor):
    article = story(WRONG)
    revisions.record(article, by=editor)  # the version readers saw
    claim = Claim.objects.get(article=article)
    reuters = SourceDocumentFactory(publisher=PublisherFactory(name="Reuters"))
    sourcing.change_sources(
        claim, by=editor, save=lambda: claim.attributions.update(document=reuters)
    )

    correction = correct(article, editor, WRONG)  # named afterwards, on the article page

    [named] = correction.corrected_claims.all()
    assert (named.previous_text, named.previous_citation) == (WRONG, "Sony")
    assert (named.corrected_text, named.corrected_citation) == (WRONG, "Reuters")


def test_a_claim_named_without_a_change_reads_the_same_before_and_after(editor):
    article = story(WRONG)
    correction = correct(article, editor, WRONG, kind=Correction.Kind.CLARIFICATION)
    [named] = correction.corrected_claims.all()
    assert named.previous_text == named.corrected_text == WRONG


def test_the_audit_trail_says_what_each_named_claim_read_before_and_now(editor):
    article = story(WRONG)
    before = claim_corrections.capture(article)
    fix(article, WRONG, RIGHT)
    correct(article, editor, RIGHT, before=before)
    event = article.events.get(action="correction:correction")
    assert f"Claim corrected: “{WRONG}” (Sony) → “{RIGHT}” (Sony)." in event.note


# -- the admin's door -------------------------------------------------------------


def named_correction(data: dict, *claim_ids: int) -> dict:
    return data | {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-kind": "correction",
        "corrections-0-text": "An earlier version gave the wrong figure.",
        "corrections-0-claims": [str(pk) for pk in claim_ids],
    }


def claim_row(data: dict, claim: Claim) -> str:
    return next(
        k.removesuffix("-id")
        for k, v in data.items()
        if k.startswith("claims-") and k.endswith("-id") and str(v) == str(claim.pk)
    )


def test_editor_fixes_the_claim_and_names_it_in_the_same_save(editor_client):
    article = story(WRONG)
    claim = Claim.objects.get(article=article)
    page = editor_client.get(change_url(article))
    data = change_form_data(page, body=f"<p>{RIGHT}</p>", significant_change="on")
    data[f"{claim_row(data, claim)}-text"] = RIGHT

    response = editor_client.post(change_url(article), named_correction(data, claim.pk))

    assert response.status_code == 302
    named = CorrectedClaim.objects.get()
    assert (named.claim, named.previous_text, named.corrected_text) == (claim, WRONG, RIGHT)
    assert named.previous_citation == "Sony"
    # The saved note shows it, read-only.
    html = editor_client.get(change_url(article)).content.decode()
    assert (
        "Was “Sony said its profit rose 40%.” (Sony); now “Sony said its profit rose 4%.”" in html
    )


def test_editor_withdraws_a_claim_and_names_it_in_the_same_save(editor_client):
    article = story(WRONG, "Analysts expect more.")
    claim = Claim.objects.get(article=article, text=WRONG)
    page = editor_client.get(change_url(article))
    data = change_form_data(page, body="<p>Analysts expect more.</p>", significant_change="on")
    data[f"{claim_row(data, claim)}-DELETE"] = "on"

    response = editor_client.post(change_url(article), named_correction(data, claim.pk))

    assert response.status_code == 302
    assert not Claim.objects.filter(pk=claim.pk).exists()
    named = CorrectedClaim.objects.get()
    assert (named.claim, named.previous_text, named.corrected_text) == (None, WRONG, "")
    html = editor_client.get(change_url(article)).content.decode()
    assert "Withdrawn: “Sony said its profit rose 40%.” (Sony)" in html


def test_the_form_offers_only_the_articles_claims_and_refuses_others(editor_client):
    article = story(WRONG)
    elsewhere = ClaimFactory(article=ArticleFactory(published=True), text="Other claim.")
    page = editor_client.get(change_url(article))
    assert 'name="corrections-__prefix__-claims"' in page.content.decode()
    assert "Other claim." not in page.content.decode()

    response = editor_client.post(
        change_url(article), named_correction(change_form_data(page), elsewhere.pk)
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Correction.objects.exists()


def test_named_claims_cannot_be_edited_or_deleted_in_the_admin(client, superuser):
    article = story(WRONG)
    correction = correct(article, superuser, WRONG)
    client.force_login(superuser)
    change = reverse("admin:articles_correction_change", args=[correction.pk])
    delete = reverse("admin:articles_correction_delete", args=[correction.pk])

    assert 'name="_save"' not in client.get(change).content.decode()  # read-only
    assert client.post(change, {"kind": "update", "text": "Rewritten."}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    # On the article page the saved note and its claims are shown, not offered for editing.
    html = client.get(change_url(article)).content.decode()
    assert 'name="corrections-0-claims"' not in html
    assert 'name="corrections-0-DELETE"' not in html
    named = CorrectedClaim.objects.get()
    assert (named.previous_text, named.corrected_text) == (WRONG, WRONG)
    # CorrectedClaim has no admin page of its own to edit it through.
    with pytest.raises(NoReverseMatch):
        reverse("admin:articles_correctedclaim_changelist")
