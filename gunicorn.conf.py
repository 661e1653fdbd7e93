"""gunicorn's settings for Newsroom (read from the working directory by default, so
`gunicorn newsroom.wsgi` in the project root uses them; command-line flags win).

Timeouts: a worker busy for `timeout` seconds is killed and replaced; public
requests' database statements are cancelled well before that (PUBLIC_STATEMENT_TIMEOUT,
5 s by default), so a slow query never outlives its request.
"""

import os
import sys
from pathlib import Path

# Importable however gunicorn was started (the image sets PYTHONPATH=/app as well).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from newsroom import logs

# No `bind`: gunicorn's default is 127.0.0.1:8000; the image binds 0.0.0.0:8000.
# Sync workers: one request each. About two a core is a good start; a database and
# a cache round-trip per request leave the CPU idle part of the time.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
timeout = 30
# On SIGTERM (deploys, `docker compose stop`): finish requests in flight first.
graceful_timeout = 25
keepalive = 5
# Replace each worker after this many requests (± jitter so they don't all restart
# at once), which bounds any slow memory growth. 0 switches it off (benchmarks).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
# The proxy in front (Varnish, a load balancer) sets X-Forwarded-For/-Proto; trust only
# it. "*" is right when nothing else can reach the port (compose's own network).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access and error logs on stdout/stderr, JSON in production, each access line with
# the request id the app sent back in X-Request-ID (and logged with its own lines).
_json = (
    os.environ.get(
        "LOG_FORMAT", "json" if os.environ.get("DJANGO_ENV") == "production" else "plain"
    )
    == "json"
)
accesslog = "-"
errorlog = "-"
access_log_format = '"%(r)s" %(s)s' if _json else logs.ACCESS_FORMAT
logconfig_dict = logs.gunicorn_config(json=_json)
