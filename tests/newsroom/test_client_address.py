"""The client's address: X-Forwarded-For is believed only for NUM_PROXIES hops (the
proxies we run append to it; anything further left is the client's own say-so), so a
made-up header can neither buy a fresh rate-limit counter nor pin a lockout on someone
else."""

from pathlib import Path

import pytest
import yaml
from django.test import RequestFactory
from rest_framework.throttling import SimpleRateThrottle

from newsroom.clients import client_address, client_key
from tests.articles.api.helpers import ARTICLES
from tests.articles.api.problem_helpers import assert_problem

COMPOSE_FILE = Path(__file__).resolve().parents[2] / "docker-compose.yml"
PROXY = "10.0.0.5"  # the edge cache, as gunicorn sees it


def address(forwarded_for: str | None = None, remote: str = PROXY) -> str:
    meta = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_address(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    ("forwarded_for", "num_proxies", "expected"),
    [
        # Nothing in front (the default): the header is ignored whatever it says.
        (None, 0, PROXY),
        ("203.0.113.7", 0, PROXY),
        ("203.0.113.7, 198.51.100.1", 0, PROXY),
        # One proxy: the hop it appended, never the ones the client wrote before it.
        ("203.0.113.7", 1, "203.0.113.7"),
        ("6.6.6.6, 203.0.113.7", 1, "203.0.113.7"),
        ("6.6.6.6,203.0.113.7", 1, "203.0.113.7"),
        ("1.1.1.1, 6.6.6.6, 203.0.113.7", 1, "203.0.113.7"),
        # Two proxies (TLS, then the edge cache): the second hop from the right.
        ("6.6.6.6, 203.0.113.7, 10.0.0.9", 2, "203.0.113.7"),
        # IPv6, written the way the standard library writes it.
        ("2001:DB8::0001", 1, "2001:db8::1"),
        # Nothing usable: the connection's own address, never a made-up string.
        ("", 1, PROXY),
        ("not-an-address", 1, PROXY),
        ("6.6.6.6, unknown", 1, PROXY),
    ],
)
def test_forwarded_for_is_believed_only_as_far_as_our_proxies(
    settings, forwarded_for, num_proxies, expected
):
    settings.NUM_PROXIES = num_proxies
    assert address(forwarded_for) == expected


def test_by_default_no_proxy_is_trusted(settings):
    assert settings.NUM_PROXIES == 0
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0


def test_the_compose_stack_believes_its_one_proxy():
    web = yaml.safe_load(COMPOSE_FILE.read_text())["services"]["web"]
    assert str(web["environment"]["NUM_PROXIES"]) == "1"


# -- the anonymous rate limit, as an attacker tries it -----------------------------------


@pytest.fixture
def low_rates(monkeypatch):
    """Two anonymous requests a minute (DRF reads the rates once, into a class attribute)."""
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "anonymous": "2/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


def read(client, forwarded_for: str | None = None, remote: str = "127.0.0.1"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.get(ARTICLES, **extra)


@pytest.mark.django_db
def test_a_made_up_forwarded_for_gets_no_fresh_counter_without_proxies(client, low_rates):
    assert read(client).status_code == 200
    assert read(client).status_code == 200
    assert_problem(read(client), 429)

    for made_up in ["203.0.113.1", "203.0.113.2, 198.51.100.3", "garbage"]:
        assert_problem(read(client, made_up), 429)
    # Another real address has its own counter.
    assert read(client, remote="127.0.0.2").status_code == 200


@pytest.mark.django_db
def test_behind_one_proxy_only_the_last_hop_counts(client, low_rates, settings):
    settings.NUM_PROXIES = 1
    # The edge appended the real client, 203.0.113.7; the rest the client wrote itself.
    assert read(client, "203.0.113.7", remote=PROXY).status_code == 200
    assert read(client, "1.1.1.1, 203.0.113.7", remote=PROXY).status_code == 200
    assert_problem(read(client, "203.0.113.7", remote=PROXY), 429)

    assert_problem(read(client, "9.9.9.9, 203.0.113.7", remote=PROXY), 429)
    assert_problem(read(client, "8.8.8.8, 7.7.7.7, 203.0.113.7", remote=PROXY), 429)
    # A different client behind the same proxy is counted apart.
    assert read(client, "203.0.113.8", remote=PROXY).status_code == 200


# -- IPv6: one subscriber's /64 is one client ------------------------------------------

A_HOST = "2001:db8:5:7::1"
SAME_SUBSCRIBER = "2001:db8:5:7:a0f3:11ff:fe00:2"  # another of its 2^64 addresses
NEXT_SUBSCRIBER = "2001:db8:5:8::1"


@pytest.mark.parametrize(
    ("address_seen", "counted_as"),
    [
        (A_HOST, "2001:db8:5:7::"),
        (SAME_SUBSCRIBER, "2001:db8:5:7::"),
        (NEXT_SUBSCRIBER, "2001:db8:5:8::"),
        ("::ffff:203.0.113.7", "203.0.113.7"),  # an IPv4 client on a dual-stack socket
        ("203.0.113.7", "203.0.113.7"),
    ],
)
def test_limits_count_an_ipv6_client_by_its_network(address_seen, counted_as):
    request = RequestFactory().get("/", REMOTE_ADDR=address_seen)
    assert client_key(request) == counted_as
    assert client_address(request) == address_seen  # the logs keep the address itself


@pytest.mark.django_db
def test_a_new_ipv6_address_in_the_same_64_gets_no_fresh_counter(client, low_rates):
    assert read(client, remote=A_HOST).status_code == 200
    assert read(client, remote=SAME_SUBSCRIBER).status_code == 200
    assert_problem(read(client, remote="2001:db8:5:7:ffff:ffff:ffff:ffff"), 429)
    # The next subscriber is counted apart.
    assert read(client, remote=NEXT_SUBSCRIBER).status_code == 200
