"""The unsourced-statement check: how a body is cut into sentences, which sentences read
as factual assertions and why, which a claim already covers, and how well it does on
texts with known answers."""

import time

import pytest

from sources.assertions import Finding, assertion_kinds, sentences, unsourced_statements
from tests.sources.measure_unsourced import demo_cases, own_cases, scores

# -- sentences --------------------------------------------------------------------------


def test_abbreviations_decimals_and_initialisms_do_not_end_a_sentence():
    body = (
        "<p>Mr. Hale met Dr. Osei in the U.S. capital. Shares rose 3.5 per cent. "
        "Apple Inc. said nothing. It moved to the U.S. The rest stayed.</p>"
    )
    assert sentences(body) == [
        "Mr. Hale met Dr. Osei in the U.S. capital.",
        "Shares rose 3.5 per cent.",
        "Apple Inc. said nothing.",
        "It moved to the U.S.",
        "The rest stayed.",
    ]


def test_a_quotation_with_sentence_ends_inside_stays_one_sentence_with_its_speaker():
    body = (
        "<blockquote><p>“The water came in. Then it rose,” said Ruth Akers. "
        "She left.</p></blockquote>"
    )
    assert sentences(body) == ['"The water came in. Then it rose," said Ruth Akers.', "She left."]


def test_list_items_and_paragraphs_are_sentences_of_their_own_and_headings_are_left_out():
    body = (
        "<h2>Sales in 2024</h2><p>Prices fell</p>"
        "<ul><li>Libraries stay open</li><li>Parks too</li></ul>"
    )
    assert sentences(body) == ["Prices fell", "Libraries stay open", "Parks too"]


def test_sentences_read_the_body_as_claims_are_matched_against_it():
    body = "<p>The <em>Folio</em>&nbsp;3 costs £120.\n It&#8217;s light.</p>"
    assert sentences(body) == ["The Folio 3 costs £120.", "It's light."]


# -- what makes an assertion ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        ("Sales rose 6% to £4.2m.", ("figure",)),
        ("Orders doubled.", ("figure",)),
        ("It employs two million people.", ("figure",)),
        ("About a quarter of the posts go to graduates.", ("figure",)),
        ("The river peaked on Sunday.", ("date",)),
        ("The wall was overtopped last winter.", ("date",)),
        ("Work starts in March.", ("date",)),
        ('He called it "a very big deal".', ("quotation",)),
        ("She called it ‘a very big deal’.", ("quotation",)),
        ("The agency said residents could return.", ("reporting",)),
        ("According to the filing, costs rose.", ("reporting",)),
        ("The company announced a merger.", ("reporting",)),
        ("Analysts estimated the cost at 40m in 2023.", ("figure", "date", "reporting")),
        ("The lamp turns and nobody can say why.", ()),
        ("It may rain.", ()),
        ("That is all 'The Lantern Keepers' needs.", ()),
        ('It was "fine".', ()),
        ("Readers deserve to know which is which.", ()),
    ],
)
def test_each_kind_of_assertion_is_recognised_and_named(sentence, kinds):
    assert assertion_kinds(sentence) == kinds


def test_a_finding_says_why_in_words():
    finding = Finding("Sales rose 6% on Monday.", ("figure", "date"))
    assert finding.why == "a figure or amount, a date"


# -- covered by a claim ---------------------------------------------------------------


def test_a_sentence_a_claim_covers_is_not_listed():
    body = (
        "<p>Sales fell 6 per cent in the year to August, the report shows. "
        "The company said it would cut 900 jobs. Staff were told on Monday.</p>"
    )
    found = unsourced_statements(
        body,
        [
            "Sales fell 6 per cent in the year to August",  # part of a sentence
            "The company said it would cut 900 jobs. Staff were told",  # more than one
        ],
    )
    assert found == [Finding("Staff were told on Monday.", ("date", "reporting"))]


def test_claims_are_compared_as_normalised_text():
    body = "<p>“We are ready,” the mayor said in May.</p>"
    assert unsourced_statements(body, ["\u201cWe are ready,\u201d the mayor said in May."]) == []


def test_a_repeated_sentence_is_listed_once_and_an_empty_body_has_none():
    assert len(unsourced_statements("<p>It rose 5%.</p><p>It rose 5%.</p>")) == 1
    assert unsourced_statements("") == []


def test_a_5000_word_body_is_checked_well_under_50_ms():
    paragraph = (
        "<p>Mr. Hale said on Monday that sales rose 3.5 per cent to £4.2m. "
        "“We are pleased. It was a good year,” he told reporters. "
        "The weather was pleasant and the mood was calm. "
        "According to the U.S. filing, costs doubled. Nobody minded much.</p>"
    )
    body = "\n".join([paragraph] * (5000 // len(paragraph.split()) + 1))
    assert len(body.split()) >= 5000
    unsourced_statements(body, ["Nobody minded much."])  # warm the regular expressions
    started = time.perf_counter()
    found = unsourced_statements(body, ["Nobody minded much."])
    elapsed = time.perf_counter() - started
    assert len(found) == 3  # repeated sentences are listed once
    assert elapsed < 0.05, f"{elapsed * 1000:.1f} ms"


# -- measured on texts with known answers ---------------------------------------------


def test_precision_and_recall_on_our_labelled_texts_are_at_least_0_8():
    cases = list(own_cases())
    result = scores(cases)
    print(f"own labelled texts ({len(cases)} sentences): {result}")
    assert len(cases) >= 60
    assert result["precision"] >= 0.8
    assert result["recall"] >= 0.8


def test_precision_and_recall_on_the_demo_newsroom_are_measured():
    cases = list(demo_cases())
    result = scores(cases)
    print(f"demo newsroom ({len(cases)} sentences): {result}")
    # Below the labelled texts: reviews and opinion use number words freely, and many
    # factual sentences carry none of the four marks. Held here so it cannot slip.
    assert result["precision"] >= 0.75
    assert result["recall"] >= 0.7
