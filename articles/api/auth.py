"""Who is calling: API keys (hashed, revocable at once) or a signed-in staff session."""

import datetime as dt

from django.utils import timezone
from rest_framework import authentication, exceptions, permissions
from rest_framework_api_key.crypto import KeyGenerator

from articles.models import PartnerKey

LAST_USED_GRAIN = dt.timedelta(minutes=1)


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Api-Key <key>``. ``request.auth`` is the PartnerKey; ``request.user``
    is the editor behind an editor's key, else anonymous."""

    keyword = "Api-Key"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace")
        if not header.startswith(f"{self.keyword} "):
            return None
        raw = header[len(self.keyword) + 1 :].strip()
        prefix, _, _ = raw.partition(".")
        key = (
            PartnerKey.objects.select_related("agent", "user")
            .filter(prefix=prefix, revoked=False)
            .first()
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
        from django.contrib.auth.models import AnonymousUser

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
