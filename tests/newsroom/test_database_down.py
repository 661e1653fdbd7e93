"""With the database out of reach, every request gets a clean 503 with Retry-After (a
page on the site and the admin, a problem on the API), one logged line, no traceback;
and a write cut off in the middle leaves nothing half-saved.

The failures are real: the connection points at a closed port (or, on SQLite, a file
that cannot be opened), or the request's own server process is terminated with
``pg_terminate_backend`` from a second connection while it writes.
"""

import contextlib
import logging
import socket
import sqlite3

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client

from articles import images
from articles.models import Article, ArticleEvent, Byline, Image, Revision
from articles.publishing import drafting, workflow
from newsroom import outage
from sources.models import Claim
from tests.articles.admin.test_changelists_and_forms import article_form
from tests.articles.api.helpers import ARTICLES, draft_payload, post, transition
from tests.articles.media.helpers import raster, stored_files
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PublisherFactory,
    SectionFactory,
    SourceDocumentFactory,
)

ALIASES = ("default", "replica")


def closed_port() -> int:
    """A local port nothing listens on: connecting is refused at once, as with the
    database server stopped."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def every_connection(change):
    """Every connection, in this thread and any other (the health checks run in
    threads), made with ``change(settings)`` instead of the test database's settings."""
    saved = {alias: (connections[alias], connections.settings[alias]) for alias in ALIASES}
    for alias, (wrapper, config) in saved.items():
        broken = change({**config})
        connections.settings[alias] = broken
        connections[alias] = type(wrapper)(broken, alias)
    try:
        yield
    finally:
        for alias, (wrapper, config) in saved.items():
            connections[alias].close()
            connections.settings[alias] = config
            connections[alias] = wrapper


@pytest.fixture
def database_down(tmp_path):
    """Connections go where no database answers: a closed port, or (SQLite) a file in a
    directory that does not exist."""

    with every_connection(lambda config: config | unreachable_settings(config, tmp_path)):
        yield


def unreachable_settings(config: dict, tmp_path) -> dict:
    if connection.vendor == "postgresql":
        options = {**config.get("OPTIONS", {}), "connect_timeout": 2}
        return {"HOST": "127.0.0.1", "PORT": closed_port(), "OPTIONS": options}
    return {"NAME": str(tmp_path / "gone" / "newsroom.sqlite3")}


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Temporarily unavailable" in page
    assert "Traceback" not in page and "OperationalError" not in page


def assert_unavailable_problem(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 503
    assert problem["type"].endswith("/unavailable")
    assert problem["title"] == "Service unavailable"
    assert problem["detail"] == outage.DETAIL
    assert "Error" not in response.content.decode()


# -- the database unreachable from the start (SQLite and PostgreSQL) -----------------------


@pytest.mark.django_db
def test_readers_get_a_clean_page_and_one_logged_line(database_down, caplog):
    # The test client re-raises what reaches Django's crash handling: nothing may.
    client = Client(headers={"X-Request-ID": "outage-1"})
    with caplog.at_level(logging.ERROR):
        response = client.get("/")
    assert_unavailable_page(response)
    assert b'href="/static/articles/site.css"' in response.content
    [line] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert line.name == "newsroom.outage"
    assert line.request_id == "outage-1"
    assert line.getMessage().startswith("Database unavailable, answered 503: GET / (")
    assert line.exc_info is None  # one line, no traceback


@pytest.mark.django_db
def test_pages_already_cached_are_still_served(settings, tmp_path):
    settings.PUBLIC_CACHE_SECONDS = 300
    article = ArticleFactory(published=True)
    url = article.get_absolute_url()
    assert Client().get(url).status_code == 200  # now in the page cache

    with every_connection(lambda config: config | unreachable_settings(config, tmp_path)):
        assert Client().get(url).status_code == 200
        assert_unavailable_page(Client().get("/section/elsewhere/"))


@pytest.mark.django_db
def test_a_section_and_search_are_unavailable_too(database_down):
    client = Client()
    for url in ("/section/news/", "/search/?q=budget", "/feeds/latest.rss"):
        assert_unavailable_page(client.get(url))


@pytest.fixture
def editor_browser(editor):
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    return client


@pytest.mark.django_db
def test_editors_get_the_admins_unavailable_page(editor_browser, database_down, caplog):
    # A signed-in editor's session is first read by a middleware (the second factor's),
    # not a view: Django's crash handling meets the error there (and, like any crash,
    # tells the test client, which would re-raise it), then handler500 answers 503.
    with caplog.at_level(logging.ERROR):
        response = editor_browser.get("/admin/articles/article/")
    assert_unavailable_page(response)
    assert b"admin/css/base.css" in response.content
    # One line, ours: not Django's "Service Unavailable" with a traceback as well.
    assert [r.name for r in caplog.records if r.levelno >= logging.ERROR] == ["newsroom.outage"]


@pytest.mark.django_db
def test_the_admin_sign_in_is_unavailable_not_broken(database_down):
    client = Client(raise_request_exception=False)
    response = client.post("/admin/login/", {"username": "maria", "password": "secret"})
    assert response.status_code == 503


@pytest.mark.django_db
def test_api_callers_get_a_problem_with_the_request_id(key_client, partner_key, database_down):
    anonymous = Client(headers={"X-Request-ID": "outage-2"}).get(ARTICLES)
    assert_unavailable_problem(anonymous)
    assert anonymous.json()["request_id"] == "outage-2"
    # With a key: the key lookup itself is what fails.
    assert_unavailable_problem(key_client(partner_key).get(ARTICLES))
    # A write, refused before the key can even be checked.
    assert_unavailable_problem(post(key_client(partner_key), ARTICLES, {"headline": "x"}))


@pytest.mark.django_db
def test_the_health_check_reports_the_database_down(database_down):
    response = Client().get("/health/", headers={"accept": "application/json"})
    assert response.status_code == 503
    checks = response.json()
    assert any("Database" in name and value != "OK" for name, value in checks.items())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own lock")
@pytest.mark.django_db
def test_a_locked_sqlite_database_is_unavailable_too(tmp_path, caplog):
    # Another process (a backup, a long management command) holds the write lock.
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE held (x)")
    holder.execute("BEGIN EXCLUSIVE")

    def locked(config: dict) -> dict:
        return config | {"NAME": str(path), "OPTIONS": {**config["OPTIONS"], "timeout": 0.1}}

    try:
        with every_connection(locked), caplog.at_level(logging.ERROR):
            response = Client().get("/")
    finally:
        holder.close()
    assert_unavailable_page(response)
    assert "database is locked" in caplog.text


# -- the connection killed in the middle of a write (PostgreSQL) ----------------------------


def terminate(alias: str = "default") -> None:
    """End ``alias``'s server process from a second connection, as a failover, a DBA's
    ``pg_terminate_backend`` or an OOM kill would."""
    pid = connections[alias].connection.get_backend_pid()
    other = connections.create_connection(alias)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone() == (True,)
    finally:
        other.close()


def killed_before(monkeypatch, owner, name: str) -> list:
    """Make ``owner.name`` (a step of our own code, in the middle of a write) first kill
    the request's database connection; the calls are counted."""
    step = getattr(owner, name)
    calls = []

    def kill_then_step(*args, **kwargs):
        calls.append(name)
        terminate()
        return step(*args, **kwargs)

    monkeypatch.setattr(owner, name, kill_then_step)
    return calls


def killed_mid_write(test):
    """PostgreSQL only (SQLite has no server to kill); committed for real, so that what
    the database holds afterwards can be counted."""
    for mark in (
        pytest.mark.django_db(transaction=True, databases=list(ALIASES)),
        pytest.mark.skipif(
            connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's"
        ),
        pytest.mark.postgres,
    ):
        test = mark(test)
    return test


@pytest.fixture
def technology(db):
    return SectionFactory(name="Technology", slug="technology")


@pytest.fixture
def sony_release(db):
    return SourceDocumentFactory(title="Sony's cloud streaming", publisher=PublisherFactory())


def rows() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Article, Byline, Claim, Revision, ArticleEvent)
    }


