"""Who is calling: API keys (hashed, revocable at once) or a signed-in staff session."""

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework import authentication, exceptions, permissions
from rest_framework_api_key.crypto import KeyGenerator

from articles.api.throttling import KeyFailureLimit
from articles.models import PartnerKey

LAST_USED_GRAIN = dt.timedelta(minutes=1)


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Api-Key <key>``. ``request.auth`` is the PartnerKey; ``request.user``
    is the editor behind an editor's key, else anonymous.

    Every failed attempt (an unknown, wrong, revoked or expired key, a malformed
    ``Api-Key`` header, a key in ``X-Api-Key``, which is not read) counts against the
    caller's address; past API_KEY_FAILURES, keys from there get 429s (KeyFailureLimit).
    """

    keyword = "Api-Key"

    def authenticate(self, request):
        scheme, _, raw = (
            authentication.get_authorization_header(request).decode(errors="replace").partition(" ")
        )
        misplaced = "x-api-key" in request.headers
        if scheme.lower() != self.keyword.lower() and not misplaced:
            return None  # no key: anonymous, or another scheme (a session, say)
        failures = KeyFailureLimit(request)
        # Before the database is asked anything: a locked-out address learns nothing.
        failures.check()
        try:
            return self._verify(raw.strip(), misplaced=misplaced)
        except exceptions.AuthenticationFailed:
            failures.failed()
            raise

    def _verify(self, raw: str, *, misplaced: bool):
        if misplaced:
            raise exceptions.AuthenticationFailed(
                "Send the key as “Authorization: Api-Key <key>”; X-Api-Key is not read."
            )
        prefix, dot, secret = raw.partition(".")
        key = (
            PartnerKey.objects.select_related("agent", "user")
            .filter(prefix=prefix, revoked=False)
            .first()
            if prefix and dot and secret
            else None
        )
        if key is None or not KeyGenerator().verify(raw, key.hashed_key):
            raise exceptions.AuthenticationFailed("This API key is not valid or was revoked.")
        if key.has_expired:
            raise exceptions.AuthenticationFailed("This API key has expired.")
        if key.user_id and not key.user.is_active:
            raise exceptions.AuthenticationFailed("The account behind this key is disabled.")
        now = timezone.now()
        # "Last used" to the minute is all the admin shows: one write a minute per key,
        # not one per read.
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_GRAIN:
            PartnerKey.objects.filter(pk=key.pk).update(last_used_at=now)
        return (key.user if key.user_id else AnonymousUser(), key)

    def authenticate_header(self, request):
        return self.keyword


def key_of(request) -> PartnerKey | None:
    return request.auth if isinstance(request.auth, PartnerKey) else None


class CanDraft(permissions.BasePermission):
    message = "This key may not file or edit drafts (it lacks the draft scope)."

    def has_permission(self, request, view):
        key = key_of(request)
        if key is not None:
            return key.can_draft
        return bool(request.user and request.user.is_staff)


class CanTransition(permissions.BasePermission):
    message = "This key may not take workflow steps."

    def has_permission(self, request, view):
        key = key_of(request)
        if key is not None:
            # An agent's drafting key may submit its own drafts; only editors' keys do more.
            return key.can_transition or key.can_draft
        return bool(request.user and request.user.is_staff)
