"""The second factor in Chromium: a publisher signs in, scans (here: reads) the QR code's
secret, confirms with the app's code and keeps the backup codes; the next sign-in asks
for a code. Every page runs under the admin's policy with nothing refused."""

import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} refused ${event.blockedURI}`);
});
"""


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What the app shows now, or in 30 s (the server allows a step of drift)."""
    key = base64.b32decode(secret.replace(" ", ""))
    return f"{TOTP(key, drift=steps_ahead).token():06d}"


def sign_in(page, user):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def violations(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    return page.evaluate("() => window.__violations")


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED = True


def test_a_publisher_enrols_then_signs_in_with_a_code(page, editor, required):
    page.add_init_script(RECORD_VIOLATIONS)
    sign_in(page, editor)

    expect(page.get_by_role("heading", name="Set up your second factor")).to_be_visible()
    expect(page.locator(".mfa-qr svg")).to_be_visible()
    assert violations(page) == []
    secret = page.locator("#mfa-secret").inner_text()
    page.get_by_label("Code").fill(app_code(secret))
    page.get_by_role("button", name="Confirm").click()

    expect(page.locator("#backup-codes li")).to_have_count(10)
    assert violations(page) == []
    page.get_by_role("link", name="I have kept them, continue").click()
    expect(page.locator("#user-tools")).to_contain_text("Log out")

    page.get_by_role("button", name="Log out").click()
    sign_in(page, editor)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert violations(page) == []
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".errornote")).to_contain_text("That code is not right")
    page.wait_for_timeout(1100)  # a wrong code makes the next try wait a second
    # A code is good once: the one that confirmed the app is spent, so the next step's.
    page.get_by_label("Code").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("#user-tools")).to_contain_text("Log out")
    assert violations(page) == []
