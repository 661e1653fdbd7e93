"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live_server.

Every test here is marked ``browser`` and gets a transactional database (the
live server answers from another thread, so it must see committed rows).
``pytest -m "not browser"`` leaves them out.
"""

import contextlib
import os
import re
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread
from playwright.sync_api import expect, sync_playwright

from articles.demo import load_demo

# Debian's package, installed by `make browser`. Playwright never downloads its own.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # we run as root in CI
    "--disable-gpu",
    # The machine has no network beyond localhost: without these Chromium keeps
    # trying to reach Google's services and logs every refusal.
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
# Fail in seconds, not Playwright's default 30, when an element never appears.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)
# What UserFactory sets for every user.
PASSWORD = "correct-horse-battery"

HERE = Path(__file__).parent
SQLITE_BUSY = re.compile(r"status of 503 .*/(presence|autosave)/")
# Screenshots the browser tests take, kept after the run (var/ is not in git).
ARTEFACTS = HERE.parents[1] / "var" / "browser-artefacts"


# On SQLite the test database lives in memory, and the live server's threads and the
# test itself share its one connection. Two requests at once on it (a page's script
# and the beacon the page before it sent) can read garbage: a session that is not
# found, so a signed-in page meets the login page. So on SQLite the live server
# answers one request at a time, and the test's own queries wait for that request.
ONE_AT_A_TIME = threading.RLock()
SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


class OneRequestAtATimeServer(ThreadedWSGIServer):
    def set_app(self, application):
        def serialised(environ, start_response):
            with ONE_AT_A_TIME:
                response = application(environ, start_response)
                try:
                    return list(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()

        super().set_app(serialised)


if SQLITE:
    LiveServerThread.server_class = OneRequestAtATimeServer


@pytest.fixture(autouse=True)
def queries_wait_for_the_live_server():
    """The test thread's queries take turns with the live server's requests (SQLite)."""
    if not SQLITE:
        yield
        return

    def take_turns(execute, sql, params, many, context):
        with ONE_AT_A_TIME:
            return execute(sql, params, many, context)

    with connection.execute_wrapper(take_turns):
        yield


def pytest_collection_modifyitems(config, items):
    # This hook sees the whole session's items, so pick out the ones under tests/browser.
    # They run last: Playwright's sync API keeps an asyncio loop running in the main
    # thread from its start until the session ends, and no other test should run
    # beside a running loop (async_to_sync refuses to, for one).
    ours = [item for item in items if item.path.is_relative_to(HERE)]
    for item in ours:
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.django_db(transaction=True))
    items[:] = [item for item in items if item not in ours] + ours


@pytest.fixture(scope="session")
def artefacts() -> Path:
    """Where the browser tests keep their screenshots: ``var/browser-artefacts/``, or the
    folder ``BROWSER_ARTEFACTS`` names (CI may collect it)."""
    folder = Path(os.environ.get("BROWSER_ARTEFACTS") or ARTEFACTS)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def playwright():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium package")
    # Playwright's sync API runs an asyncio event loop in this thread, so Django
    # sees every ORM call a test makes (creating users, reading back the article)
    # as coming from async code and raises SynchronousOnlyOperation. The calls
    # really are synchronous: relax the check while Playwright runs, and only then.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    pw = sync_playwright().start()
    try:
        yield pw
    finally:
        pw.stop()
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def _new_context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _watch_for_errors(page, errors: list[str]) -> None:
    """Appends to ``errors`` whatever uncaught error or console error ``page`` reports."""

    def on_console(message):
        # Chromium asks every site for /favicon.ico; the admin has none.
        favicon = message.location.get("url", "").endswith("/favicon.ico")
        if message.type == "error" and not favicon:
            errors.append(f"console error: {message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught {error.name}: {error.message}"))


def _close(context) -> None:
    """Leave every page first, and give the requests leaving sends (the article page's
    presence beacon) a moment to finish: the database is flushed after the test, and on
    SQLite a request still writing would lock it."""
    for open_page in context.pages:
        with contextlib.suppress(Exception):
            open_page.goto("about:blank")
    time.sleep(0.5)
    context.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page in its own context (no cookies from other tests), on the live server."""
    context = _new_context(browser, live_server)
    page = context.new_page()
    yield page
    _close(context)


@pytest.fixture(autouse=True)
def quiet_editing(monkeypatch):
    """Outside the autosave and presence tests (which set short intervals of their own),
    the article page pings and autosaves rarely: on SQLite those background requests
    would otherwise meet the test's own saves on the test server's one connection."""
    from articles.publishing import editing

    monkeypatch.setattr(editing, "AUTOSAVE_SECONDS", 600)
    monkeypatch.setattr(editing, "PING_SECONDS", 600)


@pytest.fixture(autouse=True)
def page_errors(page):
    """Fails the test if the page throws an uncaught error or logs a console error."""
    errors: list[str] = []
    _watch_for_errors(page, errors)
    yield errors
    if connection.vendor == "sqlite":
        # The test server's in-memory SQLite is one connection shared by its threads: a
        # background ping or autosave that meets a save at that instant gets a 503 (the
        # page retries; PostgreSQL waits instead). Only those are forgiven, only here.
        errors[:] = [e for e in errors if not SQLITE_BUSY.search(e)]
    if errors:
        pytest.fail("the page reported errors:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def new_page(browser, live_server, page_errors):
    """Returns ``new_page()``: another page in a context of its own, as a second person's
    browser would be (its own cookies), watched for errors like ``page``."""
    contexts = []

    def new_page():
        context = _new_context(browser, live_server)
        contexts.append(context)
        other = context.new_page()
        _watch_for_errors(other, page_errors)
        return other

    yield new_page
    for context in contexts:
        _close(context)


@pytest.fixture
def login(page):
    """Returns ``login(user, password=PASSWORD, *, on=page)``, which signs in through the
    admin's form, on ``page`` unless another page (say, from ``new_page()``) is given."""

    def login(user, password: str = PASSWORD, *, on=None) -> None:
        browser_page = on or page
        browser_page.goto("/admin/login/?next=/admin/")
        browser_page.get_by_label("Username").fill(user.get_username())
        browser_page.get_by_label("Password").fill(password)
        browser_page.get_by_role("button", name="Log in").click()
        expect(browser_page.locator("#user-tools")).to_contain_text("Log out")

    return login


@pytest.fixture
def demo(transactional_db):
    """The demo newsroom (articles.demo): the labels, AI bylines and citations readers meet.

    Loaded afresh for each test, since a transactional test empties the database after it.
    """
    load_demo()
