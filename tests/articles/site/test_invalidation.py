"""The page cache: a hit costs no query and no session; a change to one article refreshes
the pages showing it, at once, and leaves every other cached page cached.

A cached page is recognised by its cost: answering it runs no SQL at all.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.publishing import shared_records, workflow
from tests.articles.site.helpers import html_of
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    SectionFactory,
    SponsorFactory,
    SponsorshipFactory,
)

pytestmark = pytest.mark.django_db


def queries_for(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code in (200, 304, 410), url
    return len(captured.captured_queries)


def is_cached(client, url: str) -> bool:
    return queries_for(client, url) == 0


@pytest.fixture
def desk(db):
    """Two sections with a bylined article each, every page of theirs cached."""
    port, city = SectionFactory(slug="port", name="Port"), SectionFactory(slug="city")
    author = AuthorFactory(slug="hannah", name="Hannah Reyes")
    story = ArticleFactory(published=True, section=port, headline="Cranes idle at dawn")
    other = ArticleFactory(published=True, section=city, headline="Council meets")
    BylineFactory(article=story, author=author)
    BylineFactory(article=other)
    return {"story": story, "other": other, "port": port, "city": city, "author": author}


def urls_of(desk) -> dict[str, str]:
    return {
        "story": desk["story"].get_absolute_url(),
        "other": desk["other"].get_absolute_url(),
        "port": "/section/port/",
        "city": "/section/city/",
        "author": "/author/hannah/",
        "home": "/",
        "feed": "/feeds/latest.rss",
    }


def warm(client, urls) -> None:
    for url in urls:
        client.get(url)


def test_a_cache_hit_runs_no_query_and_loads_no_session(client, desk):
    url = desk["story"].get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        hit = client.get(url)
    assert captured.captured_queries == []
    assert "Cranes idle at dawn" in hit.content.decode()
    # Answered before the session middleware: no session was even looked at.
    assert not hasattr(hit.wsgi_request, "session")
    assert not hit.cookies


def test_a_hit_answers_a_conditional_request_with_304_and_no_query(client, desk):
    url = desk["story"].get_absolute_url()
    first = client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert captured.captured_queries == []


def test_public_pages_name_what_they_show(client, desk):
    story, port = desk["story"], desk["port"]

    def keys(url: str) -> set[str]:
        # Every public page also names "sections": it draws the navigation.
        return set(client.get(url)["xkey"].split()) - {"sections"}

    assert keys(story.get_absolute_url()) == {f"article-{story.pk}", f"section-{port.pk}"}
    assert keys("/section/port/") == {f"section-{port.pk}"}
    assert keys("/author/hannah/") == {f"author-{desk['author'].pk}"}
    assert keys("/") == {"home"}
    assert keys("/feeds/latest.rss") == {"feeds"}
    assert keys("/sitemap.xml") == {"feeds"}
    assert "sections" in client.get("/")["xkey"].split()
    cache_control = client.get("/")["Cache-Control"]
    assert "public" in cache_control and "s-maxage=" in cache_control


def test_a_correction_refreshes_its_pages_and_nothing_else(
    client, desk, editor, django_capture_on_commit_callbacks
):
    urls = urls_of(desk)
    warm(client, urls.values())
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(desk["story"], by=editor, kind="correction", text="Fixed the date.")
    assert "Fixed the date." in html_of(client, urls["story"])
    assert not is_cached(client, urls["port"])
    assert is_cached(client, urls["other"])
    assert is_cached(client, urls["city"])


def test_unpublishing_takes_the_article_off_its_lists_and_leaves_the_rest_cached(
    client, desk, editor, django_capture_on_commit_callbacks
):
    urls = urls_of(desk)
    warm(client, urls.values())
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(desk["story"], by=editor, note="Legal advice.")
    html_of(client, urls["story"], status=410)
    for url in ("port", "author", "home", "feed"):
        assert "Cranes idle at dawn" not in html_of(client, urls[url]), url
    assert is_cached(client, urls["other"])
    assert is_cached(client, urls["city"])


def test_publishing_refreshes_the_lists_it_joins_and_no_other_article(
    client, desk, editor, django_capture_on_commit_callbacks
):
    urls = urls_of(desk)
    draft = ArticleFactory(
        section=desk["port"], headline="Night shift strike", status=Article.Status.APPROVED
    )
    BylineFactory(article=draft, author=desk["author"])
    warm(client, urls.values())
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(draft, by=editor)
    for url in ("port", "author", "home", "feed"):
        assert "Night shift strike" in html_of(client, urls[url]), url
    assert is_cached(client, urls["other"])
    assert is_cached(client, urls["city"])


def test_moving_an_article_refreshes_the_section_it_left(
    client, desk, editor, django_capture_on_commit_callbacks
):
    story, city = desk["story"], desk["city"]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(story, by=editor, kind="clarification", text="Named the pier.")
    warm(client, ["/section/port/", "/section/city/"])
    story.section = city
    story.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.record_edit(story, by=editor, known_problems=workflow.live_problems(story))
    assert "Cranes idle at dawn" not in html_of(client, "/section/port/")
    assert "Cranes idle at dawn" in html_of(client, "/section/city/")


def test_renaming_an_author_refreshes_their_page_and_their_articles(
    client, desk, editor, django_capture_on_commit_callbacks
):
    author = desk["author"]
    warm(client, ["/author/hannah/", *urls_of(desk).values()])
    author.name = "Hannah Reyes-Okoro"
    with django_capture_on_commit_callbacks(execute=True):
        shared_records.save_change(author, by=editor, save=author.save)
    assert "Hannah Reyes-Okoro" in html_of(client, "/author/hannah/")
    assert "Hannah Reyes-Okoro" in html_of(client, desk["story"].get_absolute_url())
    assert is_cached(client, desk["other"].get_absolute_url())


def test_an_author_on_many_articles_is_one_purge_at_a_constant_cost(
    client, desk, editor, django_capture_on_commit_callbacks
):
    # The purge after a shared record's change reads every article's keys at once: the
    # same queries for 3 live articles as for 30, and every one of their pages refreshed.
    author = desk["author"]

    def rename(name: str) -> int:
        author.name = name
        with django_capture_on_commit_callbacks() as callbacks:
            shared_records.save_change(author, by=editor, save=author.save)
        with CaptureQueriesContext(connection) as purge:
            for callback in callbacks:
                callback()
        return len(purge.captured_queries)

    stories = [desk["story"]]
    stories += [ArticleFactory(published=True, section=desk["port"]) for _ in range(2)]
    for story in stories[1:]:
        BylineFactory(article=story, author=author)
    few = rename("Hannah Reyes-Okoro")
    more = [ArticleFactory(published=True, section=desk["city"]) for _ in range(27)]
    for story in more:
        BylineFactory(article=story, author=author)
    stories += more
    warm(client, [s.get_absolute_url() for s in stories])
    assert rename("Hannah Okoro") == few
    for story in stories:
        assert "Hannah Okoro" in html_of(client, story.get_absolute_url())


def test_renaming_a_sponsor_refreshes_its_page(
    client, desk, commercial, django_capture_on_commit_callbacks
):
    sponsor = SponsorFactory(slug="kestrel", name="Kestrel Bank")
    story = ArticleFactory(published=True, desk=Article.Desk.COMMERCIAL, section=desk["city"])
    BylineFactory(article=story)
    SponsorshipFactory(article=story, sponsor=sponsor)
    assert "Kestrel Bank" in html_of(client, "/sponsor/kestrel/")
    sponsor.name = "Kestrel Savings"
    with django_capture_on_commit_callbacks(execute=True):
        shared_records.save_change(sponsor, by=commercial, save=sponsor.save)
    assert "Kestrel Savings" in html_of(client, "/sponsor/kestrel/")


def test_renaming_a_section_refreshes_the_navigation_on_every_cached_page(
    client, desk, django_capture_on_commit_callbacks
):
    urls = urls_of(desk)
    warm(client, [urls["other"], urls["city"], urls["home"], urls["author"]])
    port = desk["port"]
    port.name = "Docks"
    with django_capture_on_commit_callbacks(execute=True):
        port.save()
    for name in ("other", "city", "home", "author"):
        assert ">Docks</a>" in html_of(client, urls[name]), name


def test_signed_in_staff_are_never_served_or_stored_from_the_cache(editor_client, client, desk):
    url = desk["story"].get_absolute_url()
    staff_page = editor_client.get(url)
    assert staff_page["Cache-Control"] == "private, no-store"
    assert "xkey" not in staff_page
    assert not is_cached(client, url)  # the editor's render was not kept for readers
    client.get(url)
    assert queries_for(editor_client, url) > 0


def test_the_page_cache_can_be_switched_off(client, desk, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    url = desk["story"].get_absolute_url()
    client.get(url)
    assert not is_cached(client, url)
    # The edge cache is still told what the page shows.
    assert client.get(url)["xkey"]
