"""Production settings for the benchmark's gunicorn: the app's own, plus a floor URL.

``bench.site`` sets the environment (DJANGO_ENV=production, a throwaway SECRET_KEY, the
bench database and Redis db). Two knobs of its own: ``BENCH_CACHE_PREFIX`` keeps the
cache-on and cache-off servers' entries apart in the one Redis db, and
``BENCH_STATEMENT_TIMEOUT`` (ms) bounds queries so a run never leaves one behind.
"""

import os

from newsroom.settings import *  # noqa: F403
from newsroom.settings import CACHES, DATABASES

ROOT_URLCONF = "bench.urls"

CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "bench")

_timeout = os.environ.get("BENCH_STATEMENT_TIMEOUT")
_options = DATABASES["default"].setdefault("OPTIONS", {})
if _timeout and "statement_timeout" not in _options.get("options", ""):
    _options["options"] = f"{_options.get('options', '')} -c statement_timeout={_timeout}".strip()
