"""Delivering webhooks: retries with exponential back-off, giving up, the deliver_webhooks
cron command, the task queue, and two overlapping runs sending each delivery once."""

import datetime as dt
import io
import threading
import uuid

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import WebhookAttempt, WebhookDelivery
from articles.webhooks.delivery import backoff, deliver_if_due, retry_now
from tests.articles.webhooks.helpers import Event, State, approved_article

pytestmark = pytest.mark.django_db


def deliver_webhooks(at: dt.datetime | None = None) -> str:
    out = io.StringIO()
    if at is None:
        call_command("deliver_webhooks", stdout=out)
    else:
        with time_machine.travel(at, tick=False):
            call_command("deliver_webhooks", stdout=out)
    return out.getvalue()


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
    assert dt.timedelta(hours=1) <= backoff(30) <= dt.timedelta(hours=1.1)


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


def test_with_a_deferring_queue_the_retry_is_queued_for_its_time(
    receiver, endpoint, publish, settings
):
    receiver.fail_first(2)
    publish(approved_article())  # the immediate backend ran the first attempt inline
    assert not DBTaskResult.objects.exists()  # …and cannot wait, so cron retries

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    delivery = WebhookDelivery.objects.get()
    retry_now(WebhookDelivery.objects.all())
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [delivery.pk]  # for the worker, at once

    deliver_if_due(delivery.pk)  # what the worker does; it fails again
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    retry = DBTaskResult.objects.exclude(pk=queued.pk).get()
    assert (retry.args_kwargs["args"], retry.run_after) == ([delivery.pk], delivery.next_attempt_at)


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
