"""The inline-citation parser finds the shapes newsrooms and agents write, resolves each
source to a document (or says why not), and says which words to take out so that the
claim's words stay in the body."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.inline import Candidate, find
from sources.inline_html import remove_from_html
from sources.text import normalise_text

RELEASE = Candidate(1, "Lumen results", "Kestrel Interactive", dt.date(2026, 5, 8), "press_release")
WIRE = Candidate(2, "Shares climb", "Wirewire", dt.date(2026, 4, 10), "wire_report")
ORBIS = Candidate(3, "Chief executive interview", "Orbis", dt.date(2026, 4, 2), "interview")
WIRE_LATER = Candidate(4, "Analysts react", "Wirewire", dt.date(2026, 4, 11), "wire_report")
DOCUMENTS = [RELEASE, WIRE, ORBIS]
PUBLISHERS = ["Portalia", "Nimbus News"]


def one(body, documents=DOCUMENTS, publishers=PUBLISHERS):
    [citation] = find(body, documents, publishers)
    return citation


def chain_of(source):
    return [(hop.publisher, hop.relation) for hop in source.hops]


def test_one_source_in_parentheses():
    citation = one("<p>Kestrel sold 4.1 million consoles (Kestrel Interactive).</p>")
    assert citation.text == "(Kestrel Interactive)"
    assert citation.claim == "Kestrel sold 4.1 million consoles"
    assert [s.document for s in citation.sources] == [RELEASE]
    assert citation.resolved


def test_two_sources_one_a_wire_carried_by_a_portal():
    citation = one(
        "<p>Its rival remains a major shareholder (Kestrel Interactive; Wirewire/Portalia).</p>"
    )
    first, second = citation.sources
    assert (first.document, second.document) == (RELEASE, WIRE)
    assert chain_of(second) == [("Portalia", "carried_by")]
    assert citation.claim == "Its rival remains a major shareholder"


@pytest.mark.parametrize("day", ["April 10", "10 April", "April 10, 2026", "Apr. 10"])
def test_a_wire_via_a_portal_with_its_date(day):
    citation = one(
        f"<p>The shares rose 3% (Wirewire via Portalia, {day}).</p>",
        documents=[WIRE, WIRE_LATER],
    )
    [source] = citation.sources
    assert source.document == WIRE
    assert chain_of(source) == [("Portalia", "carried_by")]


def test_a_date_matching_no_document_says_so():
    citation = one("<p>The shares rose 3% (Wirewire via Portalia, April 12).</p>", [WIRE])
    assert not citation.resolved
    assert "No document from Wirewire is dated 12 April" in citation.problems[0]


def test_a_year_that_does_not_match_is_no_match():
    citation = one("<p>The shares rose (Wirewire via Portalia, April 10, 2025).</p>", [WIRE])
    assert not citation.resolved


def test_a_name_matching_two_documents_is_ambiguous_and_names_both():
    citation = one("<p>Analysts were cautious (Wirewire).</p>", [WIRE, WIRE_LATER])
    assert not citation.resolved
    assert [c.id for c in citation.sources[0].choices] == [2, 4]
    assert "“Shares climb”" in citation.problems[0]
    assert "“Analysts react”" in citation.problems[0]


def test_a_known_publisher_without_a_document_says_so():
    citation = one("<p>Supply recovered (Nimbus News).</p>")
    assert citation.problems == ["No document from Nimbus News is among the sources."]


def test_according_to_after_the_clause():
    citation = one("<p>Margins narrowed, according to Kestrel Interactive.</p>")
    assert citation.text == "according to Kestrel Interactive"
    assert citation.claim == "Margins narrowed"
    assert citation.sources[0].document == RELEASE


def test_according_to_before_the_clause_capitalises_what_follows():
    body = (
        "<p>According to Orbis as quoted by Portalia, the chief executive called it "
        "“a turning point”.</p>"
    )
    citation = one(body)
    assert citation.claim == 'The chief executive called it "a turning point"'
    assert chain_of(citation.sources[0]) == [("Portalia", "quoted_by")]
    assert remove_from_html(body, [citation]) == (
        "<p>The chief executive called it “a turning point”.</p>"
    )


def test_according_to_in_the_middle_of_a_sentence():
    body = "<p>Sales, according to Kestrel Interactive, rose 5%.</p>"
    citation = one(body)
    assert citation.claim == "Sales rose 5%"
    assert remove_from_html(body, [citation]) == "<p>Sales rose 5%.</p>"


def test_a_release_and_a_report_published_by_a_portal():
    body = (
        "<p>Margins narrowed, according to Kestrel Interactive’s May\u00a08 release and a "
        "Wirewire report published by Portalia.</p>"
    )
    citation = one(
        body,
        [
            RELEASE,
            WIRE,
            ORBIS,
            Candidate(9, "Old", "Kestrel Interactive", dt.date(2026, 1, 5), "filing"),
        ],
    )
    release, report = citation.sources
    assert release.document == RELEASE
    assert release.kinds == ("press_release",)
    assert report.document == WIRE
    assert chain_of(report) == [("Portalia", "carried_by")]
    assert remove_from_html(body, [citation]) == "<p>Margins narrowed.</p>"


def test_a_chain_of_custody():
    citation = one(
        "<p>The deal was delayed, according to Orbis as cited by Wirewire, as carried by "
        "Portalia.</p>"
    )
    [source] = citation.sources
    assert source.document == ORBIS
    assert chain_of(source) == [("Wirewire", "quoted_by"), ("Portalia", "carried_by")]


def test_an_unknown_intermediary_says_so():
    citation = one("<p>The deal was delayed, according to Orbis as quoted by Glimmerpost.</p>")
    assert "“Glimmerpost” is not a known publisher (unknown intermediary)." in citation.problems


def test_an_unknown_source_in_running_text_says_so():
    citation = one("<p>Profits doubled, according to Acme Research.</p>")
    assert citation.problems == ["No document from Acme Research is among the sources."]


def test_a_reporting_verb_keeps_its_words_and_claims_the_sentence():
    body = "<p>Orbis reported that a new model is planned.</p>"
    citation = one(body)
    assert not citation.removable
    assert citation.claim == "Orbis reported that a new model is planned"
    assert citation.sources[0].document == ORBIS
    assert remove_from_html(body, [citation]) == body


@pytest.mark.parametrize(
    "body",
    [
        "<p>The PS5 (in dollars) sells well (PS5).</p>",
        "<p>It rose (see chart).</p>",
        "<p>It fell (portalia is a word here).</p>",
    ],
)
def test_ordinary_parentheses_are_not_citations(body):
    assert find(body, DOCUMENTS, PUBLISHERS) == []


def test_typographic_quotes_and_no_break_spaces_are_folded():
    body = (
        "<p>The chief said “we are ready”\u00a0(Orbis). Orbis’s rival agreed "
        "(Kestrel\u00a0Interactive).</p>"
    )
    first, second = find(body, DOCUMENTS, PUBLISHERS)
    assert first.claim == 'The chief said "we are ready"'
    assert second.sources[0].document == RELEASE
    assert remove_from_html(body, [first, second]) == (
        "<p>The chief said “we are ready”. Orbis’s rival agreed.</p>"
    )


def test_a_month_ends_a_sentence_but_its_abbreviation_does_not():
    body = "<p>Sales rose in May. Costs fell (Orbis). Shares rose on Apr. 2 (Orbis).</p>"
    first, second = find(body, DOCUMENTS, PUBLISHERS)
    assert (first.claim, second.claim) == ("Costs fell", "Shares rose on Apr. 2")


def test_two_citations_in_one_sentence_claim_each_clause():
    body = "<p>Sales rose 5% (Kestrel Interactive), while costs fell 2% (Orbis).</p>"
    first, second = find(body, DOCUMENTS, PUBLISHERS)
    assert (first.claim, second.claim) == ("Sales rose 5%", "while costs fell 2%")
    assert remove_from_html(body, [first, second]) == "<p>Sales rose 5%, while costs fell 2%.</p>"


def test_markup_around_a_citation_is_kept_and_a_linked_name_goes_with_it():
    body = (
        '<p><strong>Sales</strong> rose (<a href="https://example.com/r">Kestrel Interactive</a>).'
        "</p><h2>Next</h2><p>Costs fell (Orbis).</p>"
    )
    citations = find(body, DOCUMENTS, PUBLISHERS)
    assert [c.claim for c in citations] == ["Sales rose", "Costs fell"]
    assert remove_from_html(body, citations) == (
        "<p><strong>Sales</strong> rose.</p><h2>Next</h2><p>Costs fell.</p>"
    )


def test_positions_are_offsets_in_the_body_text():
    body = "<p>Sales rose.</p><p>Supply recovered (Nimbus News).</p>"
    [citation] = find(body, DOCUMENTS, PUBLISHERS)
    assert "Sales rose. Supply recovered (Nimbus News)."[citation.position :].startswith(
        "(Nimbus News)"
    )


def test_the_same_body_gives_the_same_citations():
    body = "<p>Its rival remains a shareholder (Kestrel Interactive; Wirewire/Portalia).</p>"
    assert find(body, DOCUMENTS, PUBLISHERS) == find(body, DOCUMENTS, PUBLISHERS)


def test_the_article_s_own_documents_come_before_the_library():
    library = Candidate(7, "Old shares story", "Wirewire", None, "wire_report", tier=1)
    citation = one("<p>The shares rose (Wirewire).</p>", [WIRE, library])
    assert citation.sources[0].document == WIRE


FRAGMENTS = [
    "Sales rose 5%",
    " (Kestrel Interactive)",
    " (Wirewire via Portalia, April 10)",
    ", according to Orbis as quoted by Portalia",
    "According to Orbis, ",
    " (PS5)",
    "the chief said “we are ready”",
    "&nbsp;",
    "&amp;",
    "<em>",
    "</em>",
    ". ",
    "</p><p>",
    " Orbis said ",
    "\u00a0",
    "(",
    ")",
    ";",
]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25))
@settings(max_examples=300, deadline=None)
def test_any_body_parses_and_accepted_claims_stay_in_the_body(fragments):
    body = "<p>" + "".join(fragments) + "</p>"
    citations = find(body, DOCUMENTS, PUBLISHERS)
    resolved = [c for c in citations if c.resolved]
    stripped = remove_from_html(body, resolved)
    if stripped is None:
        return  # refused as a whole: nothing is taken out
    text = normalise_text(stripped)
    for citation in resolved:
        assert normalise_text(citation.claim) in text
