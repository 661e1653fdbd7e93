"""Log lines that can be followed per request: plain in development, JSON in production.

Every line carries ``request_id``: the id ``RequestContextMiddleware`` gives each
request (or takes from the proxy's ``X-Request-ID``), also sent back in the response
header, so gunicorn's access log line and every line the app wrote while answering
share it. Outside a request it is ``-``.

Used by ``newsroom/settings.py`` (Django's LOGGING) and ``gunicorn.conf.py`` (the
access and error logs), so nothing here may import Django settings.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from contextvars import ContextVar

from django.core.signals import request_finished
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

_request_id: ContextVar[str] = ContextVar("newsroom_request_id", default="-")

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = ["asctime", "levelname", "name", "request_id", "message"]
# gunicorn's access log, plain: its default line plus the duration and the request id
# (the X-Request-ID response header the middleware sets).
ACCESS_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms %({x-request-id}o)s'


def start_request(request_id: str) -> None:
    """Tag every log line from here to the end of the request with ``request_id``.

    Not reset when the middleware returns: Django logs a 404 or 500 after that, and
    gunicorn its access line; ``request_finished`` (the response closed) resets it."""
    _request_id.set(request_id)


def end_request(**kwargs) -> None:
    _request_id.set("-")


request_finished.connect(end_request, dispatch_uid="newsroom.logs.end_request")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (gunicorn's access lines: from the response)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            atoms = record.args if isinstance(record.args, Mapping) else {}
            from_response = atoms.get("{x-request-id}o", "-") if atoms else "-"
            record.request_id = _request_id.get() if from_response == "-" else from_response
        return True


class JsonFormatter(BaseJsonFormatter):
    """One JSON object a line; gunicorn's access lines also get their fields one by one."""

    def add_fields(self, log_record, record, message_dict) -> None:
        super().add_fields(log_record, record, message_dict)
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            atoms = record.args
            log_record.update(
                {
                    "method": atoms["m"],
                    "path": atoms["U"],
                    "query": atoms["q"],
                    "status": int(atoms["s"]) if str(atoms["s"]).isdigit() else atoms["s"],
                    "bytes": atoms["B"],
                    "duration_ms": atoms["M"],
                    "remote_addr": atoms["h"],
                    "user_agent": atoms["a"],
                    "referer": atoms["f"],
                }
            )


def formatters() -> dict:
    return {
        "plain": {"format": PLAIN_FORMAT},
        "json": {"()": JsonFormatter, "fmt": JSON_FIELDS},
    }


def django_config(*, json: bool, level: str = "INFO") -> dict:
    """Django's LOGGING: everything to stderr, one format, every line with its request id."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": formatters(),
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json else "plain",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            "newsroom": {"handlers": ["console"], "level": level, "propagate": False},
        },
    }


def gunicorn_config(*, json: bool) -> dict:
    """gunicorn's ``logconfig_dict``: its access and error logs in the app's format."""
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "json" if json else "plain",
        "filters": ["request_id"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": formatters(),
        "handlers": {
            "access": {**handler, "stream": "ext://sys.stdout"},
            "error": {**handler, "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
            "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        },
        "root": {"handlers": ["error"], "level": "WARNING"},
    }
