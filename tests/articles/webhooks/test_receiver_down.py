"""A partner's receiver that is down gets its deliveries later: every attempt while it is
down fails and is logged, and once it is back the cron run delivers each delivery
exactly once; none lost, none sent twice by us. A receiver that dies in the middle of a
delivery (hangs up, answers too slowly) gets it again, once, with the same delivery id.

The receivers are real HTTP servers on 127.0.0.1, stopped (their port closed: every
connection is refused) and started again on the same port.
"""

import datetime as dt
import io
import json
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core.management import call_command

from articles.models import Correction, WebhookAttempt, WebhookDelivery
from articles.publishing import workflow
from articles.webhooks import transport
from articles.webhooks.delivery import retry_now
from tests.articles.webhooks.helpers import State, approved_article, endpoint_at

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Partner:
    """A partner's webhook receiver on a fixed port of 127.0.0.1 that can be stopped and
    started again there. While up it answers 204, except: ``hang_ups`` requests are read
    and the connection closed with no answer; ``trickle`` requests get their answer one
    byte every ``trickle_every`` seconds."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/hooks/newsroom"
        self.requests: list[tuple[object, bytes]] = []  # every one received, across restarts
        self.hang_ups = 0
        self.trickle = 0
        self.trickle_every = 0.1
        self.server = None
        self._lock = threading.Lock()

    def start(self) -> "Partner":
        partner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with partner._lock:
                    partner.requests.append((self.headers, body))
                    hang_up, partner.hang_ups = partner.hang_ups > 0, max(partner.hang_ups - 1, 0)
                    trickle, partner.trickle = partner.trickle > 0, max(partner.trickle - 1, 0)
                if hang_up:
                    self.close_connection = True  # read it, then gone without a word
                    return
                answer = b"HTTP/1.0 204 No Content\r\nContent-Length: 0\r\n\r\n"
                if not trickle:
                    self.wfile.write(answer)
                    return
                try:
                    for byte in answer:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(partner.trickle_every)
                except OSError:
                    pass  # the sender gave up on us

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        """Down: nothing listens on the port any more."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def delivery_ids(self) -> list[str]:
        return [headers["Newsroom-Delivery"] for headers, _ in self.requests]


