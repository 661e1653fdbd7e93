"""The embed allow-list (``articles.media.embeds``) and the body markers the sanitiser keeps."""

import re
from html import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.media import embeds
from articles.sanitize import sanitize_html

PROPERTY = settings(max_examples=200, database=None, deadline=None)


@pytest.mark.parametrize(
    ("pasted", "canonical", "provider", "kind"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "YouTube",
            "iframe",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "YouTube",
            "iframe",
        ),
        (
            "https://m.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "YouTube",
            "iframe",
        ),
        (
            "https://vimeo.com/76979871",
            "https://player.vimeo.com/video/76979871",
            "Vimeo",
            "iframe",
        ),
        (
            "https://www.datawrapper.de/_/AbC12/",
            "https://datawrapper.dwcdn.net/AbC12/",
            "Datawrapper",
            "iframe",
        ),
        (
            "https://datawrapper.dwcdn.net/AbC12/3/",
            "https://datawrapper.dwcdn.net/AbC12/3/",
            "Datawrapper",
            "iframe",
        ),
        (
            "https://www.openstreetmap.org/export/embed.html?bbox=13.3,52.5,13.5,52.6&layer=mapnik",
            "https://www.openstreetmap.org/export/embed.html?bbox=13.3,52.5,13.5,52.6&layer=mapnik",
            "OpenStreetMap",
            "iframe",
        ),
        (
            "https://bsky.app/profile/jay.bsky.team/post/3kabcdefghijk",
            "https://bsky.app/profile/jay.bsky.team/post/3kabcdefghijk",
            "Bluesky",
            "card",
        ),
        (
            "https://mastodon.social/@Gargron/109876543210",
            "https://mastodon.social/@Gargron/109876543210",
            "Mastodon",
            "card",
        ),
    ],
)
def test_pasted_addresses_become_canonical_embeds(pasted, canonical, provider, kind):
    embed = embeds.parse(pasted)

    assert (embed.url, embed.provider, embed.kind) == (canonical, provider, kind)
    assert embeds.parse(embed.url) == embed  # stored once, read the same everywhere


def test_videos_are_privacy_enhanced_and_iframes_come_only_from_the_policys_hosts():
    vimeo = embeds.parse("https://vimeo.com/76979871")

    assert vimeo.src == "https://player.vimeo.com/video/76979871?dnt=1"
    for url in (
        "https://youtu.be/dQw4w9WgXcQ",
        "https://vimeo.com/1",
        "https://datawrapper.dwcdn.net/AbC12/",
        "https://www.openstreetmap.org/export/embed.html?bbox=1,2,3,4",
    ):
        src = embeds.parse(url).src
        assert any(src.startswith(origin + "/") for origin in embeds.FRAME_ORIGINS)


@pytest.mark.parametrize(
    "url",
    [
        "https://tracker.example/embed/1",
        "javascript:alert(1)",
        "https://www.youtube.com/watch?v=short",
        "https://user:pw@www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
        'https://youtu.be/dQw4w9WgXcQ"onload="x',
        "https://www.openstreetmap.org/export/embed.html?bbox=0,0,0,0",
        "https://www.openstreetmap.org/export/embed.html?bbox=1,2,x,4",
        "https://bsky.app/profile/jay.bsky.team",
        "https://mastodon.social/@Gargron",
        "",
    ],
)
def test_anything_else_is_refused_with_a_message_naming_it(url):
    assert embeds.parse(url) is None
    with pytest.raises(embeds.UnknownEmbed, match="not on the allow-list"):
        embeds.check(url)


def test_the_sanitiser_keeps_markers_and_only_their_values():
    html = (
        '<figure data-image="12" class="x" onclick="y"></figure>'
        '<figure data-image="12abc"></figure>'
        '<figure data-embed="https://youtu.be/dQw4w9WgXcQ" data-image="3"></figure>'
        '<figure data-embed="javascript:alert(1)"></figure>'
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>'
    )

    assert sanitize_html(html) == (
        '<figure data-image="12"></figure><figure></figure>'
        '<figure data-embed="https://youtu.be/dQw4w9WgXcQ" data-image="3"></figure>'
        "<figure></figure>"
    )


def test_markers_are_read_from_a_stored_body_in_order():
    body = sanitize_html(
        '<p>a</p><figure data-image="7"></figure><figure data-embed="https://vimeo.com/1">'
        '</figure><figure data-image="3"></figure>'
    )

    assert embeds.markers(body) == ([7, 3], ["https://vimeo.com/1"])


PRINTABLE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=120)


@PROPERTY
@given(st.one_of(PRINTABLE, PRINTABLE.map(lambda rest: "https://" + rest), st.integers(0)))
def test_a_marker_keeps_its_value_only_when_it_looks_like_what_it_names(value):
    value = str(value)
    image = sanitize_html(f'<figure data-image="{escape(value)}"></figure>')
    embed = sanitize_html(f'<figure data-embed="{escape(value)}"></figure>')

    assert ("data-image=" in image) == bool(re.fullmatch(r"[1-9][0-9]{0,17}", value))
    assert ("data-embed=" in embed) == bool(re.fullmatch(r"https://[^\s\"'<>`]{1,492}", value))
    assert sanitize_html(image) == image and sanitize_html(embed) == embed
