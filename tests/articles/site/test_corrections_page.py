"""The public corrections page and feed: every note on a piece readers have seen,
newest first, labels kept, withdrawn pieces included, drafts never; refreshed the
moment a note is added; the same cost for 3 notes and 30."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Correction
from articles.publishing import workflow
from tests.articles.site.helpers import LABEL
from tests.factories import (
    ArticleFactory,
    CorrectionFactory,
    SponsorFactory,
    SponsorshipFactory,
    make_publishable,
)

pytestmark = pytest.mark.django_db

PAGE = "/corrections/"
FEED = "/corrections/feed.rss"


def note(article, text, *, kind=Correction.Kind.CORRECTION, hours_ago=1):
    return CorrectionFactory(
        article=article,
        kind=kind,
        text=text,
        created_at=timezone.now() - dt.timedelta(hours=hours_ago),
    )


@pytest.fixture
def notes():
    live = ArticleFactory(published=True, headline="Harbour dredging costs")
    sponsored = ArticleFactory(published=True, headline="Routers in every home")
    SponsorshipFactory(article=sponsored, sponsor=SponsorFactory(name="Kestrel Networks"))
    withdrawn = ArticleFactory(
        status=Article.Status.UNPUBLISHED,
        published_at=timezone.now() - dt.timedelta(days=3),
        headline="Mayor resigns",
    )
    draft = ArticleFactory(headline="Secret draft")
    note(live, "The cost was 4 million, not 40.", hours_ago=5)
    note(sponsored, "The router ships in May.", kind=Correction.Kind.UPDATE, hours_ago=3)
    note(withdrawn, "The mayor has not resigned.", kind=Correction.Kind.RETRACTION, hours_ago=2)
    Correction.objects.create(article=draft, text="Never seen by readers.")
    return {"live": live, "sponsored": sponsored, "withdrawn": withdrawn}


def test_the_page_lists_every_public_note_newest_first_with_labels(client, notes):
    html = client.get(PAGE).content.decode()
    order = [html.index(text) for text in ("Mayor resigns", "Routers in every home", "Harbour")]
    assert order == sorted(order)
    assert "Retraction" in html and "(withdrawn)" in html
    assert LABEL in html  # the sponsored piece keeps its label here too
    assert "Secret draft" not in html and "Never seen by readers." not in html
    assert f'href="{notes["live"].get_absolute_url()}#corrections"' in html


def test_the_feed_carries_each_note_with_its_kind_and_label(client, notes):
    response = client.get(FEED)
    assert response.status_code == 200
    items = ET.fromstring(response.content).findall("./channel/item")
    titles = [item.findtext("title") for item in items]
    assert titles == [
        "Retraction: Mayor resigns",
        f"Update: {LABEL} paid for by Kestrel Networks: Routers in every home",
        "Correction: Harbour dredging costs",
    ]
    sponsored = items[1]
    assert LABEL in [c.text for c in sponsored.findall("category")]
    assert sponsored.findtext("description") == "The router ships in May."
    assert "Never seen by readers." not in response.content.decode()


def test_a_new_note_shows_at_once_on_the_cached_page_and_feed(
    client, editor, notes, django_capture_on_commit_callbacks
):
    assert "A date was wrong." not in client.get(PAGE).content.decode()
    client.get(FEED)
    article = make_publishable(notes["live"])
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(article, by=editor, kind="correction", text="A date was wrong.")
    assert "A date was wrong." in client.get(PAGE).content.decode()
    assert "A date was wrong." in client.get(FEED).content.decode()


def test_the_page_and_feed_cost_the_same_for_3_and_30_notes(client, notes, settings):
    settings.PUBLIC_CACHE_SECONDS = 0

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries(PAGE), queries(FEED)
    for i in range(27):
        note(ArticleFactory(published=True), f"Note {i}.", hours_ago=10 + i)
    assert (queries(PAGE), queries(FEED)) == before


def test_older_notes_are_a_page_away(client, notes):
    for i in range(25):
        note(ArticleFactory(published=True), f"Old note {i}.", hours_ago=100 + i)
    first = client.get(PAGE).content.decode()
    assert "Old note 24." not in first
    older = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert "Old note 24." in client.get(PAGE + older.replace("&amp;", "&")).content.decode()
    assert client.get(PAGE + "?page=3").status_code == 302
