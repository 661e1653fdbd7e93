"""Odd requests never get a 500: whatever a query string or a request body holds, the
site answers a normal page (or a 4xx) and the API a 4xx problem; if the API ever does
crash, its 500 is a problem too, with the request id and no traceback.

The regressions (most answered 500 before; the rest pin down what the answer is); the
sweep of every page and endpoint is in test_hostile_sweep.py.
"""

import asyncio
import json

import pytest
from asgiref.sync import async_to_sync
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.urls import path
from rest_framework.views import APIView

import newsroom.urls
from articles.models import Article
from newsroom.middleware import CharsetGuard
from tests.articles.api.helpers import ARTICLES
from tests.articles.api.problem_helpers import assert_problem, draft
from tests.factories import (
    ArticleFactory,
    SectionFactory,
)
from tests.newsroom.hostile import NUL_MESSAGE, get, send

pytestmark = pytest.mark.django_db


# -- the regressions ------------------------------------------------------------------------


def test_a_search_for_a_nul_character_is_a_search_for_nothing(client):
    """It answered 500 on PostgreSQL: the NUL reached the full-text query."""
    response = get(client, "/search/?q=%00")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_a_nul_inside_a_search_is_left_out(client):
    ArticleFactory(published=True, headline="Sea wall vote", body="<p>The council voted.</p>")
    html = get(client, "/search/?q=sea%00").content.decode()
    assert "Sea wall vote" in html


def test_the_admin_search_reads_a_nul_calmly(client, editor):
    """Already held (the admin's search form refuses a NUL); kept as a guard."""
    client.force_login(editor)
    response = get(client, "/admin/articles/article/?q=%00")
    assert response.status_code == 200


def test_a_nul_in_an_api_parameter_is_a_400_naming_it(client):
    problem = assert_problem(get(client, f"{ARTICLES}?expand=body&cursor=%00&x%00=1"), 400)
    assert problem["errors"] == {"cursor": [NUL_MESSAGE], "x\x00": [NUL_MESSAGE]}
    assert "cursor" in problem["detail"]


def test_json_nested_a_hundred_thousand_levels_is_a_400(key_client, agent_key):
    """It answered 500: RecursionError from the JSON decoder."""
    response = send(key_client(agent_key), "post", ARTICLES, "[" * 100_000 + "]" * 100_000)
    problem = assert_problem(response, 400)
    assert "nested" in problem["detail"]


def test_json_nested_deeper_than_any_payload_is_a_400_even_when_it_parses(key_client, agent_key):
    SectionFactory(slug="technology")
    deep = json.dumps(draft(headline=json.loads("[" * 40 + "]" * 40)))
    problem = assert_problem(send(key_client(agent_key), "post", ARTICLES, deep), 400)
    assert "nested more than 32 levels" in problem["detail"]
    assert not Article.objects.exists()


def test_a_lone_surrogate_in_a_string_is_a_400(key_client, agent_key):
    """A lone surrogate cannot be encoded for the database: a 500 on PostgreSQL."""
    SectionFactory(slug="technology")
    body = json.dumps(draft(headline="Sony \ud800 profit", tags=["\udfff"]))
    problem = assert_problem(send(key_client(agent_key), "post", ARTICLES, body), 400)
    assert "surrogate" in problem["detail"]
    assert not Article.objects.exists()


def test_paired_surrogates_are_just_text(key_client, agent_key):
    SectionFactory(slug="technology")
    body = json.dumps(draft(headline="Sony profit \U0001f4f0"))  # written as \ud83d\udcf0
    response = send(key_client(agent_key), "post", ARTICLES, body)
    assert response.status_code == 201, response.content
    assert Article.objects.get().headline == "Sony profit \U0001f4f0"


@pytest.mark.parametrize("number", ["1e999", "-1e999", "NaN", "Infinity", "-Infinity"])
def test_numbers_json_cannot_hold_are_refused_not_read_as_infinity(key_client, agent_key, number):
    SectionFactory(slug="technology")
    body = json.dumps(draft()).replace('"Sony profit"', number)
    assert_problem(send(key_client(agent_key), "post", ARTICLES, body), 400)
    assert not Article.objects.exists()


def wsgi_get(url: str, content_type: str) -> tuple[str, dict]:
    """A GET through the WSGI application as gunicorn calls it: the status line and the
    headers (the test client builds the request itself, before any of our code)."""
    path, _, query = url.partition("?")
    environ = RequestFactory()._base_environ(
        PATH_INFO=path, QUERY_STRING=query, CONTENT_TYPE=content_type
    )
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    # As the test client does: the test's transaction keeps its connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = CharsetGuard(WSGIHandler())(environ, start_response)
        b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"]


