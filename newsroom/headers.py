"""Response headers that depend on who asks and for what, set once for every view.

- The partner API (``/api/``, ``PrivateAPIMiddleware``): an answer to a caller with
  credentials (an API key, any ``Authorization``, a session) is that caller's alone,
  ``private, no-store``, whatever gave it: a view, an error, throttling, a 404, the
  schema. Every API answer varies on the headers that carry a key, so no shared cache
  gives one caller's answer to another.
- Content-Security-Policy (``PolicyMiddleware``): Django's
  ``ContentSecurityPolicyMiddleware`` sends ``SECURE_CSP``. It sits above the page cache,
  so a page served from the cache gets a header of its own, never a stored one. Public
  pages load only this site's scripts and styles and need no nonce; one that used a nonce
  anyway is kept by no cache, since a nonce replayed to every reader protects nothing and
  the replayed body would not match the header sent with it. The admin gets ``ADMIN_CSP``
  (the settings say why).
- Uploads in development: ``serve_media`` sends what the media server sends in production.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.csp import get_nonce
from django.utils.cache import patch_vary_headers
from django.views.static import serve

from articles.site.caching import is_anonymous, tag_response

API_PREFIX = "/api/"
ADMIN_PREFIX = "/admin/"
# Where a caller's key may travel (PartnerKeyAuthentication reads Authorization).
CREDENTIAL_HEADERS = ("Authorization", "X-Api-Key")
# Uploads are shown inline only as pictures; anything else is a download.
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"})
# As deploy/nginx/media.conf: an upload never runs script, even opened on its own.
MEDIA_CSP = "default-src 'none'; sandbox"


class PrivateAPIMiddleware:
    """Above every middleware that may answer for the API (its 400s and problems), so
    what it sets is on every answer under ``/api/``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            if not is_anonymous(request):
                tag_response(response, (), public=False)
            patch_vary_headers(response, CREDENTIAL_HEADERS)
        return response


class PolicyMiddleware:
    """Below the page cache (so what it changes is what the caches see) and so below
    ContentSecurityPolicyMiddleware, which reads the policy it chose."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(ADMIN_PREFIX):
            # As csp_override() would set it, for every admin view at once.
            response._csp_config = settings.ADMIN_CSP
        if getattr(response, "public_page", False) and get_nonce(request):
            tag_response(response, (), public=False)
        return response


def serve_media(request, path, document_root=None):
    """``/media/`` in development (``DEBUG`` only; nginx or the bucket serve it in
    production), with the media server's headers: nosniff, no script, pictures inline
    and anything else a download."""
    response = serve(request, path, document_root=document_root)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    content_type = response.get("Content-Type", "").partition(";")[0].strip()
    if response.status_code == 200 and content_type not in IMAGE_TYPES:
        response["Content-Disposition"] = "attachment"
    return response
