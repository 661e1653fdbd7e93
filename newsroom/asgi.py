"""ASGI entry point (an ASGI server such as uvicorn: ``newsroom.asgi:application``)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django_application = get_asgi_application()

from newsroom.middleware import MAX_HEADER_LENGTH, readable_content_type  # noqa: E402


class CharsetGuard:
    """ASGI, around Django's handler: what ``newsroom.middleware.CharsetGuard`` does for
    WSGI. A ``Content-Type`` whose charset Django cannot read with (``charset=rot13``),
    or one longer than Django parses, would fail as Django builds the request, outside
    every middleware and error handler; it is made readable first."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            scope = {
                **scope,
                "headers": [_readable(name, value) for name, value in scope["headers"]],
            }
        return await self.application(scope, receive, send)


def _readable(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    if name.lower() != b"content-type":
        return name, value
    text = value.decode("latin-1")
    if "charset" in text.lower() or len(text) > MAX_HEADER_LENGTH:
        return name, readable_content_type(text).encode("latin-1")
    return name, value


application = CharsetGuard(django_application)
