"""Guessing API keys: failed key attempts are counted per client address, and past
API_KEY_FAILURES every key from that address is refused (429) until the window ends,
a correct one included, so a guess that hits cannot show itself. Valid keys keep their
own rate limits; other addresses are not affected."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from articles.models import PartnerKey
from tests.articles.api.helpers import ARTICLES
from tests.articles.api.problem_helpers import assert_problem
from tests.factories import PartnerKeyFactory, UserFactory

pytestmark = pytest.mark.django_db

GUESSER = "198.51.100.23"
NEIGHBOUR = "198.51.100.99"


def failure_limit() -> int:
    """N of the shipped API_KEY_FAILURES rate ("20/minute")."""
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["key_failures"]
    return int(rate.split("/")[0])


def get(client, *, key: str | None = None, address: str = GUESSER, **headers):
    if key is not None:
        headers["Authorization"] = f"Api-Key {key}"
    return client.get(ARTICLES, headers=headers, REMOTE_ADDR=address)


def guess(client, partner_key, address: str = GUESSER):
    """A key with the real prefix and a made-up secret: the guesser's best shot."""
    prefix = partner_key.secret.split(".")[0]
    return get(client, key=f"{prefix}.{uuid.uuid4().hex}", address=address)


@pytest.fixture(autouse=True)
def _early_in_a_window():
    """Failures are counted in fixed windows (whole minutes for "N/minute"): start each
    test a few seconds into one, so no window ends halfway through it."""
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 30, 2, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def locked_out(client, partner_key):
    """GUESSER has used up its failed attempts for this window."""
    for _ in range(failure_limit()):
        assert guess(client, partner_key).status_code == 401
    return GUESSER


@pytest.fixture
def low_failure_limit(monkeypatch):
    """Three failed attempts a minute (DRF reads the rates once, into a class attribute)."""
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "key_failures": "3/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


def test_wrong_keys_from_one_address_get_429_after_the_limit(client, partner_key, locked_out):
    refused = guess(client, partner_key)

    problem = assert_problem(refused, 429)
    assert problem["detail"].startswith("Too many failed API key attempts from your address.")
    assert "throttled" in problem["type"]
    assert 0 < int(refused["Retry-After"]) <= 60


def test_another_address_is_unaffected(client, key_client, partner_key, locked_out):
    assert get(client, key=partner_key.secret, address=NEIGHBOUR).status_code == 200
    assert guess(client, partner_key, address=NEIGHBOUR).status_code == 401
    # Readers without a key at the locked address are not refused either.
    assert get(client, address=locked_out).status_code == 200


def test_an_ipv6_guesser_cannot_rotate_through_its_own_64(client, partner_key, low_failure_limit):
    for host in range(1, 4):
        assert guess(client, partner_key, address=f"2001:db8:77:1::{host}").status_code == 401

    assert_problem(guess(client, partner_key, address="2001:db8:77:1:abcd::9"), 429)
    assert guess(client, partner_key, address="2001:db8:77:2::1").status_code == 401


def test_a_correct_key_from_a_locked_address_is_refused_until_the_window_ends(
    client, partner_key, locked_out
):
    refused = get(client, key=partner_key.secret)
    assert_problem(refused, 429)

    later = timezone.now() + dt.timedelta(seconds=int(refused["Retry-After"]) + 1)
    with time_machine.travel(later):
        assert get(client, key=partner_key.secret).status_code == 200
        # A fresh window: the address may fail again before it is locked again.
        assert guess(client, partner_key).status_code == 401


def test_a_refused_attempt_costs_no_database_query(
    client, partner_key, locked_out, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert guess(client, partner_key).status_code == 429


@pytest.mark.parametrize(
    "attempt",
    [
        "unknown key",
        "revoked key",
        "expired key",
        "disabled editor's key",
        "scheme without a key",
        "key without a secret",
        "key in X-Api-Key",
    ],
)
def test_every_kind_of_failed_attempt_counts(client, low_failure_limit, attempt):
    revoked = PartnerKeyFactory()
    PartnerKey.objects.filter(pk=revoked.pk).update(revoked=True)
    expired = PartnerKeyFactory(expiry_date=timezone.now() - dt.timedelta(minutes=1))
    disabled = PartnerKeyFactory(
        partner="", user=UserFactory(is_staff=True, is_active=False), can_draft=True
    )
    headers = {
        "unknown key": {"Authorization": "Api-Key abcdefgh.0123456789abcdef"},
        "revoked key": {"Authorization": f"Api-Key {revoked.secret}"},
        "expired key": {"Authorization": f"Api-Key {expired.secret}"},
        "disabled editor's key": {"Authorization": f"Api-Key {disabled.secret}"},
        "scheme without a key": {"Authorization": "Api-Key"},
        "key without a secret": {"Authorization": "api-key abcdefgh"},
        "key in X-Api-Key": {"X-Api-Key": PartnerKeyFactory().secret},
    }[attempt]

    for _ in range(3):
        assert_problem(get(client, **headers), 401)
    assert_problem(get(client, **headers), 429)


def test_a_key_in_x_api_key_is_told_where_keys_go(client, partner_key):
    problem = assert_problem(get(client, **{"X-Api-Key": partner_key.secret}), 401)
    assert problem["detail"] == (
        "Send the key as “Authorization: Api-Key <key>”; X-Api-Key is not read."
    )


def test_valid_keys_never_count_as_failures(client, partner_key, low_failure_limit):
    for _ in range(10):
        assert get(client, key=partner_key.secret).status_code == 200
    assert guess(client, partner_key).status_code == 401


def test_other_schemes_are_not_key_attempts(client, low_failure_limit):
    # A staging site behind HTTP basic auth sends Authorization with every request.
    for _ in range(5):
        response = get(client, Authorization="Basic dXNlcjpwYXNz")
        assert response.status_code == 200


def test_the_failures_are_counted_in_redis_when_the_cache_is_redis(
    client, partner_key, settings, real_redis
):
    settings.CACHES = real_redis.settings()
    for _ in range(failure_limit()):
        assert guess(client, partner_key).status_code == 401
    assert_problem(guess(client, partner_key), 429)

    raw = real_redis.client
    [stored] = list(raw.scan_iter(f"{real_redis.prefix}:*throttle_key_failures_{GUESSER}_*"))
    assert int(raw.get(stored)) == failure_limit()
    assert 0 < raw.ttl(stored) <= 61
    # Every worker shares the count: the neighbour, counted apart, is still let in.
    assert get(client, key=partner_key.secret, address=NEIGHBOUR).status_code == 200