@killed_mid_write
@pytest.mark.parametrize("step", ["_claims", "_log"])
def test_an_api_draft_cut_off_mid_write_leaves_nothing(
    step, key_client, agent_key, technology, sony_release, monkeypatch
):
    calls = killed_before(monkeypatch, drafting, step)
    before = rows()

    response = post(key_client(agent_key), ARTICLES, draft_payload(sony_release))

    assert calls == [step]
    assert_unavailable_problem(response)
    # Article, bylines, claims, revision, event: none of them, not some.
    assert rows() == before


@killed_mid_write
def test_a_workflow_step_cut_off_before_its_event_is_undone(
    key_client, agent_key, technology, sony_release, monkeypatch
):
    sift = key_client(agent_key)
    filed = post(sift, ARTICLES, draft_payload(sony_release))
    assert filed.status_code == 201, filed.content
    draft = Article.objects.get(pk=filed.json()["id"])
    # The status is already changed when the audit event is written: the kill comes then.
    calls = killed_before(monkeypatch, workflow, "log_event")
    before = rows()

    response = transition(sift, draft, "submit")

    assert calls == ["log_event"]
    assert_unavailable_problem(response)
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT
    assert rows() == before
    # Once the database is back, the same step goes through.
    monkeypatch.undo()
    assert transition(sift, draft, "submit").status_code == 200


@killed_mid_write
def test_an_admin_save_with_inlines_cut_off_leaves_nothing(editor_client, monkeypatch):
    section = SectionFactory()
    author = AuthorFactory(name="Priya Raman")
    data = article_form(
        section,
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-position": "0",
            "bylines-0-author": author.pk,
            "bylines-0-role": "by",
            "claims-TOTAL_FORMS": "1",
            "claims-0-text": "Sony expects sales to double.",
        },
    )
    # After the article, its byline and its claim are written: the revision comes then.
    calls = killed_before(monkeypatch, workflow, "record_edit")
    before = rows()

    response = editor_client.post("/admin/articles/article/add/", data)

    assert calls == ["record_edit"]
    assert_unavailable_page(response)
    assert rows() == before
    assert not Article.objects.filter(headline="Console sales set to double").exists()


@killed_mid_write
def test_an_image_upload_cut_off_before_its_row_leaves_no_file(
    key_client, agent_key, settings, monkeypatch
):
    # Killed as the row is about to be written: the file is stored, then its INSERT
    # fails, and the image deletes the file it stored (articles.models.media.Image.save).
    calls = killed_before(monkeypatch, images, "file_facts")
    upload = SimpleUploadedFile("quay.png", raster("PNG", size=(64, 48)))
    data = {"file": upload, "alt_text": "The quay at dawn", "source_kind": "staff"}

    response = key_client(agent_key).post("/api/v1/images/", data)

    assert calls == ["file_facts"]
    assert_unavailable_problem(response)
    assert not Image.objects.exists()
    assert stored_files(settings) == []
