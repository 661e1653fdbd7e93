"""Chains of custody: a source passed on by more than one outlet, as readers read it
(in a claim's citation and the Sources list), numbered, checked and fetched."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sources.chains import attribution_chain_problems, chain_problems
from sources.citations import citation_text, cite
from sources.models import Attribution, AttributionHop, Claim, Publisher, SourceDocument
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    ClaimFactory,
    PublisherFactory,
    SourceDocumentFactory,
)

pytestmark = pytest.mark.django_db

REFERENCE = dt.date(2026, 11, 28)
MAY_7, MAY_8, MAY_9 = dt.date(2026, 5, 7), dt.date(2026, 5, 8), dt.date(2026, 5, 9)
CARRIED, QUOTED, DATA = (
    Attribution.Relation.CARRIED_BY,
    Attribution.Relation.QUOTED_BY,
    Attribution.Relation.DATA_FROM,
)


@pytest.fixture
def claim():
    article = ArticleFactory(body="<p>Console sales will double. Prices will fall.</p>")
    return ClaimFactory(article=article, text="Console sales will double.")


@pytest.fixture
def bloomberg_report():
    return SourceDocumentFactory(
        title="Console makers expect a record year",
        publisher=PublisherFactory(name="Bloomberg"),
        kind=SourceDocument.Kind.NEWS_ARTICLE,
        published_on=MAY_7,
    )


def publisher(name: str) -> Publisher:
    return PublisherFactory(name=name)


def chained(claim, document, *, hops=(("Yahoo Finance", CARRIED, MAY_9),), position=0):
    """``document`` quoted by Reuters on May 8, then passed on by ``hops`` in order."""
    attribution = AttributionFactory(
        claim=claim,
        document=document,
        via=publisher("Reuters"),
        relation=QUOTED,
        via_url="https://reuters.example/bloomberg-says",
        via_on=MAY_8,
        position=position,
    )
    for i, (name, relation, day) in enumerate(hops):
        AttributionHop.objects.create(
            attribution=attribution,
            position=i,
            publisher=publisher(name),
            relation=relation,
            url=f"https://{name.lower().replace(' ', '-')}.example/story",
            on=day,
        )
    return attribution


def read(claim) -> str:
    claim = Claim.objects.with_citations().get(pk=claim.pk)
    return citation_text(claim.attributions.all(), reference=REFERENCE)


# -- wording -----------------------------------------------------------------------------


def test_the_four_everyday_shapes_read_exactly_as_before(claim, bloomberg_report):
    sony = SourceDocumentFactory(publisher=publisher("Sony"), published_on=dt.date(2026, 4, 9))
    reuters = SourceDocumentFactory(
        publisher=publisher("Reuters"), published_on=dt.date(2026, 4, 10)
    )
    yahoo = publisher("Yahoo Finance")
    first_hand = AttributionFactory(claim=claim, document=sony)
    assert read(claim) == "Sony"
    AttributionFactory(claim=claim, document=reuters, via=yahoo, relation=CARRIED, position=1)
    assert read(claim) == "Sony; Reuters/Yahoo Finance"
    first_hand.delete()
    assert read(claim) == "Reuters via Yahoo Finance, April 10"
    claim.attributions.all().delete()
    AttributionFactory(claim=claim, document=bloomberg_report, via=yahoo, relation=QUOTED)
    assert read(claim) == "according to Bloomberg as quoted by Yahoo Finance"


def test_a_chain_reads_each_outlet_in_order_with_how_it_passed_the_source_on(
    claim, bloomberg_report
):
    chained(claim, bloomberg_report)
    assert read(claim) == "according to Bloomberg as cited by Reuters, as carried by Yahoo Finance"


def test_a_longer_chain_names_every_step(claim, bloomberg_report):
    chained(
        claim,
        bloomberg_report,
        hops=[("Yahoo Finance", CARRIED, MAY_9), ("Stats Portal", DATA, None)],
    )
    assert read(claim) == (
        "according to Bloomberg as cited by Reuters, as carried by Yahoo Finance, "
        "in data published by Stats Portal"
    )


def test_in_a_list_of_sources_a_chain_is_compact(claim, bloomberg_report):
    AttributionFactory(claim=claim, document=SourceDocumentFactory(publisher=publisher("Sony")))
    chained(claim, bloomberg_report, position=1)
    assert read(claim) == "Sony; Bloomberg/Reuters/Yahoo Finance"


def test_the_date_a_portal_carried_a_wire_report_dates_the_carried_shape(claim):
    report = SourceDocumentFactory(publisher=publisher("Reuters"), published_on=MAY_7)
    AttributionFactory(
        claim=claim, document=report, via=publisher("Yahoo Finance"), relation=CARRIED, via_on=MAY_9
    )
    assert read(claim) == "Reuters via Yahoo Finance, May 9"


def test_a_german_reader_reads_the_chain_in_german(claim, bloomberg_report):
    chained(claim, bloomberg_report)
    with translation.override("de"):
        assert read(claim) == ("laut Bloomberg, zitiert von Reuters, erschienen bei Yahoo Finance")


def test_the_sources_list_names_each_intermediary_with_its_date_and_link(claim, bloomberg_report):
    chained(claim, bloomberg_report)
    claims = Claim.objects.with_citations().filter(pk=claim.pk)
    _, [entry] = cite(claims, reference=REFERENCE)

    assert entry.is_chain
    assert entry.intermediary == "As quoted by Reuters (May 8), carried by Yahoo Finance (May 9)"
    assert entry.intermediary_html == (
        'As quoted by <a href="https://reuters.example/bloomberg-says">Reuters</a> '
        '(<time datetime="2026-05-08">May 8</time>), carried by '
        '<a href="https://yahoo-finance.example/story">Yahoo Finance</a> '
        '(<time datetime="2026-05-09">May 9</time>)'
    )


def test_a_publisher_name_cannot_inject_markup_into_the_sources_list(claim, bloomberg_report):
    attribution = chained(claim, bloomberg_report)
    hop = attribution.hops.get()
    hop.publisher.name = "<script>alert(1)</script>"
    hop.publisher.save()
    _, [entry] = cite(Claim.objects.with_citations().filter(pk=claim.pk), reference=REFERENCE)
    assert "<script>" not in entry.intermediary_html
    assert "&lt;script&gt;" in entry.intermediary_html


# -- numbering ---------------------------------------------------------------------------


def test_one_number_per_document_and_chain(bloomberg_report):
    article = ArticleFactory(body="<p>One. Two. Three.</p>")
    one, two, three = (ClaimFactory(article=article, text=t) for t in ["One.", "Two.", "Three."])
    chained(one, bloomberg_report)
    chained(two, bloomberg_report)  # the same document through the same chain
    chained(three, bloomberg_report, hops=[("MSN", CARRIED, MAY_9)])  # another chain

    claims = Claim.objects.with_citations().filter(article=article).order_by("pk")
    cited, sources = cite(claims, reference=REFERENCE)

    assert [c.parts[0][1] for c in cited] == [1, 1, 2]
    assert [e.intermediary for e in sources] == [
        "As quoted by Reuters (May 8), carried by Yahoo Finance (May 9)",
        "As quoted by Reuters (May 8), carried by MSN (May 9)",
    ]


# -- the rules ---------------------------------------------------------------------------


def test_a_valid_chain_has_no_problem(bloomberg_report):
    problems = chain_problems(
        document=bloomberg_report,
        via=publisher("Reuters"),
        via_on=MAY_8,
        hops=[(publisher("Yahoo Finance"), MAY_9)],
    )
    assert problems == []


def test_further_intermediaries_need_a_first_one(bloomberg_report):
    [problem] = chain_problems(
        document=bloomberg_report, via=None, via_on=None, hops=[(publisher("Yahoo"), None)]
    )
    assert problem.startswith("Further intermediaries need a first intermediary")


def test_no_outlet_appears_twice_in_a_chain(bloomberg_report):
    reuters = publisher("Reuters")
    problems = chain_problems(
        document=bloomberg_report,
        via=reuters,
        via_on=None,
        hops=[(publisher("Yahoo Finance"), None), (reuters, None)],
    )
    assert problems == ["Reuters appears twice in the chain."]


def test_the_documents_own_publisher_cannot_pass_it_on(bloomberg_report):
    problems = chain_problems(
        document=bloomberg_report,
        via=publisher("Reuters"),
        via_on=None,
        hops=[(bloomberg_report.publisher, None)],
    )
    assert problems == ["Bloomberg published the document itself, so it cannot also pass it on."]


def test_no_step_is_dated_before_the_document(bloomberg_report):
    problems = chain_problems(
        document=bloomberg_report,
        via=publisher("Reuters"),
        via_on=dt.date(2026, 5, 1),
        hops=[(publisher("Yahoo Finance"), dt.date(2026, 5, 6))],
    )
    assert problems == [
        "Reuters cannot have passed it on (2026-05-01) before the document was published "
        "(2026-05-07).",
        "Yahoo Finance cannot have passed it on (2026-05-06) before the document was "
        "published (2026-05-07).",
    ]


def test_a_saved_chain_is_checked_with_its_hops(claim, bloomberg_report):
    attribution = chained(claim, bloomberg_report)
    assert attribution_chain_problems(attribution) == []
    attribution.via = None
    assert attribution_chain_problems(attribution)[0].startswith("Further intermediaries")


# -- fetching ----------------------------------------------------------------------------


def _queries_to_cite(article) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        claims = Claim.objects.with_citations().filter(article=article)
        cited, _ = cite(claims, reference=REFERENCE)
        text = " | ".join(c.text for c in cited)
    return len(queries), text


def test_citing_costs_the_same_for_2_and_20_chained_claims():
    article = ArticleFactory(body="<p>" + " ".join(f"Fact {i}." for i in range(20)) + "</p>")

    def add(numbers):
        for i in numbers:
            claim = ClaimFactory(article=article, text=f"Fact {i}.")
            document = SourceDocumentFactory(publisher=publisher(f"Origin {i}"))
            chained(
                claim, document, hops=[(f"Portal {i}", CARRIED, None), (f"Hub {i}", QUOTED, None)]
            )

    add(range(2))
    few, text = _queries_to_cite(article)
    assert (
        "according to Origin 1 as cited by Reuters, as carried by Portal 1, as cited by Hub 1"
        in text
    )
    add(range(2, 20))
    many, text = _queries_to_cite(article)
    # The claims (1), their sources with documents, publishers and intermediaries (2), the
    # further intermediaries with their publishers (3), the claims' checks (4, issue 15 §3).
    assert few == many == 4
    assert text.count("as carried by Portal") == 20
