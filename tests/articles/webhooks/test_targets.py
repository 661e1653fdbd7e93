"""Where webhooks may go. In production a partner cannot register an endpoint on our own
network (API or admin), and at send time the address that was checked is the address
connected to: a name that answers differently the second time (DNS rebinding) never
reaches an internal service. A receiver whose name turns private is retried, not lost."""

import datetime as dt
import io
import logging
import shutil
import ssl
import subprocess
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from articles.webhooks import transport
from tests.articles.webhooks.conftest import PUBLIC
from tests.articles.webhooks.helpers import Receiver, State, approved_article, endpoint_at

pytestmark = pytest.mark.django_db

WEBHOOKS_URL = "/api/v1/webhooks/"
PUBLIC_ONLY = "webhooks are only sent to public addresses."

# (URL, why it is refused). Each was accepted at registration before (the send-time
# check caught it later); names under kestrel.example resolve as the ``dns`` fixture says.
REFUSED = [
    ("https://127.0.0.1/hooks", "127.0.0.1 is a loopback address"),
    ("https://localhost/hooks", "localhost resolves to"),
    ("https://[::1]/hooks", "::1 is a loopback address"),
    ("https://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("https://[fe80::a9fe:a9fe]/hooks", "is a link-local address"),
    ("https://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254 is a private address"),
    ("https://[::ffff:127.0.0.1]/hooks", "is a loopback address (127.0.0.1, written as IPv6)"),
    (
        "https://[::ffff:169.254.169.254]/",
        "services answer (169.254.169.254, written as IPv6)",
    ),
    ("https://[2002:a00:1::]/hooks", "is a private address (10.0.0.1, written as IPv6)"),
    ("https://10.0.0.8/hooks", "10.0.0.8 is a private address"),
    ("https://172.16.5.4/hooks", "172.16.5.4 is a private address"),
    ("https://192.168.1.10:8443/hooks", "192.168.1.10 is a private address"),
    ("https://100.64.0.1/hooks", "100.64.0.1 is a shared (carrier-grade NAT) address"),
    ("https://0.0.0.0/hooks", "0.0.0.0 is an unspecified address"),
    ("https://224.0.0.1/hooks", "224.0.0.1 is a multicast address"),
    ("https://internal.kestrel.example/hooks", "resolves to 10.0.0.5, a private address"),
    ("https://meta.kestrel.example/", "resolves to 169.254.169.254, a link-local address"),
    # Every address a name resolves to is checked, not only the first.
    ("https://mixed.kestrel.example/hooks", "resolves to 127.0.0.1, a loopback address"),
    ("https://gone.kestrel.example/hooks", "The host gone.kestrel.example cannot be resolved."),
    ("https://hooks.kestrel.example./", "Leave out the dot at the end of the host name."),
    ("https://evil@127.0.0.1/hooks", "Leave out the user name and password"),
    ("https://hooks.kestrel.example@127.0.0.1/", "Leave out the user name and password"),
]


@pytest.fixture
def names(dns):
    dns["hooks.kestrel.example"] = [PUBLIC]
    dns["internal.kestrel.example"] = ["10.0.0.5"]
    dns["meta.kestrel.example"] = ["169.254.169.254"]
    dns["mixed.kestrel.example"] = [PUBLIC, "127.0.0.1"]
    return dns


def register(partner_api, url: str):
    return partner_api.post(
        WEBHOOKS_URL, {"url": url, "events": ["article.published"]}, format="json"
    )


# -- registration ---------------------------------------------------------------------


@pytest.mark.parametrize(("url", "reason"), REFUSED)
def test_the_api_refuses_endpoints_on_our_own_network(url, reason, partner_api, production, names):
    response = register(partner_api, url)
    assert response.status_code == 400, response.json()
    assert response["Content-Type"] == "application/problem+json"
    [message] = response.json()["errors"]["url"]
    assert reason in message
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(("url", "reason"), REFUSED[::3])
def test_the_admin_refuses_endpoints_on_our_own_network(
    url, reason, administrator_client, production, names
):
    response = administrator_client.post(
        reverse("admin:articles_webhookendpoint_add"),
        {"partner": "Kestrel News", "url": url, "events": ["article.published"], "active": "on"},
    )
    assert response.status_code == 200  # the form again, with the error
    [message] = response.context["adminform"].form.errors["url"]
    assert reason in message
    assert not WebhookEndpoint.objects.exists()


def test_the_reason_says_which_address_and_why(partner_api, production, names):
    response = register(partner_api, "https://internal.kestrel.example/hooks")
    assert response.json()["errors"]["url"] == [
        f"internal.kestrel.example resolves to 10.0.0.5, a private address; {PUBLIC_ONLY}"
    ]


def test_a_public_endpoint_is_registered(partner_api, production, names):
    for url in ["https://hooks.kestrel.example/hooks", f"https://{PUBLIC}:8443/hooks?via=x"]:
        response = register(partner_api, url)
        assert response.status_code == 201, response.json()
    assert WebhookEndpoint.objects.count() == 2


def test_development_may_register_local_endpoints(partner_api, settings, dns):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert register(partner_api, "https://127.0.0.1:8000/hooks").status_code == 201
    # Nothing to check, so nothing looked up: names need not resolve on a laptop.
    assert register(partner_api, "https://gone.kestrel.example/hooks").status_code == 201
    assert dns.lookups == []


# -- send time ------------------------------------------------------------------------


def test_a_name_that_rebinds_after_the_check_is_not_looked_up_again(
    receiver, public_receiver, network, dns, production, publish
):
    # The "internal service" is `receiver`; the name answers a public address to the
    # check, then 127.0.0.1 to anyone asking again.
    production.WEBHOOKS_ALLOW_HTTP = True  # the receivers speak plain HTTP
    port = receiver.server.server_port
    dns["hooks.kestrel.example"] = [[PUBLIC], ["127.0.0.1"]]
    endpoint_at(f"http://hooks.kestrel.example:{port}/hooks")

    publish(approved_article())

    assert receiver.requests == []
    assert network.connections == [(PUBLIC, port)]
    assert dns.lookups == ["hooks.kestrel.example"]
    assert len(public_receiver.requests) == 1
    headers, _ = public_receiver.requests[0]
    assert headers["Host"] == f"hooks.kestrel.example:{port}"
    assert WebhookDelivery.objects.get().state == State.SUCCEEDED


def test_a_receiver_whose_name_turns_private_is_retried_later_not_lost(
    receiver, public_receiver, network, dns, production, publish, caplog
):
    production.WEBHOOKS_ALLOW_HTTP = True
    port = receiver.server.server_port
    dns["hooks.kestrel.example"] = [["127.0.0.1"], [PUBLIC]]  # a bad DNS change, fixed later
    endpoint_at(f"http://hooks.kestrel.example:{port}/hooks")

    with caplog.at_level(logging.WARNING, logger="newsroom.webhooks"):
        publish(approved_article())

    delivery = WebhookDelivery.objects.get()
    reason = f"hooks.kestrel.example resolves to 127.0.0.1, a loopback address; {PUBLIC_ONLY}"
    assert delivery.attempt_log.get().error == f"Not sent: {reason}"
    assert reason in caplog.text
    assert (delivery.state, delivery.attempts) == (State.PENDING, 1)
    assert delivery.next_attempt_at > timezone.now()
    assert network.connections == []
    assert receiver.requests == []

    with time_machine.travel(delivery.next_attempt_at + dt.timedelta(seconds=1), tick=False):
        call_command("deliver_webhooks", stdout=io.StringIO())
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (State.SUCCEEDED, 2)
    assert len(public_receiver.requests) == 1
    assert receiver.requests == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        # The API's and the admin's URL field refuse these spellings before we see them;
        # one stored another way is still never sent (glibc reads them as 127.0.0.1).
        ("https://2130706433/hooks", "Write an IP address as four decimal numbers"),
        ("https://0x7f.1/hooks", "Write an IP address as four decimal numbers"),
        ("https://0177.0.0.1/hooks", "Write an IP address as four decimal numbers"),
        ("https://127.1/hooks", "Write an IP address as four decimal numbers"),
        ("https://a.example\\@127.0.0.1/hooks", "Enter a valid URL."),
        *REFUSED[:3],
    ],
)
def test_a_stored_endpoint_on_our_own_network_is_never_called(
    url, reason, network, production, publish
):
    endpoint_at(url)
    publish(approved_article())
    assert reason in WebhookAttempt.objects.get().error
    assert network.connections == []


