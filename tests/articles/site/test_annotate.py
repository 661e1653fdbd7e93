"""Citations land exactly where the character-by-character reading put them.

``annotate_claims`` reads the body a stretch at a time; the oracle below is the
original reading, one character at a time, kept here only to check against.
"""

import re
from types import SimpleNamespace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from articles.site.annotate import _ReaderText, annotate_claims, citation_markup
from sources.citations import CitedClaim
from sources.text import fold, normalise_text

_TOKEN = re.compile(r"<[^>]+>|[^<]+")
_CHAR = re.compile(r"&#?\w+;|.", re.DOTALL)
_BLOCK = re.compile(
    r"</?(?:p|br|hr|li|ul|ol|h[1-6]|blockquote|div|figure|figcaption|table|tr|td|th)\b",
    re.IGNORECASE,
)


def oracle_reader_text(body: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    offsets: list[int] = []

    def emit(char: str, offset: int) -> None:
        if char.isspace():
            if not chars or chars[-1] == " ":
                return
            char = " "
        chars.append(char)
        offsets.append(offset)

    for token in _TOKEN.finditer(body):
        if token.group().startswith("<"):
            if _BLOCK.match(token.group()):
                emit(" ", token.start())
            continue
        for piece in _CHAR.finditer(token.group()):
            for char in fold(piece.group()):
                emit(char, token.start() + piece.end())
    return "".join(chars), offsets


def oracle_annotate(body: str, cited_claims: list[CitedClaim]) -> str:
    text, offsets = oracle_reader_text(body)
    insertions = []
    for number, cited in enumerate(cited_claims, start=1):
        needle = normalise_text(cited.claim.text)
        at = text.find(needle) if needle and cited.parts else -1
        if at < 0:
            continue
        insertions.append((offsets[at + len(needle) - 1], number, citation_markup(cited, number)))
    for offset, _, markup in sorted(insertions, key=lambda i: (i[0], i[1]), reverse=True):
        body = body[:offset] + markup + body[offset:]
    return body


PIECES = [
    "Sony", "profit", "rose", "12%", "in", "the", "quarter.", "e\u0301", "\u212b", "\u0344",
    " ", "  ", "\n", "\t", " \n ", "\u2009", "\u00a0", "&nbsp;", "&amp;", "&lt;", "&#8217;",
    "&#x27;", "&#10;", "&#32;", "&unknown;", "&amp", "&", "‘", "’", "“", "”", "\"", "'",
    "<p>", "</p>", "<br>", "<h2>", "</h2>", "<li>", "<em>", "</em>", "<strong>", "</strong>",
    '<a href="https://example.com/?a=1&amp;b=2">', "</a>", "<", ">", "<>", "a<b", "<P class=x>",
    "<pre>", "<table>", "<td>", "<BR/>", "&NotEqualTilde;", "Å", "ﬁ", "\x1c", "\u2028",
    "\u3000", "&#xa0;", "&#x2019;", "\u00e9", "\u0301",
]  # fmt: skip

bodies = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@st.composite
def body_and_claims(draw):
    body = draw(bodies)
    text, _ = oracle_reader_text(body)
    claims = []
    for _ in range(draw(st.integers(0, 4))):
        if text and draw(st.booleans()):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            claim_text = text[start:end]
        else:
            claim_text = draw(st.sampled_from([*PIECES, "Sony profit", "rose 12%"]))
        claims.append(claim_text)
    return body, claims


def cited(texts: list[str]) -> list[CitedClaim]:
    return [
        CitedClaim(SimpleNamespace(text=text), [(f"Source {n}", n)] if n % 5 else [])
        for n, text in enumerate(texts, start=1)
    ]


@settings(max_examples=300, deadline=None)
@given(bodies)
@example("<p>So<em>ny</em> rose&nbsp;12%</p>\n\n<p>  Next&amp;last </p>")
def test_the_body_reads_as_it_did_character_by_character(body):
    reader = _ReaderText(body)
    text, offsets = oracle_reader_text(body)
    assert reader.text == text
    assert [reader.offset(i) for i in range(len(text))] == offsets


@settings(max_examples=300, deadline=None)
@given(body_and_claims())
@example(("<p>Profit <strong>rose 12%</strong> in the quarter. Then more.</p>", ["rose 12% in"]))
def test_citations_land_where_they_did_character_by_character(case):
    body, texts = case
    claims = cited(texts)
    assert annotate_claims(body, claims) == oracle_annotate(body, claims)


def test_a_claim_that_ends_in_an_entity_is_cited_after_the_entity():
    body = "<p>Profits &amp; sales rose &#8220;sharply&#8221;. More.</p>"
    [claim] = cited(["sales rose “sharply”"])
    html = annotate_claims(body, [claim])
    assert 'rose &#8220;sharply&#8221; <span class="citation" id="claim-1">' in html
