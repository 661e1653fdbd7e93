"""Properties of the two cleaners over whatever hypothesis can make up: the body's HTML
sanitiser and the plain-text cleaner (``articles.sanitize``)."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django_prose_editor.config import allowlist_from_extensions, expand_extensions
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.sanitize import BODY_EXTENSIONS, clean_text, sanitize_html

# No example database in the working tree; no deadline on a busy CI machine.
PROPERTY = settings(max_examples=300, database=None, deadline=None)

ALLOWLIST = allowlist_from_extensions(expand_extensions(BODY_EXTENSIONS))
LINK_SCHEMES = {"", "http", "https", "mailto"}  # "": a link within the site

# Every code point, lone surrogates included (hypothesis leaves them out by default).
ANY_TEXT = st.text(st.characters(exclude_categories=()))

# Pieces of hostile and ordinary markup, mixed with any text.
MARKUP = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<h1>",
        "<h2 class=x>",
        "</h2>",
        "<b>",
        "<strong>",
        "</strong>",
        "<em onclick=alert(1)>",
        "<br>",
        "<hr/>",
        "<ul><li>",
        "</li></ul>",
        "<ol start=3>",
        "<blockquote cite=x>",
        "<sub>",
        "<sup>",
        "<s>",
        '<a href="https://example.com/" target=_blank rel=opener>',
        '<a href="javascript:alert(1)">',
        "<a href=mailto:desk@example.com>",
        "<a href=\x0bjavascript:alert(1)>",
        "</a>",
        "<script>alert(1)</script>",
        "<style>p{}</style>",
        "<img src=x onerror=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mi>",
        "<table><tr><td>",
        "<template><p>",
        "<noscript><p title='</noscript><img src=x onerror=alert(1)>'>",
        "<iframe srcdoc='<script>alert(1)</script>'>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<",
        ">",
        "&",
        '"',
        "'",
        "&amp;",
        "&lt;script&gt;",
        "&#11;",
        "&#0;",
        "&#x85;",
        "&#xD800;",
        "&#xFFFF;",
        "&#x1F600;",
        "\x00",
        "\x0b",
        "\x0c",
        "\x7f",
        "\x9f",
        "\ufffe",
        "\ud800",
    ]
)
HTML = st.lists(st.one_of(MARKUP, ANY_TEXT), max_size=30).map("".join)


def is_xml_char(char: str) -> bool:
    """XML 1.0's Char production, from the specification rather than from the code."""
    point = ord(char)
    return (
        point in (0x9, 0xA, 0xD)
        or 0x20 <= point <= 0xD7FF
        or 0xE000 <= point <= 0xFFFD
        or 0x10000 <= point <= 0x10FFFF
    )


def kept(char: str) -> bool:
    """What the cleaner keeps: XML's characters less DEL and the C1 controls (by choice)."""
    return is_xml_char(char) and not 0x7F <= ord(char) <= 0x9F


class Elements(HTMLParser):
    """The tags of a document with their attributes, and its text with references decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)


def parsed(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


# -- sanitize_html ----------------------------------------------------------------------------


@PROPERTY
@given(HTML, st.booleans())
def test_sanitising_twice_changes_nothing(html, sponsored):
    once = sanitize_html(html, sponsored=sponsored)
    assert sanitize_html(once, sponsored=sponsored) == once


@PROPERTY
@given(HTML, st.booleans())
def test_sanitised_html_holds_only_allow_listed_tags_and_attributes(html, sponsored):
    allowed_tags = set(ALLOWLIST["tags"])
    allowed_attributes = {tag: set(names) for tag, names in ALLOWLIST["attributes"].items()}
    if sponsored:
        allowed_attributes.setdefault("a", set()).add("rel")

    for tag, attributes in parsed(sanitize_html(html, sponsored=sponsored)).found:
        assert tag in allowed_tags
        assert {name for name, _ in attributes} <= allowed_attributes.get(tag, set())


@PROPERTY
@given(HTML, st.booleans())
def test_sanitised_html_and_its_text_carry_only_what_xml_can(html, sponsored):
    cleaned = sanitize_html(html, sponsored=sponsored)
    text = "".join(parsed(cleaned).text)
    assert all(kept(char) for char in cleaned + text)


@PROPERTY
@given(HTML, st.booleans())
def test_sanitised_links_lead_only_to_web_and_mail_addresses(html, sponsored):
    for _tag, attributes in parsed(sanitize_html(html, sponsored=sponsored)).found:
        for name, value in attributes:
            if name == "href":
                assert urlsplit((value or "").strip()).scheme.lower() in LINK_SCHEMES


# -- clean_text -------------------------------------------------------------------------------


@PROPERTY
@given(ANY_TEXT)
def test_cleaning_text_twice_changes_nothing(text):
    assert clean_text(clean_text(text)) == clean_text(text)


@PROPERTY
@given(ANY_TEXT)
def test_cleaned_text_is_the_text_less_exactly_what_xml_cannot_carry(text):
    cleaned = clean_text(text)
    remaining = iter(text)
    assert all(char in remaining for char in cleaned)  # a subsequence of the input
    assert cleaned == "".join(char for char in text if kept(char))


@PROPERTY
@given(ANY_TEXT)
def test_cleaned_text_survives_an_xml_round_trip(text):
    cleaned = clean_text(text)
    # A parser turns a literal CR into LF; written as a reference it stays itself.
    document = f"<t>{escape(cleaned, {chr(13): '&#13;'})}</t>".encode()
    assert (ET.fromstring(document).text or "") == cleaned
