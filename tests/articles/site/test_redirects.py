"""Old addresses keep working: a published article's or a section's changed slug leaves
a 301 from each old URL to the new one, in one hop, never in a loop, and the page cache
never serves what the redirect replaced."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Redirect
from articles.publishing import redirects
from articles.site.caching import version_key
from tests.admin_forms import change_form_data
from tests.articles.admin.helpers import change_url
from tests.articles.api.helpers import ARTICLES, patch
from tests.articles.publishing.helpers import S, newsroom_article, put
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

MIDDLEWARE = "articles.site.redirects.RedirectMiddleware"


@pytest.fixture
def live(reporter):
    return newsroom_article(reporter, S.PUBLISHED, slug="cranes-idle", headline="Cranes idle")


def rename(article, slug):
    """Change the slug as a command or the shell would: a plain save."""
    article.slug = slug
    article.save()
    return article


def admin_rename(client, article, slug, callbacks):
    page = client.get(change_url(article))
    with callbacks(execute=True):
        response = client.post(change_url(article), change_form_data(page, slug=slug))
    assert response.status_code == 302, response.content.decode()[:2000]


def assert_moved(client, old, new, **extra):
    response = client.get(old, **extra)
    assert response.status_code == 301, old
    assert response["Location"] == new
    return response


# -- articles --------------------------------------------------------------------------------


def test_a_published_articles_slug_changed_in_the_admin_leaves_a_301(
    client, editor, live, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    admin_rename(client, live, "cranes-idle-at-dawn", django_capture_on_commit_callbacks)
    client.logout()

    assert_moved(client, "/articles/cranes-idle/", "/articles/cranes-idle-at-dawn/")
    assert client.get("/articles/cranes-idle-at-dawn/").status_code == 200
    redirect = Redirect.objects.get(old_path="/articles/cranes-idle/")
    assert redirect.kind == Redirect.Kind.AUTOMATIC
    assert redirect.created_by == editor  # who changed the slug, from the admin request
    assert redirect.history.get().history_user == editor


def test_any_door_that_saves_the_slug_leaves_a_redirect(client, live):
    rename(live, "cranes-idle-at-dawn")  # a command, the shell, a task
    assert_moved(client, "/articles/cranes-idle/", "/articles/cranes-idle-at-dawn/")


def test_the_api_cannot_change_a_slug_so_the_address_stays(client, key_client, editor_key, live):
    # Editors' keys edit text, not addresses: the slug is refused, nothing moves.
    response = patch(key_client(editor_key), f"{ARTICLES}{live.pk}/", {"slug": "elsewhere"})
    assert response.status_code == 400
    assert client.get("/articles/cranes-idle/").status_code == 200
    assert not Redirect.objects.exists()


def test_the_query_string_and_head_requests_are_kept(client, live):
    rename(live, "cranes-idle-at-dawn")
    new = "/articles/cranes-idle-at-dawn/?utm_source=newsletter&x=1"
    assert_moved(client, "/articles/cranes-idle/?utm_source=newsletter&x=1", new)
    assert client.head("/articles/cranes-idle/").status_code == 301


def test_a_draft_that_was_never_published_leaves_no_redirect(client, reporter):
    draft = newsroom_article(reporter, S.DRAFT, slug="first-go")
    rename(draft, "second-go")
    assert not Redirect.objects.exists()
    assert client.get("/articles/first-go/").status_code == 404


def test_taking_back_an_old_slug_removes_its_redirect_and_never_loops(client, live):
    rename(live, "cranes-idle-at-dawn")
    rename(live, "cranes-idle")

    assert client.get("/articles/cranes-idle/").status_code == 200
    assert_moved(client, "/articles/cranes-idle-at-dawn/", "/articles/cranes-idle/")
    assert list(Redirect.objects.values_list("old_path", flat=True)) == [
        "/articles/cranes-idle-at-dawn/"
    ]


def test_a_chain_of_slug_changes_is_one_hop(client, live):
    rename(live, "b")
    rename(live, "c")
    assert_moved(client, "/articles/cranes-idle/", "/articles/c/")
    assert_moved(client, "/articles/b/", "/articles/c/")


def test_a_manual_chain_collapses_onto_the_new_redirect(client, live):
    # An old redirect to a fixed address that later becomes a redirect itself.
    Redirect.objects.create(old_path="/2019/cranes/", target_url="/old-cranes/")
    redirects.save_manual(
        Redirect(old_path="/old-cranes/", target_url="/articles/cranes-idle/"), by=None
    )

    assert_moved(client, "/2019/cranes/", "/articles/cranes-idle/")
    assert Redirect.objects.get(old_path="/2019/cranes/").article == live
    rename(live, "cranes-idle-at-dawn")  # and both follow the article
    assert_moved(client, "/2019/cranes/", "/articles/cranes-idle-at-dawn/")


def test_a_redirect_to_a_withdrawn_article_answers_gone(client, live):
    rename(live, "cranes-idle-at-dawn")
    put(live, S.UNPUBLISHED)
    assert client.get("/articles/cranes-idle/").status_code == 410
    assert client.get("/articles/cranes-idle-at-dawn/").status_code == 410


def test_a_redirect_to_an_article_readers_cannot_see_is_a_404(client, live):
    rename(live, "cranes-idle-at-dawn")
    put(live, S.DRAFT)  # as if never published: readers had nothing there
    live.published_at = None
    live.save()
    assert client.get("/articles/cranes-idle/").status_code == 404


def test_the_admin_and_the_api_are_never_redirected(client, live):
    Redirect.objects.create(old_path="/admin/old/", article=live)
    Redirect.objects.create(old_path="/api/v1/old/", article=live)
    assert client.get("/admin/old/").status_code in (302, 404)
    assert client.get("/api/v1/old/").status_code == 404


def test_only_gets_and_heads_are_redirected(client, live):
    rename(live, "cranes-idle-at-dawn")
    assert client.post("/articles/cranes-idle/").status_code in (404, 405)


def test_a_path_with_or_without_its_trailing_slash_finds_the_redirect(client, live):
    redirects.save_manual(Redirect(old_path="/cranes", article=live), by=None)
    assert_moved(client, "/cranes/", "/articles/cranes-idle/")


# -- sections ------------------------------------------------------------------------------------


def test_a_sections_changed_slug_moves_its_page_and_feed(
    client, editor, django_capture_on_commit_callbacks
):
    section = SectionFactory(slug="port", name="Port")
    ArticleFactory(published=True, section=section)
    client.force_login(editor)
    url = f"/admin/articles/section/{section.pk}/change/"
    page = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, change_form_data(page, slug="harbour"))
    assert response.status_code == 302
    client.logout()

    assert_moved(client, "/section/port/", "/section/harbour/")
    assert_moved(client, "/section/port/feed.rss", "/section/harbour/feed.rss")
    assert client.get("/section/harbour/").status_code == 200
    # Taking the old slug back: no loop.
    section.refresh_from_db()
    section.slug = "port"
    section.save()
    assert client.get("/section/port/").status_code == 200
    assert_moved(client, "/section/harbour/feed.rss", "/section/port/feed.rss")


# -- cost and caching ------------------------------------------------------------------------------


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [q["sql"] for q in captured.captured_queries]


def test_a_redirect_costs_one_lookup_however_many_there_are(client, live, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    rename(live, "b")
    response, sql = queries(client, "/articles/cranes-idle/")
    assert response.status_code == 301
    # 1. the article view looks for the slug (404); 2. the redirect, on its unique index.
    assert len(sql) == 2
    assert "articles_redirect" in sql[1]
    for n in range(20):
        Redirect.objects.create(old_path=f"/old/{n}/", article=live)
    rename(live, "c")
    response, more = queries(client, "/articles/cranes-idle/")
    assert (response.status_code, len(more)) == (301, 2)


def test_pages_that_answer_pay_nothing_for_redirects(client, live, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    url = live.get_absolute_url()
    with_redirects = len(queries(client, url)[1])
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    from django.test import Client

    without = len(queries(Client(), url)[1])
    assert with_redirects == without
    sql = queries(Client(), "/no/such/page/")[1]
    assert not any("articles_redirect" in q for q in sql)  # not even on a 404 without them


def test_a_cached_old_page_gives_way_to_the_redirect(
    client, editor, live, django_capture_on_commit_callbacks
):
    assert client.get("/articles/cranes-idle/").status_code == 200  # cached now
    client.force_login(editor)
    admin_rename(client, live, "cranes-idle-at-dawn", django_capture_on_commit_callbacks)
    client.logout()
    assert_moved(client, "/articles/cranes-idle/", "/articles/cranes-idle-at-dawn/")


def test_a_cached_old_page_gives_way_whichever_door_changed_the_slug(
    client, live, django_capture_on_commit_callbacks
):
    assert client.get("/articles/cranes-idle/").status_code == 200  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        rename(live, "cranes-idle-at-dawn")  # the shell: no workflow, no notification
    assert_moved(client, "/articles/cranes-idle/", "/articles/cranes-idle-at-dawn/")


def test_a_301_is_tagged_for_the_edge_and_purged_when_it_changes(
    client, live, django_capture_on_commit_callbacks
):
    rename(live, "b")
    redirect = Redirect.objects.get()
    response = assert_moved(client, "/articles/cranes-idle/", "/articles/b/")
    assert set(response["xkey"].split()) == {f"redirect-{redirect.pk}", f"article-{live.pk}"}
    assert "public" in response["Cache-Control"]

    before = cache.get(version_key(f"redirect-{redirect.pk}"))
    with django_capture_on_commit_callbacks(execute=True):
        redirect.permanent = False
        redirect.save()
    assert cache.get(version_key(f"redirect-{redirect.pk}")) != before
    response = client.get("/articles/cranes-idle/")
    assert (response.status_code, response["Location"]) == (302, "/articles/b/")

    with django_capture_on_commit_callbacks(execute=True):
        redirect.delete()
    assert client.get("/articles/cranes-idle/").status_code == 404


def test_a_signed_in_reader_gets_a_private_redirect(client, editor, live):
    rename(live, "b")
    client.force_login(editor)
    response = assert_moved(client, "/articles/cranes-idle/", "/articles/b/")
    assert response["Cache-Control"] == "private, no-store"
    assert "xkey" not in response


# -- the database's own guarantees --------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"old_path": "/a/", "target_url": "/a/"},  # to itself
        {"old_path": "/a/"},  # to nowhere
        {"old_path": "a/", "target_url": "/b/"},  # not a path
        {"old_path": "/a/", "target_url": "/b/", "to_feed": True},  # a feed of no section
    ],
)
def test_the_database_refuses_a_redirect_that_cannot_work(live, fields):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Redirect.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Redirect.objects.create(old_path="/two/", article=live, section=live.section)