# -- HTTPS: the checked address, the partner's certificate -----------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for hooks.kestrel.example, made with openssl."""
    if not (openssl := shutil.which("openssl")):
        pytest.skip("needs the openssl command")
    folder = tmp_path_factory.mktemp("tls")
    arguments = [
        *("req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=hooks.kestrel.example"),
        *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
        *("-addext", "subjectAltName=DNS:hooks.kestrel.example"),
    ]
    subprocess.run(  # noqa: S603 - fixed arguments
        [openssl, *arguments, "-keyout", folder / "key.pem", "-out", folder / "cert.pem"],
        check=True,
        capture_output=True,
    )
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture
def tls_receiver(certificate, monkeypatch):
    """A receiver on 127.0.0.1 speaking HTTPS with that certificate, which webhooks trust."""
    cert, key = certificate
    receiver = Receiver()
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(cert, key)
    receiver.server.socket = server_side.wrap_socket(receiver.server.socket, server_side=True)
    monkeypatch.setattr(transport, "TLS_CONTEXT", ssl.create_default_context(cafile=cert))
    thread = threading.Thread(target=receiver.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def test_https_connects_to_the_checked_address_and_verifies_the_host_name(
    tls_receiver, dns, settings, publish
):
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # the receiver is on 127.0.0.1
    port = tls_receiver.server.server_port
    dns["hooks.kestrel.example"] = ["127.0.0.1"]
    dns["other.kestrel.example"] = ["127.0.0.1"]
    endpoint_at(f"https://hooks.kestrel.example:{port}/hooks")
    endpoint_at(f"https://other.kestrel.example:{port}/hooks")

    publish(approved_article())

    # The certificate names hooks.kestrel.example: valid there, refused for the other name
    # although both connect to the same address.
    assert [headers["Host"] for headers, _ in tls_receiver.requests] == [
        f"hooks.kestrel.example:{port}"
    ]
    attempts = {
        attempt.delivery.endpoint.url: attempt
        for attempt in WebhookAttempt.objects.select_related("delivery__endpoint")
    }
    assert attempts[f"https://hooks.kestrel.example:{port}/hooks"].status_code == 204
    refused = attempts[f"https://other.kestrel.example:{port}/hooks"]
    assert refused.status_code is None
    assert "certificate is not valid for 'other.kestrel.example'" in refused.error
