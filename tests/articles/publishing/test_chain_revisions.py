"""A chain of custody is part of the article's record: a revision keeps each source's
chain, date and supporting passage, the diff shows a changed chain, restoring brings it
back, and the signed provenance record carries it."""

import datetime as dt

import pytest

from articles.publishing import provenance, revisions
from sources.models import Attribution, AttributionHop
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    ClaimFactory,
    PublisherFactory,
    SourceDocumentFactory,
)

pytestmark = pytest.mark.django_db

CLAIM = "Console sales will double next year."
PASSAGE = "Sales of consoles are expected to double next year, the report said."


@pytest.fixture
def attribution():
    """Bloomberg's report, quoted by Reuters on May 8, carried by Yahoo Finance on May 9."""
    article = ArticleFactory(published=True, body=f"<p>{CLAIM}</p>")
    attribution = AttributionFactory(
        claim=ClaimFactory(article=article, text=CLAIM),
        document=SourceDocumentFactory(
            title="Console makers expect a record year",
            publisher=PublisherFactory(name="Bloomberg"),
            published_on=dt.date(2026, 5, 7),
        ),
        via=PublisherFactory(name="Reuters"),
        relation=Attribution.Relation.QUOTED_BY,
        via_on=dt.date(2026, 5, 8),
        passage=PASSAGE,
    )
    AttributionHop.objects.create(
        attribution=attribution,
        publisher=PublisherFactory(name="Yahoo Finance"),
        relation=Attribution.Relation.CARRIED_BY,
        url="https://yahoo-finance.example/reuters-story",
        on=dt.date(2026, 5, 9),
    )
    return attribution


def test_restoring_a_revision_brings_back_the_chain_its_dates_and_the_passage(editor, attribution):
    article = attribution.claim.article
    saved = revisions.record(article, by=editor)
    attribution.hops.all().delete()
    Attribution.objects.filter(pk=attribution.pk).update(via_on=None, passage="")

    _, warnings = revisions.restore(saved, by=editor)

    assert warnings == []
    restored = Attribution.objects.get(claim__article=article)
    assert restored.via_on == dt.date(2026, 5, 8)
    assert restored.passage == PASSAGE
    assert [(h.publisher.name, h.relation, h.url, h.on) for h in restored.hops.all()] == [
        (
            "Yahoo Finance",
            "carried_by",
            "https://yahoo-finance.example/reuters-story",
            dt.date(2026, 5, 9),
        )
    ]
    assert (
        str(restored) == "according to Bloomberg as cited by Reuters, as carried by Yahoo Finance"
    )


def test_the_diff_between_revisions_shows_a_changed_chain(editor, attribution):
    article = attribution.claim.article
    before = revisions.snapshot(article)
    hop = attribution.hops.get()
    hop.publisher = PublisherFactory(name="MSN")
    hop.save()

    [change] = revisions.diff(before, revisions.snapshot(article))

    assert change.label == "Claims and sources"
    removed = [text for sign, text in change.lines if sign == "-"]
    added = [text for sign, text in change.lines if sign == "+"]
    assert "Yahoo Finance (carried_by, 2026-05-09)" in removed[0]
    assert "Reuters (quoted_by, 2026-05-08) → MSN (carried_by, 2026-05-09)" in added[0]


def test_a_chain_naming_a_publisher_since_removed_is_restored_without_its_hops(editor, attribution):
    article = attribution.claim.article
    saved = revisions.record(article, by=editor)
    saved.data["claims"][0]["sources"][0]["hops"][0]["publisher"] = 999_999
    saved.save()

    _, warnings = revisions.restore(saved, by=editor)

    assert len(warnings) == 1
    assert "no longer exists" in warnings[0]
    restored = Attribution.objects.get(claim__article=article)
    assert str(restored) == "according to Bloomberg as quoted by Reuters"


def test_revisions_saved_before_chains_existed_still_restore(editor, attribution):
    article = attribution.claim.article
    saved = revisions.record(article, by=editor)
    for source in saved.data["claims"][0]["sources"]:
        for key in ("via_on", "hops", "passage"):
            del source[key]
    saved.save()

    _, warnings = revisions.restore(saved, by=editor)

    assert warnings == []
    restored = Attribution.objects.get(claim__article=article)
    assert (restored.via_on, restored.passage, restored.hops.count()) == (None, "", 0)


def test_the_provenance_record_carries_each_sources_chain(attribution):
    record = provenance.content(attribution.claim.article)
    [claim] = record["claims"]
    [source] = claim["sources"]
    assert source["intermediary"] == "Reuters"
    assert source["chain"] == [
        {"publisher": "Reuters", "relation": "quoted_by", "url": None, "date": "2026-05-08"},
        {
            "publisher": "Yahoo Finance",
            "relation": "carried_by",
            "url": "https://yahoo-finance.example/reuters-story",
            "date": "2026-05-09",
        },
    ]
