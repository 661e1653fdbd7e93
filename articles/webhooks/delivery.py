"""Sending webhook deliveries: one attempt, its log, and the back-off between attempts.

Every attempt is logged as a ``WebhookAttempt``. A delivery is only ever sent
while its row is locked, so the task queue and any number of overlapping
``manage.py deliver_webhooks`` runs never send the same attempt twice.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import time

from django.conf import settings
from django.db import transaction
from django.tasks import default_task_backend, task
from django.utils import timezone

from articles.models import WebhookAttempt, WebhookDelivery
from articles.webhooks import transport
from articles.webhooks.signing import sign, standard_headers

logger = logging.getLogger("newsroom.webhooks")

State = WebhookDelivery.State

FIRST_RETRY_SECONDS = 30
LONGEST_WAIT_SECONDS = 60 * 60


@task
def deliver_webhook(delivery_id: int) -> bool:
    """Attempt one webhook delivery if it is due; returns whether an attempt was made."""
    return deliver_if_due(delivery_id) is not None


def enqueue(delivery: WebhookDelivery, *, at: dt.datetime | None = None) -> None:
    """Hand the delivery to the task queue; with ``at``, only if the queue can wait
    until then (otherwise `deliver_webhooks` from cron picks it up)."""
    if at is None:
        deliver_webhook.enqueue(delivery.pk)
    elif default_task_backend.supports_defer:
        deliver_webhook.using(run_after=at).enqueue(delivery.pk)


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failure: 30 s, 1 min, 2 min… up to an
    hour, plus up to 10% jitter so endpoints that failed together do not retry together."""
    seconds = min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), LONGEST_WAIT_SECONDS)
    return dt.timedelta(seconds=seconds * (1 + random.uniform(0, 0.1)))  # noqa: S311 - jitter


def deliver(delivery: WebhookDelivery) -> WebhookAttempt:
    """Make one attempt, log it, and mark the delivery succeeded, due again later, or
    failed after ``WEBHOOK_MAX_ATTEMPTS``. The caller holds the row lock."""
    endpoint = delivery.endpoint
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Newsroom-Webhooks/1",
        # Standard Webhooks: the id stays the same on every retry of a delivery.
        **standard_headers(endpoint.secret, delivery.payload["id"], timestamp, body),
        # Deprecated (signing.LEGACY_HEADERS_UNTIL): the same, in our first format.
        "Newsroom-Event": delivery.event,
        "Newsroom-Delivery": delivery.payload["id"],
        "Newsroom-Timestamp": str(timestamp),
        "Newsroom-Signature": sign(endpoint.secret, timestamp, body),
    }
    attempted_at = timezone.now()
    started = time.perf_counter()
    status_code, error = transport.post(endpoint.url, body, headers)
    attempt = WebhookAttempt.objects.create(
        delivery=delivery,
        attempted_at=attempted_at,
        status_code=status_code,
        error=error,
        duration_ms=round((time.perf_counter() - started) * 1000),
    )

    delivery.attempts += 1
    now = timezone.now()
    if status_code is not None and 200 <= status_code < 300:
        delivery.state = State.SUCCEEDED
        delivery.delivered_at = now
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.state = State.FAILED
        logger.warning(
            "Gave up on webhook delivery %s after %s attempts", delivery.pk, delivery.attempts
        )
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(update_fields=["attempts", "state", "delivered_at", "next_attempt_at"])
    return attempt


def _due(now: dt.datetime):
    return WebhookDelivery.objects.filter(
        state=State.PENDING, next_attempt_at__lte=now, endpoint__active=True
    )


def deliver_if_due(delivery_id: int, *, now: dt.datetime | None = None) -> WebhookDelivery | None:
    """Attempt the delivery if it is pending, due and nobody else is sending it; then
    queue the retry if one is needed. Returns the delivery if an attempt was made."""
    now = now or timezone.now()
    with transaction.atomic():
        # The row stays locked through the HTTP request: a second run skips it rather
        # than sending the same payload while the first waits for an answer.
        delivery = (
            _due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None
        deliver(delivery)
    if delivery.state == State.PENDING:
        enqueue(delivery, at=delivery.next_attempt_at)
    return delivery


def deliver_due(*, now: dt.datetime | None = None) -> list[WebhookDelivery]:
    """Attempt every pending delivery whose time has come; safe to run concurrently."""
    now = now or timezone.now()
    attempted = []
    for pk in _due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True):
        if (delivery := deliver_if_due(pk, now=now)) is not None:
            attempted.append(delivery)
    return attempted


def retry_now(deliveries) -> int:
    """Make pending or failed deliveries due at once and queue them (the admin's
    “Retry now”); a failed one gets one more attempt. Returns how many."""
    now = timezone.now()
    ids = list(deliveries.exclude(state=State.SUCCEEDED).values_list("pk", flat=True))
    WebhookDelivery.objects.filter(pk__in=ids).update(state=State.PENDING, next_attempt_at=now)
    for delivery in WebhookDelivery.objects.filter(pk__in=ids):
        enqueue(delivery)
    return len(ids)
