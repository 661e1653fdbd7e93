"""Partner webhooks, delivered to a real HTTP server on 127.0.0.1: signed payloads for
published, updated, corrected and unpublished articles, retries with back-off, the
delivery log in the admin, and registering endpoints through the API."""

import datetime as dt
import hashlib
import hmac
import io
import json
import socket
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from articles import webhooks, workflow
from articles.models import (
    Article,
    Correction,
    PartnerKey,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SponsorshipFactory,
    make_publishable,
)

pytestmark = pytest.mark.django_db

Event = WebhookEndpoint.Event
State = WebhookDelivery.State
ALL_EVENTS = list(Event.values)


# -- a partner's endpoint ---------------------------------------------------------------


class Receiver:
    """A partner's webhook endpoint on 127.0.0.1: records every POST and answers 204,
    or the statuses queued with ``fail_first``; ``delay`` slows every answer down."""

    def __init__(self):
        self.requests: list[tuple[object, bytes]] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.requests.append((self.headers, body))
                    status = receiver.statuses.pop(0) if receiver.statuses else 204
                time.sleep(receiver.delay)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/newsroom"

    def fail_first(self, n: int, status: int = 500) -> None:
        self.statuses = [status] * n

    @property
    def payloads(self) -> list[dict]:
        return [json.loads(body) for _, body in self.requests]

    @property
    def events(self) -> list[str]:
        return [headers["Newsroom-Event"] for headers, _ in self.requests]


@pytest.fixture
def receiver():
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def endpoint_at(url: str, events=None, **fields) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        partner=fields.pop("partner", "Kestrel News"),
        url=url,
        events=ALL_EVENTS if events is None else events,
        secret=webhooks.new_secret(),
        **fields,
    )


@pytest.fixture
def endpoint(receiver):
    return endpoint_at(receiver.url)


# -- articles and the workflow ------------------------------------------------------------


def approved_article(**fields) -> Article:
    article = make_publishable(ArticleFactory(**fields), author=AuthorFactory(name="Ada Byline"))
    Article.objects.filter(pk=article.pk).update(status=Article.Status.APPROVED)
    article.refresh_from_db()
    return article


@pytest.fixture
def published(editor):
    article = approved_article()
    workflow.publish(article, by=editor)  # no callbacks run: partners hear nothing of it
    return article


@pytest.fixture
def publish(editor, django_capture_on_commit_callbacks):
    def publish(article: Article, by=None) -> Article:
        with django_capture_on_commit_callbacks(execute=True):
            return workflow.publish(article, by=by or editor)

    return publish


def deliver_webhooks(at: dt.datetime | None = None) -> str:
    out = io.StringIO()
    if at is None:
        call_command("deliver_webhooks", stdout=out)
    else:
        with time_machine.travel(at, tick=False):
            call_command("deliver_webhooks", stdout=out)
    return out.getvalue()


def parse_signature(header: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in header.split(","))


# -- events and payloads ----------------------------------------------------------------


def test_publishing_delivers_a_signed_article_published_event(
    receiver, commercial, django_capture_on_commit_callbacks
):
    endpoint = endpoint_at(receiver.url)
    article = approved_article(desk=Article.Desk.COMMERCIAL, created_by=commercial)
    SponsorshipFactory(article=article)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article, by=commercial)

    assert receiver.events == ["article.published"]
    headers, body = receiver.requests[0]
    payload = json.loads(body)
    assert headers["Content-Type"] == "application/json"
    assert headers["Newsroom-Delivery"] == payload["id"]
    uuid.UUID(payload["id"])
    assert payload["event"] == "article.published"
    assert dt.datetime.fromisoformat(payload["created_at"]) <= timezone.now()

    # The signature, checked with our helper and by hand as a partner would.
    signature = headers["Newsroom-Signature"]
    assert webhooks.verify_signature(endpoint.secret, signature, body)
    parts = parse_signature(signature)
    assert parts["t"] == headers["Newsroom-Timestamp"]
    assert abs(int(parts["t"]) - time.time()) < 60
    expected = hmac.new(
        endpoint.secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)

    # The article as the API shows it: label and bylines included.
    sent = payload["article"]
    assert sent["id"] == article.pk
    assert sent["status"] == "published"
    assert sent["is_sponsored"] is True
    assert sent["label"] == "Sponsored Advertising Content"
    assert sent["title_with_label"].startswith("Sponsored Advertising Content")
    assert [b["author"]["name"] for b in sent["bylines"]] == ["Ada Byline"]
    assert sent["url"].endswith(article.get_absolute_url())

    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.article) == (State.SUCCEEDED, 1, article)
    assert delivery.delivered_at is not None
    attempt = delivery.attempt_log.get()
    assert (attempt.status_code, attempt.error) == (204, "")


