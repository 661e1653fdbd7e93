"""With Redis stopped, readers, partners and editors keep being served (without the
cache), and the outage is logged and shown by the health check."""

import logging

import pytest

from articles.publishing import workflow
from newsroom.cache import RedisCache
from tests.factories import ArticleFactory, BylineFactory, SectionFactory

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every connection is refused at once, as with Redis stopped.
STOPPED = {
    "default": {
        "BACKEND": "newsroom.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    }
}


@pytest.fixture
def redis_stopped(settings):
    settings.CACHES = STOPPED
    settings.PUBLIC_CACHE_SECONDS = 300


@pytest.fixture
def story():
    article = ArticleFactory(published=True, section=SectionFactory(slug="port"))
    BylineFactory(article=article)
    return article


def test_the_site_and_the_api_keep_serving_and_say_why_in_the_log(
    redis_stopped, client, story, caplog, monkeypatch
):
    # The outage is logged once a minute per process: make this the first time.
    monkeypatch.setattr(RedisCache, "_logged_at", float("-inf"))
    with caplog.at_level(logging.ERROR, logger="newsroom.cache"):
        for url in ("/", story.get_absolute_url(), "/section/port/", "/feeds/latest.rss"):
            assert client.get(url).status_code == 200, url
        api = client.get("/api/v1/articles/")
    assert api.status_code == 200
    assert [item["id"] for item in api.json()["results"]] == [story.pk]
    assert "Redis unreachable" in caplog.text


def test_editors_publish_and_correct_while_redis_is_down(
    redis_stopped, client, story, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(story, by=editor, kind="correction", text="Fixed the date.")
    assert "Fixed the date." in client.get(story.get_absolute_url()).content.decode()


def test_the_health_check_reports_the_cache_down(redis_stopped, client):
    response = client.get("/health/", headers={"accept": "application/json"})
    assert response.status_code >= 500
