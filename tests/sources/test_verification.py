"""The rule of a check: it holds for the claim as it read when checked."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from sources import verification
from sources.models import AttributionHop, Claim, ClaimCheck
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    PublisherFactory,
    SourceDocumentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def checker():
    return UserFactory(username="checker", first_name="Dana", last_name="Whitfield")


@pytest.fixture
def claim():
    claim = ClaimFactory()
    AttributionFactory(claim=claim, passage="Sony said on Friday that its profit rose.")
    return claim


def fresh(claim: Claim) -> Claim:
    return Claim.objects.with_citations().get(pk=claim.pk)


def check(claim: Claim, by, verdict=ClaimCheck.Verdict.VERIFIED, note="", ago=0) -> ClaimCheck:
    return ClaimCheck.objects.create(
        claim=claim,
        verdict=verdict,
        checked_by=by,
        checked_at=timezone.now() - dt.timedelta(minutes=ago),
        fingerprint=verification.fingerprint(fresh(claim)),
        note=note,
    )


def test_a_check_holds_while_the_claim_reads_as_it_did(claim, checker):
    made = check(claim, checker)
    assert verification.current_verification(fresh(claim)) == made


@pytest.mark.parametrize(
    "change",
    [
        "text",
        "passage",
        "document",
        "intermediary",
        "date at the intermediary",
        "a new source",
        "a hop in the chain",
        "the order of sources",
    ],
)
def test_any_change_to_what_was_checked_makes_the_claim_need_checking_again(claim, checker, change):
    check(claim, checker)
    attribution = claim.attributions.get()
    match change:
        case "text":
            Claim.objects.filter(pk=claim.pk).update(text="Sony said its profit fell.")
        case "passage":
            attribution.passage = "Sony said on Friday that its profit fell."
            attribution.save()
        case "document":
            attribution.document = SourceDocumentFactory()
            attribution.save()
        case "intermediary":
            attribution.via = PublisherFactory(name="Yahoo Finance")
            attribution.relation = "carried_by"
            attribution.save()
        case "date at the intermediary":
            attribution.via = PublisherFactory(name="Yahoo Finance")
            attribution.relation = "carried_by"
            attribution.save()
            check(claim, checker)
            attribution.via_on = dt.date(2026, 4, 11)
            attribution.save()
        case "a new source":
            AttributionFactory(claim=claim, position=1)
        case "a hop in the chain":
            attribution.via = PublisherFactory(name="Reuters")
            attribution.relation = "quoted_by"
            attribution.save()
            check(claim, checker)
            AttributionHop.objects.create(
                attribution=attribution,
                publisher=PublisherFactory(name="Yahoo Finance"),
                relation="carried_by",
            )
        case "the order of sources":
            second = AttributionFactory(claim=claim, position=1)
            check(claim, checker)
            attribution.position, second.position = 1, 0
            attribution.save()
            second.save()
    assert verification.current_check(fresh(claim)) is None
    assert verification.current_verification(fresh(claim)) is None


def test_re_pasting_a_passage_with_other_line_breaks_is_no_change(claim, checker):
    made = check(claim, checker)
    attribution = claim.attributions.get()
    attribution.passage = "Sony said on Friday\nthat its profit  rose.\n"
    attribution.save()
    assert verification.current_verification(fresh(claim)) == made


def test_the_newest_check_of_the_claim_as_it_reads_decides(claim, checker):
    check(claim, checker, ago=10)
    returned = check(claim, checker, ClaimCheck.Verdict.RETURNED, note="Wrong quarter.", ago=5)
    assert verification.current_check(fresh(claim)) == returned
    assert verification.current_verification(fresh(claim)) is None
    verified = check(claim, checker)
    assert verification.current_verification(fresh(claim)) == verified


def test_going_back_to_the_checked_wording_restores_the_check(claim, checker):
    made = check(claim, checker)
    attribution = claim.attributions.get()
    attribution.passage, old = "Something else.", attribution.passage
    attribution.save()
    assert verification.current_verification(fresh(claim)) is None
    attribution.passage = old
    attribution.save()
    assert verification.current_verification(fresh(claim)) == made


def test_prefetched_checks_are_read_without_queries(claim, checker, django_assert_num_queries):
    check(claim, checker)
    loaded = fresh(claim)
    with django_assert_num_queries(0):
        assert verification.checker_name(verification.current_verification(loaded)) == (
            "Dana Whitfield"
        )


def test_a_claim_without_a_passage_has_none(checker):
    claim = ClaimFactory()
    AttributionFactory(claim=claim)
    assert not verification.has_passage(fresh(claim))


def test_the_database_refuses_a_claim_sent_back_without_a_note(claim, checker):
    with pytest.raises(IntegrityError):
        check(claim, checker, ClaimCheck.Verdict.RETURNED, note="")
