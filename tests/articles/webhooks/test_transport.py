"""How a payload travels: refused connections, timeouts and redirects, which schemes and
addresses are ever sent to."""

import socket

import pytest

from articles.models import Article, WebhookAttempt, WebhookDelivery
from articles.webhooks import transport
from tests.articles.webhooks.helpers import State, approved_article, endpoint_at

pytestmark = pytest.mark.django_db

# -- connections ------------------------------------------------------------------------


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
    monkeypatch.setattr(transport, "TIMEOUT_SECONDS", 0.2)
    receiver.delay = 0.6
    publish(approved_article())
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert "timed out" in attempt.error
    assert attempt.duration_ms < 600


def test_a_redirect_is_not_followed(receiver, endpoint, publish):
    receiver.fail_first(1, status=302)
    publish(approved_article())
    assert WebhookAttempt.objects.get().status_code == 302
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().state == State.PENDING


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


def test_production_never_calls_loopback_or_private_addresses(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    for url in [
        "https://127.0.0.1/hook",
        "https://10.0.0.8/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://localhost/hook",
    ]:
        with pytest.raises(transport.Refused, match="webhooks are only sent to public addresses"):
            transport.check(url)
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert transport.check("https://127.0.0.1/hook").addresses == ("127.0.0.1",)
