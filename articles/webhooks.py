"""Partner webhooks: which article changes partners hear about, the signed payload,
one delivery attempt, and the back-off between attempts.

The workflow announces changes (``workflow.article_changed``, after commit); the
receiver here turns them into one ``WebhookDelivery`` per subscribed endpoint and
queues it. Every attempt is logged as a ``WebhookAttempt``. A delivery is only ever
sent while its row is locked, so the task queue and any number of overlapping
``manage.py deliver_webhooks`` runs never send the same attempt twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import random
import secrets
import socket
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.tasks import default_task_backend
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from articles.api.serializers import ArticleSerializer
from articles.models import Article, WebhookAttempt, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger("newsroom.webhooks")

Event = WebhookEndpoint.Event
State = WebhookDelivery.State

# Workflow actions partners hear about; every other action (submit, approve,
# back_to_draft…) happens before readers see anything and sends nothing.
EVENTS_FOR_ACTION: dict[str, str] = {
    "publish": Event.PUBLISHED,
    "updated": Event.UPDATED,
    "corrected": Event.CORRECTED,
    "unpublish": Event.UNPUBLISHED,
}

TIMEOUT_SECONDS = 5
FIRST_RETRY_SECONDS = 30
LONGEST_WAIT_SECONDS = 60 * 60
SIGNATURE_TOLERANCE_SECONDS = 300


# -- endpoints -----------------------------------------------------------------------


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def url_problem(url: str) -> str:
    """Why ``url`` may not receive webhooks; empty if it may."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return "Enter a valid URL."
    if scheme == "https":
        return ""
    if scheme == "http" and settings.WEBHOOKS_ALLOW_HTTP:
        return ""
    if scheme == "http":
        return "Use an https:// URL: payloads are only sent over HTTPS."
    return "Use an https:// URL."


# -- signatures ----------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Newsroom-Signature`` header: ``t=<unix seconds>,v1=<hex HMAC-SHA256>``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify_signature(
    secret: str, header: str, body: bytes | str, tolerance: int = SIGNATURE_TOLERANCE_SECONDS
) -> bool:
    """For receivers: is ``header`` our signature of ``body``, made at most ``tolerance``
    seconds ago? The timestamp is signed too, so an old request cannot be replayed."""
    if isinstance(body, str):
        body = body.encode()
    timestamp, signatures = None, []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1":
            signatures.append(value)
    if timestamp is None or abs(time.time() - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).rpartition("v1=")[2]
    return any(hmac.compare_digest(expected, signature) for signature in signatures)


# -- events --------------------------------------------------------------------------


def on_article_changed(sender, article: Article, action: str, **kwargs) -> None:
    """Receiver for ``workflow.article_changed``: queue the event for every subscribed
    endpoint. A failure here is logged and never reaches the editor who published."""
    event = EVENTS_FOR_ACTION.get(action)
    if event is None:
        return
    try:
        for delivery in create_deliveries(article, event):
            enqueue(delivery)
    except Exception:
        # Deliveries already created stay pending, and `deliver_webhooks` sends them.
        logger.exception("Could not queue webhook %s for article %s", event, article.pk)


def create_deliveries(article: Article, event: str) -> list[WebhookDelivery]:
    """One pending delivery per active endpoint subscribed to ``event``."""
    # Endpoints are few; filtering JSON lists in Python works on every database.
    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True) if event in e.events]
    if not endpoints:
        return []
    data = article_data(article, event)
    created_at = timezone.now().isoformat()
    return [
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=event,
            article_id=article.pk,
            payload={
                "id": str(uuid.uuid4()),
                "event": event,
                "created_at": created_at,
                "article": data,
            },
        )
        for endpoint in endpoints
    ]


def article_data(article: Article, event: str) -> dict:
    """The article as the API shows it; for one readers cannot see (unpublished, or
    retracted before this correction went out) only what identifies it."""
    fresh = Article.objects.for_detail().get(pk=article.pk)
    if event == Event.UNPUBLISHED or not fresh.is_published:
        return {
            "id": fresh.pk,
            "slug": fresh.slug,
            "headline": fresh.headline,
            "label": fresh.label,
        }
    # Through JSON and back: the stored payload is exactly what the API would answer.
    return json.loads(JSONRenderer().render(ArticleSerializer(fresh).data))


def enqueue(delivery: WebhookDelivery, *, at: dt.datetime | None = None) -> None:
    """Hand the delivery to the task queue; with ``at``, only if the queue can wait
    until then (otherwise `deliver_webhooks` from cron picks it up)."""
    from articles.tasks import deliver_webhook

    if at is None:
        deliver_webhook.enqueue(delivery.pk)
    elif default_task_backend.supports_defer:
        deliver_webhook.using(run_after=at).enqueue(delivery.pk)


# -- delivering ----------------------------------------------------------------------


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failure: 30 s, 1 min, 2 min… up to an
    hour, plus up to 10% jitter so endpoints that failed together do not retry together."""
    seconds = min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), LONGEST_WAIT_SECONDS)
    return dt.timedelta(seconds=seconds * (1 + random.uniform(0, 0.1)))  # noqa: S311 - jitter


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a success: following it would re-send the payload
    somewhere the partner never registered (and urllib would turn the POST into a GET)."""

    def redirect_request(self, *args, **kwargs):
        return None


# Only HTTP(S): no file:, ftp: or data: handlers, whatever URL reaches us.
_opener = urllib.request.OpenerDirector()
for _handler in (
    urllib.request.ProxyHandler(),
    urllib.request.HTTPHandler(),
    urllib.request.HTTPSHandler(),
    urllib.request.HTTPDefaultErrorHandler(),
    urllib.request.HTTPErrorProcessor(),
    _NoRedirects(),
):
    _opener.add_handler(_handler)


def address_problem(url: str) -> str:
    """Why ``url``'s host must not be called: a loopback, private or otherwise non-public
    address (a partner must not make us call our own network); empty if it may."""
    if settings.WEBHOOKS_ALLOW_PRIVATE:
        return ""
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return f"the host {host} cannot be resolved."
    for address in addresses:
        if not ipaddress.ip_address(address.split("%")[0]).is_global:
            return f"{host} resolves to {address}, which is not a public address."
    return ""


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST once; returns the status code, or None and what went wrong."""
    if problem := url_problem(url) or address_problem(url):
        return None, f"Not sent: {problem}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked above
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, ""
    except urllib.error.URLError as exc:
        return None, str(exc.reason)[:500]
    except (OSError, ValueError, http.client.HTTPException) as exc:
        # Timeouts, resets, TLS failures, garbled answers.
        return None, (str(exc) or type(exc).__name__)[:500]


def deliver(delivery: WebhookDelivery) -> WebhookAttempt:
    """Make one attempt, log it, and mark the delivery succeeded, due again later, or
    failed after ``WEBHOOK_MAX_ATTEMPTS``. The caller holds the row lock."""
    endpoint = delivery.endpoint
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Newsroom-Webhooks/1",
        "Newsroom-Event": delivery.event,
        "Newsroom-Delivery": delivery.payload["id"],
        "Newsroom-Timestamp": str(timestamp),
        "Newsroom-Signature": sign(endpoint.secret, timestamp, body),
    }
    attempted_at = timezone.now()
    started = time.perf_counter()
    status_code, error = _post(endpoint.url, body, headers)
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
