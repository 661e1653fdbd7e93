import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from sources.citations import citation_text
from sources.models import Attribution, Publisher, SourceDocument
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    ClaimFactory,
    PublisherFactory,
    SourceDocumentFactory,
)

pytestmark = pytest.mark.django_db

APRIL_10 = dt.date(2026, 4, 10)
REFERENCE = dt.date(2026, 11, 28)


@pytest.fixture
def claim():
    article = ArticleFactory(body="<p>Sony expects sales of its new console to double.</p>")
    return ClaimFactory(article=article, text="Sony expects sales of its new console to double.")


@pytest.fixture
def sony_release():
    return SourceDocumentFactory(
        title="Sony raises its outlook",
        publisher=PublisherFactory(name="Sony", kind=Publisher.Kind.COMPANY),
        kind=SourceDocument.Kind.PRESS_RELEASE,
        published_on=dt.date(2026, 4, 9),
    )


@pytest.fixture
def reuters_report():
    return SourceDocumentFactory(
        title="Console makers brace for a busy year",
        publisher=PublisherFactory(name="Reuters", kind=Publisher.Kind.WIRE),
        kind=SourceDocument.Kind.WIRE_REPORT,
        published_on=APRIL_10,
    )


@pytest.fixture
def yahoo():
    return PublisherFactory(name="Yahoo Finance", kind=Publisher.Kind.PORTAL)


def cite(claim):
    return citation_text(claim.attributions.all(), reference=REFERENCE)


def test_single_first_hand_source_reads_as_the_publisher(claim, sony_release):
    AttributionFactory(claim=claim, document=sony_release)
    assert cite(claim) == "Sony"


def test_wire_report_carried_by_a_portal_names_both_and_the_date(claim, reuters_report, yahoo):
    AttributionFactory(
        claim=claim, document=reuters_report, via=yahoo, relation=Attribution.Relation.CARRIED_BY
    )
    assert cite(claim) == "Reuters via Yahoo Finance, April 10"


def test_second_hand_quote_says_who_quoted_whom(claim, yahoo):
    bloomberg_interview = SourceDocumentFactory(
        title="Interview with Sony's chief financial officer",
        publisher=PublisherFactory(name="Bloomberg"),
        kind=SourceDocument.Kind.INTERVIEW,
    )
    AttributionFactory(
        claim=claim,
        document=bloomberg_interview,
        via=yahoo,
        relation=Attribution.Relation.QUOTED_BY,
    )
    assert cite(claim) == "according to Bloomberg as quoted by Yahoo Finance"


def test_two_sources_for_one_claim_are_listed_in_order(claim, sony_release, reuters_report, yahoo):
    AttributionFactory(claim=claim, document=sony_release, position=0)
    AttributionFactory(
        claim=claim,
        document=reuters_report,
        via=yahoo,
        relation=Attribution.Relation.CARRIED_BY,
        position=1,
    )
    assert cite(claim) == "Sony; Reuters/Yahoo Finance"


def test_date_from_another_year_carries_the_year(claim, reuters_report, yahoo):
    AttributionFactory(
        claim=claim, document=reuters_report, via=yahoo, relation=Attribution.Relation.CARRIED_BY
    )
    text = citation_text(claim.attributions.all(), reference=dt.date(2027, 1, 5))
    assert text == "Reuters via Yahoo Finance, April 10, 2026"


def test_data_from_names_the_data_and_who_carried_it(claim, yahoo):
    dataset = SourceDocumentFactory(
        publisher=PublisherFactory(name="Statistics Office"), kind=SourceDocument.Kind.DATASET
    )
    AttributionFactory(
        claim=claim, document=dataset, via=yahoo, relation=Attribution.Relation.DATA_FROM
    )
    assert cite(claim) == "Statistics Office data via Yahoo Finance"


def test_unattributed_claim_has_no_citation(claim):
    assert cite(claim) == ""


def test_intermediary_without_relation_is_refused_by_the_database(claim, reuters_report, yahoo):
    with pytest.raises(IntegrityError), transaction.atomic():
        Attribution.objects.create(claim=claim, document=reuters_report, via=yahoo)


def test_relation_without_intermediary_is_refused_by_the_database(claim, reuters_report):
    with pytest.raises(IntegrityError), transaction.atomic():
        Attribution.objects.create(
            claim=claim, document=reuters_report, relation=Attribution.Relation.QUOTED_BY
        )


def test_same_document_cannot_be_cited_twice_for_one_claim(claim, sony_release):
    AttributionFactory(claim=claim, document=sony_release)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttributionFactory(claim=claim, document=sony_release)


def test_cited_source_document_cannot_be_deleted(claim, sony_release):
    AttributionFactory(claim=claim, document=sony_release)
    with pytest.raises(ProtectedError):
        sony_release.delete()
    assert SourceDocument.objects.filter(pk=sony_release.pk).exists()


def test_publisher_with_documents_cannot_be_deleted(sony_release):
    with pytest.raises(ProtectedError):
        sony_release.publisher.delete()


def test_intermediary_cannot_be_deleted_while_it_carries_a_citation(claim, reuters_report, yahoo):
    AttributionFactory(
        claim=claim, document=reuters_report, via=yahoo, relation=Attribution.Relation.CARRIED_BY
    )
    with pytest.raises(ProtectedError):
        yahoo.delete()


def test_uncited_source_document_can_be_deleted(sony_release):
    sony_release.delete()
    assert not SourceDocument.objects.filter(pk=sony_release.pk).exists()


def test_document_accessed_before_publication_is_refused(sony_release):
    sony_release.accessed_on = sony_release.published_on - dt.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        sony_release.save()
