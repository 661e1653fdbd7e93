"""WSGI entry point (gunicorn newsroom.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django_application = get_wsgi_application()

from newsroom.middleware import CharsetGuard  # noqa: E402 -- after Django is set up

# A request declaring a charset Django cannot decode with is read as UTF-8 instead of
# failing before any middleware runs (see CharsetGuard).
application = CharsetGuard(django_application)
