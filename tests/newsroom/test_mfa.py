"""The admin's second factor (django-otp): with MFA_REQUIRED, staff who may publish set up
an authenticator app after their password and then enter its code (or a backup code,
once) before any admin page opens; wrong codes are throttled; those who cannot publish
are not forced; where MFA is optional an enrolled account is still asked; an
administrator resets a lost phone with ``manage.py reset_mfa``."""

import datetime as dt
import re
import secrets

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.mfa.factors import normalise, stored_form
from tests.factories import ArticleFactory
from tests.newsroom.test_settings import read_settings

# A backup code as the page shows it: 16 base32 characters in groups of four.
CODE_ITEM = r"<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code></li>"

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's
ADMIN = "/admin/"
CHANGELIST = "/admin/articles/article/"
VERIFY = "/admin/second-factor/verify/"
ENROL = "/admin/second-factor/enrol/"
MANAGE = "/admin/second-factor/"
START = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    """Frozen time, moved on by hand: each TOTP code is valid for one 30 s step."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED = True


def sign_in(client, user, next_url: str = ADMIN):
    return client.post(
        "/admin/login/", {"username": user.username, "password": PASSWORD, "next": next_url}
    )


def app_code(user, *, confirmed: bool = True) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=confirmed)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def enrol(client, user) -> list[str]:
    """Set up ``user``'s app in ``client``'s session; returns the backup codes shown."""
    assert client.get(ENROL).status_code == 200
    response = client.post(ENROL, {"code": app_code(user, confirmed=False)})
    assert response.status_code == 200
    return re.findall(CODE_ITEM, response.content.decode())


def enrolled(client, user, clock) -> list[str]:
    """``user`` signed in once and set up the app; ``client`` is signed out again."""
    client.force_login(user)
    codes = enrol(client, user)
    client.logout()
    clock.shift(dt.timedelta(seconds=60))  # a new step: the next code is a new one
    return codes


def test_a_publisher_signs_in_to_the_enrolment_page_and_no_admin_page_opens(
    client, editor, required
):
    response = sign_in(client, editor)
    assert response.status_code == 302

    page = client.get(response["Location"], follow=True)

    assert page.redirect_chain[-1][0] == f"{ENROL}?next=%2Fadmin%2F"
    html = page.content.decode()
    assert "Set up your second factor" in html
    assert "<svg" in html and "QR code for your authenticator app" in html  # drawn here
    assert re.search(r'<code id="mfa-secret">([A-Z2-7]{4} ?){8}</code>', html)
    for url in (ADMIN, CHANGELIST, MANAGE, reverse("admin:password_change")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(ENROL), url


def test_enrolling_with_the_apps_code_shows_backup_codes_and_opens_the_admin(
    client, editor, required, clock
):
    sign_in(client, editor)

    codes = enrol(client, editor)

    assert len(codes) == len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=editor).confirmed
    changelist = client.get(CHANGELIST)
    assert changelist.status_code == 200
    # Every admin page links to where one manages one's second factor.
    assert f'<a href="{MANAGE}">Second factor</a>' in changelist.content.decode()
    manage = client.get(MANAGE).content.decode()
    assert "Your authenticator app is set up" in manage
    assert "10 backup codes left" in manage
    assert not any(code in manage for code in codes)  # shown only once


def test_a_wrong_code_at_enrolment_is_refused_with_a_message(client, editor, required, clock):
    sign_in(client, editor)
    client.get(ENROL)

    response = client.post(ENROL, {"code": "000000"})

    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.get(user=editor).confirmed
    assert client.get(ADMIN)["Location"].startswith(ENROL)


def test_the_next_sign_in_asks_for_the_code_before_the_admin_opens(client, editor, required, clock):
    enrolled(client, editor, clock)

    response = sign_in(client, editor, next_url=CHANGELIST)
    response = client.get(response["Location"])

    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Farticles%2Farticle%2F"
    assert client.get(CHANGELIST)["Location"].startswith(VERIFY)
    # With a device, the enrolment page cannot add another phone.
    assert client.get(ENROL)["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=editor).count() == 1

    password_only = client.cookies["sessionid"].value
    response = client.post(VERIFY, {"code": app_code(editor), "next": CHANGELIST})

    assert response.status_code == 302 and response["Location"] == CHANGELIST
    assert client.cookies["sessionid"].value != password_only  # a new session id
    assert client.get(CHANGELIST).status_code == 200


def test_a_session_owing_its_code_may_sign_out(client, editor, required):
    sign_in(client, editor)

    assert client.post("/admin/logout/").status_code == 200
    assert client.get(ENROL)["Location"].startswith("/admin/login/")


def test_a_wrong_code_is_refused_with_a_form_error(client, editor, required, clock):
    enrolled(client, editor, clock)
    sign_in(client, editor)

    response = client.post(VERIFY, {"code": "123456"})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get(ADMIN)["Location"].startswith(VERIFY)


def test_a_backup_code_works_once(client, editor, required, clock):
    codes = enrolled(client, editor, clock)

    sign_in(client, editor)
    assert client.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert client.get(ADMIN).status_code == 200
    client.logout()
    clock.shift(dt.timedelta(minutes=5))

    sign_in(client, editor)
    response = client.post(VERIFY, {"code": codes[0]})

    assert "That code is not right" in response.content.decode()
    assert StaticToken.objects.filter(device__user=editor).count() == 9


@pytest.mark.parametrize("kind", ["app code", "backup code"])
def test_guessing_is_stopped_even_for_the_right_code(client, editor, required, clock, kind):
    backup_codes = enrolled(client, editor, clock)
    right = app_code(editor) if kind == "app code" else backup_codes[0]
    wrong = f"{(int(right) + 1) % 10**6:06d}" if kind == "app code" else "zzzzzzzz"
    sign_in(client, editor)

    answers = []
    for _ in range(20):  # a guess a second
        answers.append(client.post(VERIFY, {"code": wrong}).status_code)
        clock.shift(dt.timedelta(seconds=1))

    # Each wrong code doubles the wait (1, 2, 4, 8 s): in 20 s only 5 were even checked.
    assert answers.count(200) == 5 and answers.count(429) == 15
    # Now the right code is refused too, in a fresh session as well, until the wait is over.
    client.logout()
    sign_in(client, editor)
    response = client.post(VERIFY, {"code": right})
    assert response.status_code == 429
    assert "Too many wrong codes" in response.content.decode()
    assert client.get(ADMIN)["Location"].startswith(VERIFY)

    clock.shift(dt.timedelta(seconds=16))
    if kind == "app code":
        right = app_code(editor)
    assert client.post(VERIFY, {"code": right}).status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_a_superuser_is_held_too(client, superuser, required):
    sign_in(client, superuser)

    assert client.get(ADMIN)["Location"].startswith(ENROL)


def test_a_reporter_who_cannot_publish_is_not_forced_but_may_enrol(
    client, reporter, required, clock
):
    sign_in(client, reporter)
    assert client.get(ADMIN).status_code == 200
    assert "You have no second factor yet." in client.get(MANAGE).content.decode()

    assert len(enrol(client, reporter)) == 10
    client.logout()
    clock.shift(dt.timedelta(minutes=1))

    sign_in(client, reporter)
    assert client.get(ADMIN)["Location"].startswith(VERIFY)  # enrolled: now asked


def test_with_mfa_optional_a_publisher_without_a_device_passes(client, editor, settings):
    settings.MFA_REQUIRED = False

    sign_in(client, editor)

    assert client.get(CHANGELIST).status_code == 200


def test_with_mfa_optional_an_enrolled_publisher_is_still_asked(client, editor, clock, settings):
    settings.MFA_REQUIRED = False
    enrolled(client, editor, clock)

    sign_in(client, editor)

    assert client.get(CHANGELIST)["Location"].startswith(VERIFY)
    assert client.post(VERIFY, {"code": app_code(editor)}).status_code == 302
    assert client.get(CHANGELIST).status_code == 200


def test_a_session_owing_its_code_is_signed_out_outside_the_admin(client, editor, required, clock):
    draft = ArticleFactory(headline="Budget leak, not yet checked")
    enrolled(client, editor, clock)
    sign_in(client, editor)

    # The API with the session sees what anyone sees; a staff preview asks to sign in.
    assert draft.headline not in client.get("/api/v1/articles/").content.decode()
    preview = reverse("articles:staff_preview", args=[draft.pk])
    assert client.get(preview)["Location"].startswith("/admin/login/")

    client.post(VERIFY, {"code": app_code(editor)})

    assert draft.headline in client.get("/api/v1/articles/").content.decode()
    assert client.get(preview).status_code == 200


def test_api_keys_need_no_second_factor(key_client, editor_key, required):
    response = key_client(editor_key).get("/api/v1/articles/")

    assert response.status_code == 200


def test_the_second_factor_pages_run_under_the_admin_policy(client, editor, required):
    sign_in(client, editor)

    response = client.get(ENROL)

    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert all("src=" in tag for tag in scripts)  # no inline script at all
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_new_backup_codes_replace_the_old_ones(client, editor, required, clock):
    old = enrolled(client, editor, clock)
    sign_in(client, editor)
    client.post(VERIFY, {"code": app_code(editor)})

    response = client.post(MANAGE)

    new = re.findall(CODE_ITEM, response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    # Kept hashed, as API keys are: no code is in the database, only what it hashes to.
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert stored == {stored_form(code) for code in new}
    assert not stored & {normalise(code) for code in new}


def test_reset_mfa_removes_the_factor_and_notes_it(client, editor, administrator, clock, settings):
    settings.MFA_REQUIRED = True
    enrolled(client, editor, clock)
    sign_in(client, editor)
    client.post(VERIFY, {"code": app_code(editor)})
    assert client.get(ADMIN).status_code == 200

    out = call_command_output("reset_mfa", "editor", "--by", administrator.username)

    assert "Removed editor's second factor (2 device(s)); they must set one up" in out
    assert not TOTPDevice.objects.filter(user=editor).exists()
    entry = LogEntry.objects.get(object_id=str(editor.pk))
    assert entry.user == administrator
    assert "Second factor reset by" in entry.get_change_message()
    # The verified session lapsed with its device: the phone's finder gets nowhere.
    assert client.get(ADMIN)["Location"].startswith(ENROL)


def test_reset_mfa_says_clearly_when_there_is_nothing_to_do(editor):
    assert "editor has no second factor; nothing to reset." in call_command_output(
        "reset_mfa", "editor"
    )
    with pytest.raises(CommandError, match=r"No user “nobody”\. Nothing was changed\."):
        call_command("reset_mfa", "nobody")
    with pytest.raises(CommandError, match=r"No user “ghost” \(--by\)"):
        call_command("reset_mfa", "editor", "--by", "ghost")


def call_command_output(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        pytest.param({}, False, id="development"),
        pytest.param({"DJANGO_ENV": "production"}, True, id="production"),
        pytest.param({"DJANGO_ENV": "production", "MFA_REQUIRED": "false"}, False, id="opt-out"),
        pytest.param({"MFA_REQUIRED": "true"}, True, id="development-opt-in"),
    ],
)
def test_production_requires_the_second_factor(env, expected):
    if env.get("DJANGO_ENV") == "production":
        env = {**env, "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "x.example"}

    assert read_settings("settings.MFA_REQUIRED", **env) is expected


def test_a_publisher_signed_in_any_other_way_is_held_too(client, editor, required):
    client.force_login(editor)

    assert client.get(CHANGELIST)["Location"].startswith(ENROL)
