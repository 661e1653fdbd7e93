"""Hold a session that still owes its second factor: in the admin, every page but the
second-factor pages and sign-out sends it to verify (or to enrol, if it has no device
yet); anywhere else (the API's session sign-in, staff previews on the site) the session
counts as signed out. API keys and preview links never carry a session, so they are not
affected."""

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from newsroom.mfa import factors

ADMIN_PREFIX = "/admin/"
# Admin views a session owing its second factor may open.
OPEN_VIEWS = {"mfa_verify", "mfa_enrol", "logout", "jsi18n"}


class SecondFactorMiddleware:
    """Below django-otp's OTPMiddleware, which tells whether the session has verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if factors.must_verify(request):
            if not request.path_info.startswith(ADMIN_PREFIX):
                request.user = AnonymousUser()
                request.auser = _anonymous
            elif _view_name(request) not in OPEN_VIEWS:
                return _send_to_second_factor(request)
        return self.get_response(request)


async def _anonymous():
    return AnonymousUser()


def _view_name(request) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


def _send_to_second_factor(request):
    if factors.app_device(request.user) is not None:
        view = "admin:mfa_verify"
    elif factors.is_required(request.user):
        view = "admin:mfa_enrol"
    else:
        # Enrolled when this session signed in, since reset: nothing to verify any more.
        request.session[factors.ENROLLED_SESSION_KEY] = False
        return redirect(request.get_full_path())
    # Where to go once verified: the page asked for (the sign-in page's own ?next=).
    target = request.GET.get("next") if _view_name(request) == "login" else None
    target = target or request.get_full_path()
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ADMIN_PREFIX
    response = redirect(view)
    response["Location"] += "?" + urlencode({"next": target})
    return response
