"""Admin sign-in lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
username from one address, even the right password is refused with the lockout page
until the cool-off has passed; other addresses and other usernames are not affected,
and the attempts are listed in the admin."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"
ATTACKER = "203.0.113.66"
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def editor_account(db):
    return UserFactory(username="maria", is_staff=True, password=PASSWORD)


def sign_in(client, password: str, *, username: str = "maria", address: str = ATTACKER, **meta):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **meta,
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def assert_locked_out(response):
    assert response.status_code == 429
    assert "admin/locked_out.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "<h1>Sign-in paused</h1>" in page
    assert "Too many failed sign-ins" in page
    assert 'name="password"' not in page  # no form to keep guessing with


def test_thirty_wrong_passwords_then_the_right_one_is_still_refused(client, editor_account):
    for _ in range(30):
        response = sign_in(client, "wrong")
        assert not signed_in(response)

    response = sign_in(client, PASSWORD)

    assert_locked_out(response)
    assert client.get("/admin/").status_code == 302  # not signed in


def test_the_lock_starts_at_the_failure_limit(client, editor_account):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200  # the form, with its error
    assert_locked_out(sign_in(client, "wrong"))


def test_after_the_cool_off_the_right_password_works(client, editor_account):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")
    assert_locked_out(sign_in(client, PASSWORD))

    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + MINUTE):
        assert signed_in(sign_in(client, PASSWORD))


def test_a_try_during_the_lockout_starts_the_wait_again(client, editor_account):
    start = timezone.now()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")

    with time_machine.travel(start + settings.AXES_COOLOFF_TIME - MINUTE):
        assert_locked_out(sign_in(client, PASSWORD))
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + MINUTE):
        assert_locked_out(sign_in(client, PASSWORD))


def test_the_lockout_page_says_what_happened_and_when_to_retry(client, editor_account):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "wrong")

    page = response.content.decode()
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert '<html lang="en' in page
    assert "<title>Sign-in paused" in page
    assert f"Try again in {minutes} minutes" in page
    assert "maria" in page


def test_other_addresses_and_other_accounts_can_still_sign_in(client, editor_account):
    UserFactory(username="sam", is_staff=True, password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")

    assert signed_in(sign_in(client, PASSWORD, address="198.51.100.10"))
    client.logout()
    assert signed_in(sign_in(client, PASSWORD, username="sam"))


def test_a_success_resets_the_count(client, editor_account):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert signed_in(sign_in(client, PASSWORD))
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert signed_in(sign_in(client, PASSWORD))


def test_a_made_up_forwarded_for_does_not_escape_the_lockout(client, editor_account):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert_locked_out(sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200"))


def test_behind_one_proxy_the_lockout_follows_the_client_not_the_proxy(
    client, editor_account, settings
):
    settings.NUM_PROXIES = 1
    proxy = {"address": "10.0.0.5"}
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER}", **proxy)

    assert_locked_out(sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR=ATTACKER, **proxy))
    # The editor, elsewhere but behind the same proxy, still gets in.
    assert signed_in(sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.10", **proxy))


def test_attempts_and_lockouts_are_listed_in_the_admin(client, editor_account, superuser):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")

    client.force_login(superuser)
    page = client.get("/admin/axes/accessattempt/")
    assert page.status_code == 200
    assert "maria" in page.content.decode()
    assert ATTACKER in page.content.decode()


def test_test_client_login_still_works(client, editor_account):
    # Fixtures and tests sign in with Client.login(), which passes no request.
    assert client.login(username="maria", password=PASSWORD)


def test_a_fresh_ipv6_address_from_the_same_network_is_still_locked_out(client, editor_account):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", address=f"2001:db8:66:1::{n + 1:x}")

    assert_locked_out(sign_in(client, PASSWORD, address="2001:db8:66:1:dead:beef:0:1"))
    assert signed_in(sign_in(client, PASSWORD, address="2001:db8:66:2::1"))  # another network
