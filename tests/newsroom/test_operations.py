"""What an operator relies on: /health/ says whether this instance can serve, every
response and log line carries a request id, and the access log is JSON in production."""

import datetime as dt
import io
import json
import logging

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.publishing.workflow import publish_due_articles
from newsroom import logs

pytestmark = pytest.mark.django_db(databases=["default", "replica"])


def test_health_checks_database_cache_and_queue_without_a_login(client):
    response = client.get("/health/", headers={"Accept": "application/json"})

    assert response.status_code == 200
    assert set(response.json().values()) == {"OK"}
    assert {"Database(alias='default')", "Database(alias='replica')"} <= set(response.json())
    assert {"Cache(alias='default')", "TaskQueue()"} <= set(response.json())


def test_health_is_never_cached_nor_listed_in_the_sitemap(client):
    response = client.get("/health/", headers={"Accept": "application/json"})

    assert "no-store" in response["Cache-Control"]
    assert "xkey" not in response
    assert b"/health/" not in client.get("/sitemap.xml").content


# The checks run in threads of their own, which see only committed rows.
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_task_waiting_too_long_makes_instance_and_worker_unhealthy(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    publish_due_articles.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=10))

    response = client.get("/health/", headers={"Accept": "application/json"})

    assert response.status_code == 503
    assert "db_worker" in response.json()["TaskQueue()"]
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("health_check", "health_tasks", "--no-http", stdout=out)
    assert exit_code.value.code == 1
    assert "db_worker" in out.getvalue()


def test_every_response_carries_a_request_id(client):
    first = client.get("/health/")["X-Request-ID"]
    second = client.get("/health/")["X-Request-ID"]

    assert len(first) == 32 and first != second


def test_a_proxys_request_id_is_kept_and_a_malformed_one_replaced(client):
    kept = client.get("/health/", headers={"X-Request-ID": "edge-7f3a.1"})
    replaced = client.get("/health/", headers={"X-Request-ID": "<script>\nalert(1)"})

    assert kept["X-Request-ID"] == "edge-7f3a.1"
    assert replaced["X-Request-ID"] != "<script>\nalert(1)"
    assert len(replaced["X-Request-ID"]) == 32


@pytest.fixture
def json_log():
    """What the app writes to the django.request logger, as production's JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs.JsonFormatter(logs.JSON_FIELDS))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_app_log_lines_carry_the_request_id_of_their_request(client, json_log):
    response = client.get("/no-such-page/", headers={"X-Request-ID": "edge-42"})

    assert response.status_code == 404
    [line] = json_log()
    assert line["request_id"] == "edge-42"
    assert line["levelname"] == "WARNING"
    assert "/no-such-page/" in line["message"]


def test_outside_a_request_log_lines_say_so():
    record = logging.LogRecord("newsroom", logging.INFO, __file__, 1, "Published", None, None)
    logs.RequestIdFilter().filter(record)

    assert record.request_id == "-"


def test_gunicorn_access_lines_are_json_with_the_responses_request_id():
    # The shape gunicorn's glogging gives its access logger: the format and its atoms.
    atoms = {
        "m": "GET",
        "U": "/articles/budget/",
        "q": "",
        "s": "200",
        "B": 5120,
        "M": 12,
        "h": "10.0.0.5",
        "a": "curl/8",
        "f": "-",
        "r": "GET /articles/budget/ HTTP/1.1",
        "{x-request-id}o": "edge-42",
    }
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '"%(r)s" %(s)s', (atoms,), None
    )
    logs.RequestIdFilter().filter(record)

    line = json.loads(logs.JsonFormatter(logs.JSON_FIELDS).format(record))

    assert line["request_id"] == "edge-42"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/articles/budget/", 200)
    assert line["duration_ms"] == 12
    assert line["message"] == '"GET /articles/budget/ HTTP/1.1" 200'