def test_a_correction_is_delivered_as_article_corrected(
    receiver, endpoint, published, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(
            published, by=editor, kind=Correction.Kind.CORRECTION, text="The quarter was Q3."
        )
    assert receiver.events == ["article.corrected"]
    article = receiver.payloads[0]["article"]
    assert [c["text"] for c in article["corrections"]] == ["The quarter was Q3."]


def test_an_edit_to_a_published_article_is_delivered_as_article_updated(
    receiver, endpoint, published, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.record_edit(published, by=editor)
    assert receiver.events == ["article.updated"]


def test_unpublishing_sends_only_what_identifies_the_article(
    receiver, endpoint, published, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(published, by=editor, note="Legal asked us to.")
    assert receiver.events == ["article.unpublished"]
    assert receiver.payloads[0]["article"] == {
        "id": published.pk,
        "slug": published.slug,
        "headline": published.headline,
        "label": "",
    }


def test_a_retraction_sends_no_more_of_the_article_than_unpublishing_does(
    receiver, endpoint, published, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(
            published, by=editor, kind=Correction.Kind.RETRACTION, text="The source was fake."
        )
    assert receiver.events == ["article.unpublished", "article.corrected"]
    assert [set(p["article"]) for p in receiver.payloads] == [
        {"id", "slug", "headline", "label"}
    ] * 2


def test_an_endpoint_hears_only_the_events_it_subscribed_to(
    receiver, published, editor, django_capture_on_commit_callbacks
):
    endpoint_at(receiver.url, events=["article.published"])
    endpoint_at(receiver.url, events=["article.published"], active=False)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(
            published, by=editor, kind=Correction.Kind.CORRECTION, text="Fixed a name."
        )
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_steps_before_publication_send_nothing(
    receiver, endpoint, editor, django_capture_on_commit_callbacks
):
    article = make_publishable(ArticleFactory())
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(article, by=editor)
        workflow.approve(article, by=editor)
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_a_failing_webhook_never_breaks_publishing(endpoint, publish, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("serializer exploded")

    monkeypatch.setattr(webhooks, "article_data", broken)
    article = publish(approved_article())
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert "Could not queue webhook article.published" in caplog.text


def test_an_unreachable_endpoint_is_logged_and_retried_later(publish):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    endpoint_at(f"http://127.0.0.1:{closed_port}/hooks")
    article = publish(approved_article())
    assert article.status == Article.Status.PUBLISHED

    delivery = WebhookDelivery.objects.get()
    attempt = delivery.attempt_log.get()
    assert attempt.status_code is None
    assert "refused" in attempt.error.lower()
    assert (delivery.state, delivery.attempts) == (State.PENDING, 1)


def test_a_slow_endpoint_times_out(receiver, endpoint, publish, monkeypatch):
    monkeypatch.setattr(webhooks, "TIMEOUT_SECONDS", 0.2)
    receiver.delay = 0.6
    publish(approved_article())
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert "timed out" in attempt.error
    assert attempt.duration_ms < 600


# -- retries --------------------------------------------------------------------------


def test_a_failed_delivery_is_retried_after_a_back_off(receiver, endpoint, publish):
    receiver.fail_first(1)
    publish(approved_article())

    delivery = WebhookDelivery.objects.get()
    assert list(delivery.attempt_log.values_list("status_code", flat=True)) == [500]
    assert delivery.state == State.PENDING
    assert delivery.next_attempt_at > timezone.now()

    assert deliver_webhooks().endswith("0 webhook delivery attempt(s) made.\n")  # not yet due
    assert len(receiver.requests) == 1

    out = deliver_webhooks(at=delivery.next_attempt_at + dt.timedelta(seconds=1))
    assert "1 webhook delivery attempt(s) made." in out
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (State.SUCCEEDED, 2)
    assert list(delivery.attempt_log.values_list("status_code", flat=True)) == [500, 204]
    # The same delivery, the same body, a fresh signature.
    (first_headers, first_body), (second_headers, second_body) = receiver.requests
    assert first_body == second_body
    assert first_headers["Newsroom-Delivery"] == second_headers["Newsroom-Delivery"]
    assert first_headers["Newsroom-Timestamp"] != second_headers["Newsroom-Timestamp"]


def test_the_back_off_grows_exponentially(receiver, endpoint, publish):
    receiver.fail_first(10)
    publish(approved_article())
    delivery = WebhookDelivery.objects.get()
    waits = []
    for _ in range(4):
        delivery.refresh_from_db()
        last = delivery.attempt_log.last()
        waits.append((delivery.next_attempt_at - last.attempted_at).total_seconds())
        deliver_webhooks(at=delivery.next_attempt_at)
    # 30 s, 1, 2, 4 minutes, each with up to 10% jitter (and the first request's time).
    for wait, base in zip(waits, [30, 60, 120, 240], strict=True):
        assert base <= wait <= base * 1.1 + 1, waits


def test_the_back_off_is_capped_at_an_hour():
    assert dt.timedelta(hours=1) <= webhooks.backoff(30) <= dt.timedelta(hours=1.1)


def test_a_delivery_is_given_up_after_the_last_attempt(receiver, endpoint, publish, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.fail_first(10, status=503)
    publish(approved_article())
    delivery = WebhookDelivery.objects.get()
    for _ in range(2):
        deliver_webhooks(at=delivery.next_attempt_at)
        delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (State.FAILED, 3)
    assert delivery.attempt_log.count() == 3

    deliver_webhooks(at=timezone.now() + dt.timedelta(days=1))
    assert len(receiver.requests) == 3


def test_a_redirect_is_not_followed(receiver, endpoint, publish):
    receiver.fail_first(1, status=302)
    publish(approved_article())
    assert WebhookAttempt.objects.get().status_code == 302
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().state == State.PENDING


def test_with_a_deferring_queue_the_retry_is_queued_for_its_time(
    receiver, endpoint, publish, settings
):
    receiver.fail_first(2)
    publish(approved_article())  # the immediate backend ran the first attempt inline
    assert not DBTaskResult.objects.exists()  # …and cannot wait, so cron retries

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    delivery = WebhookDelivery.objects.get()
    webhooks.retry_now(WebhookDelivery.objects.all())
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [delivery.pk]  # for the worker, at once

    webhooks.deliver_if_due(delivery.pk)  # what the worker does; it fails again
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    retry = DBTaskResult.objects.exclude(pk=queued.pk).get()
    assert (retry.args_kwargs["args"], retry.run_after) == ([delivery.pk], delivery.next_attempt_at)


# -- URLs ---------------------------------------------------------------------------


def test_http_endpoints_are_not_sent_to_when_http_is_not_allowed(
    receiver, endpoint, publish, settings
):
    settings.WEBHOOKS_ALLOW_HTTP = False
    publish(approved_article())
    assert receiver.requests == []
    assert WebhookAttempt.objects.get().error.startswith("Not sent: Use an https:// URL")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://files.example/hook", "gopher://x"])
def test_other_schemes_are_never_sent_to(url, publish):
    endpoint_at(url)
    publish(approved_article())
    assert WebhookAttempt.objects.get().error == "Not sent: Use an https:// URL."


# -- signatures ------------------------------------------------------------------------


def test_verify_signature_accepts_only_a_fresh_signature_of_the_same_body():
    secret, body = "s3cret", b'{"event":"article.published"}'
    now = int(time.time())
    good = webhooks.sign(secret, now, body)
    assert webhooks.verify_signature(secret, good, body)
    assert webhooks.verify_signature(secret, good, body.decode())
    assert not webhooks.verify_signature("other-secret", good, body)
    assert not webhooks.verify_signature(secret, good, body + b" ")
    # Old (replayed) or future-dated signatures are refused, even when genuine.
    assert not webhooks.verify_signature(secret, webhooks.sign(secret, now - 301, body), body)
    assert not webhooks.verify_signature(secret, webhooks.sign(secret, now + 301, body), body)
    assert webhooks.verify_signature(secret, webhooks.sign(secret, now - 3600, body), body, 7200)
    # A tampered timestamp breaks the signature.
    forged = good.replace(f"t={now}", f"t={now - 1}")
    assert not webhooks.verify_signature(secret, forged, body)
    for garbage in ["", "t=,v1=", "v1=abc", f"t={now}", "nonsense"]:
        assert not webhooks.verify_signature(secret, garbage, body)


# -- two cron runs at once (PostgreSQL) ------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; CI runs this on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_runs_send_each_delivery_once(receiver, endpoint):
    deliveries = [
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=Event.PUBLISHED,
            payload={"id": str(uuid.uuid4()), "event": Event.PUBLISHED, "article": {"id": n}},
        )
        for n in range(6)
    ]
    receiver.delay = 0.05  # so the runs overlap
    start = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            call_command("deliver_webhooks", stdout=io.StringIO())
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    sent = sorted(headers["Newsroom-Delivery"] for headers, _ in receiver.requests)
    assert sent == sorted(d.payload["id"] for d in deliveries)
    assert WebhookAttempt.objects.count() == 6
    assert set(WebhookDelivery.objects.values_list("state", "attempts")) == {(State.SUCCEEDED, 1)}


# -- the admin ----------------------------------------------------------------------


@pytest.fixture
def administrator_client(client, administrator):
    client.force_login(administrator)
    return client


def make_deliveries(n: int) -> None:
    for i in range(n):
        endpoint = endpoint_at(f"https://partner{i}.example/hooks")
        article = ArticleFactory(published=True)
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=Event.PUBLISHED,
            article=article,
            payload={"id": str(uuid.uuid4()), "event": Event.PUBLISHED, "article": {}},
            attempts=1,
        )
        WebhookAttempt.objects.create(delivery=delivery, status_code=500, duration_ms=12)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_delivery_changelist_query_count_does_not_grow_with_rows(administrator_client):
    url = reverse("admin:articles_webhookdelivery_changelist")
    make_deliveries(5)
    few = count_queries(administrator_client, url)
    make_deliveries(45)
    assert count_queries(administrator_client, url) == few
    # session, user, permissions (2), count, filtered count, and the deliveries joined
    # to their endpoints and articles.
    assert few <= 7


def test_a_delivery_page_shows_every_attempt_read_only(administrator_client):
    make_deliveries(1)
    delivery = WebhookDelivery.objects.get()
    response = administrator_client.get(
        reverse("admin:articles_webhookdelivery_change", args=[delivery.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Webhook attempts" in html
    assert "500" in html
    assert 'name="_save"' not in html
    assert "&quot;event&quot;: &quot;article.published&quot;" in html


def test_retry_now_sends_a_failed_delivery_again(administrator_client, receiver, endpoint, publish):
    receiver.fail_first(1)
    publish(approved_article())
    WebhookDelivery.objects.update(state=State.FAILED)
    response = administrator_client.post(
        reverse("admin:articles_webhookdelivery_changelist"),
        {"action": "retry_now", "_selected_action": [WebhookDelivery.objects.get().pk]},
        follow=True,
    )
    assert "1 delivery queued to be sent again." in response.content.decode()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == (State.SUCCEEDED, 2)


def test_adding_an_endpoint_in_the_admin_shows_its_secret_once(administrator_client):
    response = administrator_client.post(
        reverse("admin:articles_webhookendpoint_add"),
        {
            "partner": "Kestrel News",
            "url": "https://kestrel.example/hooks",
            "events": ["article.published", "article.unpublished"],
            "active": "on",
        },
        follow=True,
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["article.published", "article.unpublished"]
    assert len(endpoint.secret) >= 40
    assert endpoint.secret in response.content.decode()
    page = administrator_client.get(
        reverse("admin:articles_webhookendpoint_change", args=[endpoint.pk])
    )
    assert endpoint.secret not in page.content.decode()


# -- registering through the API ------------------------------------------------------------


@pytest.fixture
def partner_api():
    _, raw = PartnerKey.objects.create_key(name="Kestrel app", partner="Kestrel News")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


WEBHOOKS_URL = "/api/v1/webhooks/"


def test_registering_returns_the_secret_once(partner_api):
    response = partner_api.post(
        WEBHOOKS_URL,
        {"url": "https://kestrel.example/hooks", "events": ["article.published"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    endpoint = WebhookEndpoint.objects.get()
    assert created["secret"] == endpoint.secret
    assert endpoint.partner == "Kestrel News"
    assert created["events"] == ["article.published"]

    listed = partner_api.get(WEBHOOKS_URL).json()
    assert listed == [
        {
            "id": endpoint.pk,
            "url": "https://kestrel.example/hooks",
            "events": ["article.published"],
            "active": True,
            "created_at": created["created_at"],
        }
    ]
    assert "secret" not in partner_api.get(f"{WEBHOOKS_URL}{endpoint.pk}/").json()


def test_partners_see_and_delete_only_their_own_endpoints(partner_api):
    theirs = endpoint_at("https://other.example/hooks", partner="Other Partner")
    ours = endpoint_at("https://kestrel.example/hooks")
    assert [e["id"] for e in partner_api.get(WEBHOOKS_URL).json()] == [ours.pk]
    assert partner_api.delete(f"{WEBHOOKS_URL}{theirs.pk}/").status_code == 404
    assert partner_api.delete(f"{WEBHOOKS_URL}{ours.pk}/").status_code == 204
    assert list(WebhookEndpoint.objects.all()) == [theirs]


def test_registering_needs_an_api_key():
    response = APIClient().post(
        WEBHOOKS_URL, {"url": "https://x.example/", "events": ["article.published"]}, format="json"
    )
    assert response.status_code == 401
    assert not WebhookEndpoint.objects.exists()


def test_http_is_refused_in_production_and_https_accepted(partner_api, settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    response = partner_api.post(
        WEBHOOKS_URL,
        {"url": "http://kestrel.example/hooks", "events": ["article.published"]},
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {
        "url": ["Use an https:// URL: payloads are only sent over HTTPS."]
    }
    response = partner_api.post(
        WEBHOOKS_URL,
        {"url": "https://kestrel.example/hooks", "events": ["article.published"]},
        format="json",
    )
    assert response.status_code == 201


def test_unknown_events_and_other_schemes_are_refused(partner_api):
    response = partner_api.post(
        WEBHOOKS_URL,
        {"url": "ftp://kestrel.example/hooks", "events": ["article.deleted"]},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["url"] == ["Use an https:// URL."]
    assert "article.deleted" in errors["events"]["0"][0]
    response = partner_api.post(
        WEBHOOKS_URL, {"url": "https://kestrel.example/", "events": []}, format="json"
    )
    assert response.status_code == 400
    assert "events" in response.json()["errors"]


def test_production_never_calls_loopback_or_private_addresses(settings):
    from articles.webhooks import address_problem

    settings.WEBHOOKS_ALLOW_PRIVATE = False
    for url in [
        "https://127.0.0.1/hook",
        "https://10.0.0.8/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://localhost/hook",
    ]:
        assert "not a public address" in address_problem(url), url
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert address_problem("https://127.0.0.1/hook") == ""