@pytest.fixture
def partners():
    started = [Partner().start(), Partner().start()]
    yield started
    for partner in started:
        partner.stop()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (so the webhooks are sent) as the change commits."""
    return django_capture_on_commit_callbacks


def deliver_webhooks(at: dt.datetime) -> int:
    """The cron command, run at ``at``; how many attempts it made."""
    out = io.StringIO()
    with time_machine.travel(at, tick=False):
        call_command("deliver_webhooks", stdout=out)
    return int(out.getvalue().splitlines()[-1].split()[0])


def attempt_log(delivery: WebhookDelivery) -> list[int | None]:
    return list(delivery.attempt_log.order_by("attempted_at").values_list("status_code", flat=True))


def test_deliveries_made_while_receivers_are_down_arrive_once_when_they_are_back(
    partners, editor, on_commit
):
    kestrel, osprey = partners
    endpoint_at(kestrel.url, partner="Kestrel News")
    endpoint_at(osprey.url, partner="Osprey Wire")
    first, second = approved_article(), approved_article()
    kestrel.stop()
    osprey.stop()

    # Five changes a second apart, each sent at once to both endpoints, and refused.
    changes = [
        lambda: workflow.publish(first, by=editor),
        lambda: workflow.publish(second, by=editor),
        lambda: workflow.add_correction(
            first, by=editor, kind=Correction.Kind.CORRECTION, text="The quarter was Q3."
        ),
        lambda: workflow.record_edit(second, by=editor),
        lambda: workflow.unpublish(first, by=editor, note="Legal asked us to."),
    ]
    for n, change in enumerate(changes):
        moment = START + dt.timedelta(seconds=n)
        with time_machine.travel(moment, tick=False), on_commit(execute=True):
            change()

    deliveries = list(WebhookDelivery.objects.order_by("pk"))
    assert len(deliveries) == 10
    assert Counter((d.article_id, d.event) for d in deliveries) == Counter(
        {
            (first.pk, "article.published"): 2,
            (first.pk, "article.corrected"): 2,
            (first.pk, "article.unpublished"): 2,
            (second.pk, "article.published"): 2,
            (second.pk, "article.updated"): 2,
        }
    )
    assert {(d.state, d.attempts) for d in deliveries} == {(State.PENDING, 1)}
    assert all("refused" in a.error.lower() for a in WebhookAttempt.objects.all())

    # Cron every minute while they are still down: not before each retry is due (30 s
    # plus up to 10% jitter), then once each, refused again and logged.
    assert deliver_webhooks(START + dt.timedelta(seconds=20)) == 0
    assert deliver_webhooks(START + dt.timedelta(seconds=40)) == 10
    assert WebhookAttempt.objects.count() == 20

    kestrel.start()
    osprey.start()
    # The second retry waits 60 s (+10%): due by 40 + 67 s; then nothing more, ever.
    assert deliver_webhooks(START + dt.timedelta(seconds=50)) == 0
    assert deliver_webhooks(START + dt.timedelta(seconds=110)) == 10
    assert deliver_webhooks(START + dt.timedelta(hours=1)) == 0
    assert deliver_webhooks(START + dt.timedelta(days=1)) == 0

    for partner, endpoint_deliveries in zip(
        partners, [deliveries[0::2], deliveries[1::2]], strict=True
    ):
        assert {d.endpoint.url for d in endpoint_deliveries} == {partner.url}
        # Every delivery for this endpoint, each exactly once: none lost, none doubled.
        assert Counter(partner.delivery_ids) == Counter(
            d.payload["id"] for d in endpoint_deliveries
        )
        # Retries may overtake each other (their jitter differs); each payload's
        # created_at gives the order the changes happened in.
        payloads = sorted(
            (json.loads(body) for _, body in partner.requests), key=lambda p: p["created_at"]
        )
        events = [(p["article"]["id"], p["event"]) for p in payloads]
        assert events == [
            (first.pk, "article.published"),
            (second.pk, "article.published"),
            (first.pk, "article.corrected"),
            (second.pk, "article.updated"),
            (first.pk, "article.unpublished"),
        ]
    for delivery in WebhookDelivery.objects.all():
        assert (delivery.state, delivery.attempts) == (State.SUCCEEDED, 3)
        assert attempt_log(delivery) == [None, None, 204]


@pytest.mark.parametrize("how", ["hangs up", "answers too slowly"])
def test_a_receiver_that_dies_mid_delivery_gets_it_again_once(
    how, partners, editor, monkeypatch, on_commit
):
    kestrel, _ = partners
    endpoint_at(kestrel.url)
    if how == "hangs up":
        kestrel.hang_ups = 1
    else:
        monkeypatch.setattr(transport, "TIMEOUT_SECONDS", 0.3)
        kestrel.trickle = 1  # the whole answer would take 4.7 s
    article = approved_article()

    with time_machine.travel(START, tick=False), on_commit(execute=True):
        workflow.publish(article, by=editor)

    delivery = WebhookDelivery.objects.get()
    [failed] = delivery.attempt_log.all()
    assert failed.status_code is None
    assert failed.error  # what went wrong, for the delivery log
    assert (delivery.state, delivery.attempts) == (State.PENDING, 1)
    # The receiver has read the payload once already; we cannot know it did.
    assert len(kestrel.requests) == 1

    assert deliver_webhooks(delivery.next_attempt_at + dt.timedelta(seconds=1)) == 1
    assert deliver_webhooks(START + dt.timedelta(days=1)) == 0

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (State.SUCCEEDED, 2)
    assert attempt_log(delivery) == [None, 204]
    # Sent again once, as the same delivery (same id, same body): the receiver can
    # drop what it already has.
    (first_headers, first_body), (second_headers, second_body) = kestrel.requests
    assert first_body == second_body
    assert first_headers["Newsroom-Delivery"] == second_headers["Newsroom-Delivery"]


def test_a_receiver_that_trickles_its_answer_is_cut_off_at_the_timeout(partners, monkeypatch):
    # Each byte of the answer arrives within the socket timeout, but the whole answer
    # would take far longer: the attempt must still end at the timeout, freeing the
    # worker (and the delivery's row lock) for the next.
    kestrel, _ = partners
    monkeypatch.setattr(transport, "TIMEOUT_SECONDS", 0.5)
    kestrel.trickle, kestrel.trickle_every = 1, 0.2  # 47 bytes: 9.4 s

    started = time.perf_counter()
    status, error = transport.post(kestrel.url, b"{}", {"Content-Type": "application/json"})

    assert time.perf_counter() - started < 1.5
    assert status is None
    assert "timed out" in error


def test_a_receiver_down_past_the_last_attempt_loses_nothing(partners, editor, settings, on_commit):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    kestrel, _ = partners
    endpoint_at(kestrel.url)
    kestrel.stop()
    with time_machine.travel(START, tick=False), on_commit(execute=True):
        workflow.publish(approved_article(), by=editor)
    delivery = WebhookDelivery.objects.get()
    for minutes in (1, 3):
        deliver_webhooks(START + dt.timedelta(minutes=minutes))
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (State.FAILED, 3)

    # Given up on, not lost: kept with its log, and "Retry now" sends it once it is back.
    kestrel.start()
    assert deliver_webhooks(START + dt.timedelta(hours=1)) == 0
    assert retry_now(WebhookDelivery.objects.all()) == 1
    assert deliver_webhooks(START + dt.timedelta(hours=2)) == 0  # the task sent it already
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (State.SUCCEEDED, 4)
    assert attempt_log(delivery) == [None, None, None, 204]
    assert kestrel.delivery_ids == [delivery.payload["id"]]
