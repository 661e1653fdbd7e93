"""What a change purges, and that the edge cache being away never stops a publish."""

import http.server
import logging
import threading

import pytest

from articles.models import Article
from articles.publishing import workflow
from articles.site import caching, purging
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    SectionFactory,
    SponsorFactory,
    SponsorshipFactory,
)

pytestmark = pytest.mark.django_db


class FakeVarnish(http.server.BaseHTTPRequestHandler):
    """Answers PURGE as Varnish's VCL does, remembering the keys it was sent."""

    purged: list[set[str]]

    def do_PURGE(self):
        self.purged.append(set(self.headers["xkey-purge"].split()))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def varnish(settings):
    handler = type("Handler", (FakeVarnish,), {"purged": []})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.VARNISH_URL = [f"http://127.0.0.1:{server.server_port}/"]
    yield handler.purged
    server.shutdown()
    server.server_close()


@pytest.fixture
def story(db):
    article = ArticleFactory(published=True, section=SectionFactory(), headline="Cranes idle")
    article.tags.add("port", "labour")
    BylineFactory(article=article, author=AuthorFactory())
    BylineFactory(article=article, author=AuthorFactory())
    SponsorshipFactory(article=article, sponsor=SponsorFactory())
    return article


def test_an_articles_keys_name_every_page_that_shows_it(story):
    article = Article.objects.prefetch_related("tags", "bylines").get(pk=story.pk)
    expected = {
        f"article-{story.pk}",
        f"section-{story.section_id}",
        *(f"tag-{tag.pk}" for tag in story.tags.all()),
        *(f"author-{byline.author_id}" for byline in story.bylines.all()),
        f"sponsor-{story.sponsorship.sponsor_id}",
        "home",
        "feeds",
        "search",
        "api-articles",
        "corrections",
    }
    assert caching.article_keys(article) == expected
    assert len(expected) == 12  # two tags and two authors among them


def test_a_correction_purges_the_articles_keys_from_varnish(
    story, editor, varnish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(story, by=editor, kind="correction", text="Fixed the date.")
    assert varnish == [caching.article_keys(story)]


def test_moving_an_article_purges_where_it_was_and_where_it_is(
    story, editor, varnish, django_capture_on_commit_callbacks
):
    old_section = f"section-{story.section_id}"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(story, by=editor, kind="clarification", text="Named the pier.")
    story.section = SectionFactory()
    story.save()
    story.tags.remove("labour")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.record_edit(story, by=editor, known_problems=workflow.live_problems(story))
    purged = varnish[-1]
    assert {old_section, f"section-{story.section_id}"} <= purged
    assert any(key.startswith("tag-") for key in purged - caching.article_keys(story))


def test_an_unreachable_varnish_is_logged_and_the_publish_stands(
    story, editor, settings, caplog, django_capture_on_commit_callbacks
):
    settings.VARNISH_URL = ["http://127.0.0.1:9/"]  # the discard port: nothing listens
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(story, by=editor, note="Legal advice.")
    story.refresh_from_db()
    assert story.status == Article.Status.UNPUBLISHED
    assert "Could not purge" in caplog.text


def test_a_failing_cache_is_logged_and_the_change_stands(
    story, editor, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(keys):
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(purging, "purge", broken)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(story, by=editor, kind="correction", text="Fixed the date.")
    assert story.corrections.count() == 1
    assert f"Could not purge the cached pages of articles [{story.pk}]" in caplog.text
