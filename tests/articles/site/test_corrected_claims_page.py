"""Readers see corrected claims where they stand: a "Corrected" mark after the claim
links to the note, which says what the claim read and cited before; the corrections
page and feed say it too; none of it costs a query per claim."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.publishing import claim_corrections, workflow
from sources.models import Claim
from tests.articles.test_claim_corrections import RIGHT, WRONG, fix, story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached(settings):
    settings.PUBLIC_CACHE_SECONDS = 0


def corrected(editor, article, pairs):
    """Fix each (wrong, right) claim of ``article`` and add one note naming them all."""
    before = claim_corrections.capture(article)
    for old, new in pairs:
        fix(article, old, new)
    claims = Claim.objects.filter(article=article, text__in=[new for _, new in pairs])
    return workflow.add_correction(
        article,
        by=editor,
        kind="correction",
        text="Earlier figures were wrong.",
        claims=claims,
        before=before,
    )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured.captured_queries)


def many(n: int):
    wrong = [f"Figure {i} rose by {i + 40}%." for i in range(n)]
    right = [f"Figure {i} rose by {i + 4}%." for i in range(n)]
    return story(*wrong), list(zip(wrong, right, strict=True))


def test_the_corrected_claim_is_marked_in_place_and_linked_to_its_note(client, editor):
    article = story(WRONG)
    note = corrected(editor, article, [(WRONG, RIGHT)])

    html = client.get(article.get_absolute_url()).content.decode()

    mark = f'<a class="corrected-mark" href="#correction-{note.pk}">Corrected</a>'
    body = html.split('<div class="body">', 1)[1].split("</div>", 1)[0]
    assert mark in body
    assert body.index(RIGHT) < body.index('class="citation"') < body.index(mark)
    assert f'<li id="correction-{note.pk}">' in html
    assert f"Previously: “{WRONG}” (Sony)" in html


def test_a_withdrawn_claim_is_listed_with_the_note_but_marks_nothing(client, editor):
    article = story(WRONG, body_extra=" Analysts expect more.")
    withdrawn = Claim.objects.get(article=article)
    before = claim_corrections.capture(article)
    article.body = "<p>Analysts expect more.</p>"
    article.save()
    withdrawn.delete()
    workflow.add_correction(
        article,
        by=editor,
        kind="correction",
        text="We withdrew the figure.",
        claims=list(before),
        before=before,
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert f"Withdrawn: “{WRONG}” (Sony)" in html
    assert "corrected-mark" not in html


def test_a_german_piece_marks_and_words_it_in_german(client, editor):
    article = story(WRONG)
    article.language = "de"
    article.save()
    corrected(editor, article, [(WRONG, RIGHT)])

    html = client.get(article.get_absolute_url()).content.decode()

    assert ">Korrigiert</a>" in html
    assert f"Zuvor: „{WRONG}“ (Sony)" in html


def test_the_corrections_page_and_feed_say_what_the_claim_read_before(client, editor):
    article = story(WRONG)
    corrected(editor, article, [(WRONG, RIGHT)])

    page = client.get("/corrections/").content.decode()
    assert f"Previously: “{WRONG}” (Sony). Now: “{RIGHT}” (Sony)" in page

    feed = ET.fromstring(client.get("/corrections/feed.rss").content)
    [item] = feed.findall("./channel/item")
    assert item.findtext("description") == (
        f"Earlier figures were wrong. Previously: “{WRONG}” (Sony). Now: “{RIGHT}” (Sony)"
    )


def test_the_article_page_costs_one_query_more_however_many_claims_are_corrected(client, editor):
    plain, _ = many(2)
    workflow.add_correction(plain, by=editor, kind="update", text="Added a figure.")
    two, pairs_two = many(2)
    corrected(editor, two, pairs_two)
    twenty, pairs_twenty = many(20)
    corrected(editor, twenty, pairs_twenty)

    base = queries(client, plain.get_absolute_url())
    assert queries(client, two.get_absolute_url()) == base
    assert queries(client, twenty.get_absolute_url()) == base
    html = client.get(twenty.get_absolute_url()).content.decode()
    assert html.count('class="corrected-mark"') == 20


def test_the_corrections_page_and_feed_cost_the_same_for_2_and_20_corrected_claims(client, editor):
    article, pairs = many(2)
    corrected(editor, article, pairs)
    small = (queries(client, "/corrections/"), queries(client, "/corrections/feed.rss"))

    for _ in range(3):
        article, pairs = many(20)
        corrected(editor, article, pairs)
    assert (queries(client, "/corrections/"), queries(client, "/corrections/feed.rss")) == small
    assert client.get("/corrections/").content.decode().count("Previously:") == 62
