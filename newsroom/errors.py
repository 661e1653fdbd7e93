"""Error reports to Sentry (or a Sentry-compatible service such as GlitchTip).

Called from the settings only when ``SENTRY_DSN`` is set, so without it sentry_sdk is
never imported. Reports carry no personal data (no cookies, no user details, no
request bodies); ``request_id`` ties a report to its log lines.
"""

from __future__ import annotations


def init_sentry(dsn: str, *, environment: str, traces_sample_rate: float = 0.0) -> None:
    import sentry_sdk  # only when a DSN is configured
    from sentry_sdk.integrations.django import DjangoIntegration

    from newsroom import logs

    def tag_request_id(event, hint):
        if (request_id := logs.current_request_id()) != "-":
            event.setdefault("tags", {})["request_id"] = request_id
        return event

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        max_request_body_size="never",
        before_send=tag_request_id,
    )