@pytest.mark.parametrize("charset", ["rot13", "idna", "bogus", "utf-16"])
def test_a_charset_that_is_not_text_is_ignored(db, charset):
    """``charset=rot13`` names a codec, not a text encoding: Django building the request
    read the query string with it and raised LookupError, a 500 from the server itself,
    on every page and endpoint."""
    content_type = f"text/plain; charset={charset}"
    cache.clear()
    assert wsgi_get("/search/?q=%ff", content_type)[0] == "200 OK"
    cache.clear()
    assert wsgi_get(f"{ARTICLES}?q=%ff", content_type)[0] == "200 OK"


def asgi_get(application, url: str, content_type: str) -> int:
    """A GET through an ASGI application as an ASGI server calls it: the status."""
    path, _, query = url.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", content_type.encode("latin-1"))],
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }
    sent = []
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if requests:
            return requests.pop()
        await asyncio.Event().wait()  # the client stays connected until the answer

    async def send(message):
        sent.append(message)

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        async_to_sync(application)(scope, receive, send)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return sent[0]["status"]


@pytest.mark.parametrize("charset", ["rot13", "idna"])
def test_under_asgi_too_a_charset_that_is_not_text_is_ignored(db, charset):
    from newsroom.asgi import application

    content_type = f"text/plain; charset={charset}"
    cache.clear()
    assert asgi_get(application, "/search/?q=%ff", content_type) == 200
    assert asgi_get(application, f"{ARTICLES}?q=%ff", content_type) == 200
    assert asgi_get(application, "/search/?q=a", "text/plain; x=" + "y" * 20_000) == 200


def test_a_content_type_longer_than_django_reads_is_ignored(db):
    assert wsgi_get("/search/?q=a", "text/plain; x=" + "y" * 20_000)[0] == "200 OK"


@pytest.mark.parametrize("charset", ["rot13", "idna"])
def test_a_form_body_in_a_charset_that_is_not_text_is_read_as_utf8(client, charset):
    """Past the request's construction, reading the form body in that charset raised too."""
    client.raise_request_exception = False
    response = client.generic(
        "POST",
        "/admin/login/",
        b"username=a%ff&password=b",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code in (200, 403)


def test_a_json_body_is_read_as_utf8_whatever_its_charset_says(key_client, agent_key):
    SectionFactory(slug="technology")
    body = json.dumps(draft(headline="Café")).encode()
    response = send(
        key_client(agent_key), "post", ARTICLES, body, "application/json; charset=rot13"
    )
    assert response.status_code == 201, response.content
    assert Article.objects.get().headline == "Café"


def test_a_json_body_over_the_upload_limit_is_a_413(key_client, agent_key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps(draft(body="<p>" + "x" * 2000 + "</p>"))
    assert_problem(send(key_client(agent_key), "post", ARTICLES, body), 413)


def test_too_many_parameters_are_a_400(client):
    query = "&".join(f"p{i}=1" for i in range(1100))
    assert get(client, f"/search/?{query}").status_code == 400
    assert_problem(get(client, f"{ARTICLES}?{query}"), 400)


def test_an_unknown_api_address_is_a_problem_not_an_html_page(client):
    assert_problem(get(client, "/api/v1/no-such-thing/"), 404)
    assert_problem(get(client, "/api/v1/%00/"), 404)


# -- a crash inside the API -----------------------------------------------------------------


class Crash(APIView):
    def get(self, request):
        raise RuntimeError("secret internals")


def crash(request):
    raise RuntimeError("secret internals")


# This module is also the URLconf of the crash tests (pytest's ``urls`` marker).
urlpatterns = [
    path("api/v1/crash/", Crash.as_view()),
    path("crash/", crash),
    *newsroom.urls.urlpatterns,
]
handler500 = getattr(newsroom.urls, "handler500", "django.views.defaults.server_error")


@pytest.mark.urls(__name__)
def test_a_crash_in_the_api_is_a_problem_with_the_request_id(client):
    response = get(client, "/api/v1/crash/")
    problem = assert_problem(response, 500)
    assert problem["request_id"] == response["X-Request-ID"]
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.urls(__name__)
def test_a_crash_on_the_site_is_the_html_error_page(client):
    response = get(client, "/crash/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "secret internals" not in response.content.decode()
