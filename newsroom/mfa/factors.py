"""Who must verify a second factor, and the factors themselves.

A session counts as verified when django-otp's ``OTPMiddleware`` finds the device it
was verified with (``request.user.is_verified()``). Until then, a session must verify
if its user may publish and ``MFA_REQUIRED`` is on, or if its user enrolled a device
(enrolling is meaningful even where it is optional). Whether the user had a device is
read once, at sign-in, and kept in the session, so a request of a user without one
costs no query.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

logger = logging.getLogger(__name__)

# Set at sign-in (and on enrolment): this session's user has a confirmed device.
ENROLLED_SESSION_KEY = "mfa_enrolled"
BACKUP_CODE_COUNT = 10
APP_NAME = "Authenticator app"
BACKUP_NAME = "Backup codes"


class Throttled(Exception):
    """Too many wrong codes: the next try is allowed at ``until``."""

    def __init__(self, until: dt.datetime):
        super().__init__(f"Too many wrong codes; try again after {until:%H:%M:%S} UTC.")
        self.until = until


def can_publish(user) -> bool:
    """Publishing rights, directly, through a group or as a superuser."""
    return user.is_superuser or user.has_perm("articles.publish_article")


def is_required(user) -> bool:
    """Must this user have a second factor at all (``MFA_REQUIRED`` and may publish)?"""
    return settings.MFA_REQUIRED and user.is_staff and can_publish(user)


def must_verify(request) -> bool:
    """Is this signed-in session still waiting for its second factor?"""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    return bool(request.session.get(ENROLLED_SESSION_KEY)) or is_required(user)


@receiver(user_logged_in, dispatch_uid="newsroom.mfa.remember_enrolment")
def remember_enrolment(sender, request, user, **kwargs):
    # Session state, as django-otp's own receiver keeps: one query per sign-in, not per
    # request (the admin's query budgets stay as they are for users without a device).
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED_SESSION_KEY] = user_has_device(user)


def app_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def backup_device(user) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_app_device(user) -> TOTPDevice:
    """The authenticator being set up: the same secret until it is confirmed."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


# Backup codes are stored hashed, like API keys: a copy of the database must not hold
# ten ways into each editor's account. django-otp keeps a token as plain text in 16
# characters and looks it up by equality, so what it keeps is the first 16 hex digits
# of the code's SHA-256 (64 bits). The codes themselves carry 80 random bits (16
# base32 characters), so nobody can find a code from its hash, offline or not.
BACKUP_CODE_LENGTH = 16


def stored_form(code: str) -> str:
    """What is kept of backup code ``code`` (and looked up when it is typed)."""
    return hashlib.sha256(normalise(code).encode()).hexdigest()[:16]


def random_backup_code() -> str:
    """16 base32 characters (80 bits), shown in groups of four."""
    while True:
        raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()
        if not raw.isdigit():  # a code of digits only would be taken for the app's
            return "-".join(raw[i : i + 4] for i in range(0, BACKUP_CODE_LENGTH, 4))


def _verify(device: Device, code: str) -> bool:
    # django-otp's throttle: after n wrong codes the device refuses every code (the
    # right one too) for 2**(n-1) seconds; the count is in the row, not the session.
    allowed, details = device.verify_is_allowed()
    if not allowed:
        raise Throttled(details["locked_until"])
    return device.verify_token(code)


def verify(request, code: str) -> Device | None:
    """Check ``code`` (the app's six digits, or an unused backup code, which is then used
    up) and mark the session verified; None if wrong. Raises Throttled."""
    code = normalise(code)
    user = request.user
    with transaction.atomic():
        if code.isdigit():
            devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
        else:
            devices = StaticDevice.objects.devices_for_user(user, confirmed=True)
        device = devices.select_for_update().first()
        if device is not None and isinstance(device, StaticDevice):
            code = stored_form(code)
        if device is None or not _verify(device, code):
            return None
    _mark_verified(request, device)
    return device


def confirm_app(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Finish enrolment with the app's first code: the device counts from now on, the
    session is verified, and a fresh set of backup codes is returned (None if wrong)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not _verify(device, normalise(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_backup_codes(request.user)
    _mark_verified(request, device)
    return codes


def _mark_verified(request, device: Device) -> None:
    # A new session id for the more trusted session, as at sign-in (no fixation).
    request.session.cycle_key()
    otp_login(request, device)
    request.session[ENROLLED_SESSION_KEY] = True


def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes with BACKUP_CODE_COUNT new ones; shown only once."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": BACKUP_NAME, "confirmed": True}
        )
        device.token_set.all().delete()
        codes = [random_backup_code() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=stored_form(c)) for c in codes
        )
    return codes


def reset(user, *, by=None) -> int:
    """Delete every device of ``user`` (a lost phone) and note it in the user's admin
    history; their verified sessions lapse with the devices. Returns how many went."""
    with transaction.atomic():
        removed = sum(
            model.objects.filter(user=user, confirmed=True).count()
            for model in (TOTPDevice, StaticDevice)
        )
        for model in (TOTPDevice, StaticDevice):
            model.objects.filter(user=user).delete()
        if removed:
            who = f" by {by.get_username()}" if by is not None else ""
            LogEntry.objects.log_actions(
                (by or user).pk,
                [user],
                CHANGE,
                f"Second factor reset{who} (manage.py reset_mfa): {removed} device(s) removed.",
                single_object=True,
            )
    logger.warning("second factor reset", extra={"user": user.get_username(), "removed": removed})
    return removed
