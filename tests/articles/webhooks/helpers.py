"""Shared by the webhook tests: a partner's endpoint on 127.0.0.1, endpoints registered
for it, and articles ready to publish."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from articles.models import Article, WebhookDelivery, WebhookEndpoint
from articles.webhooks import signing
from tests.factories import ArticleFactory, AuthorFactory, make_publishable

Event = WebhookEndpoint.Event
State = WebhookDelivery.State
ALL_EVENTS = list(Event.values)


class Receiver:
    """A partner's webhook endpoint on 127.0.0.1: records every POST and answers 204,
    or the statuses queued with ``fail_first``; ``delay`` slows every answer down."""

    def __init__(self):
        self.requests: list[tuple[object, bytes]] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.requests.append((self.headers, body))
                    status = receiver.statuses.pop(0) if receiver.statuses else 204
                time.sleep(receiver.delay)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/newsroom"

    def __enter__(self) -> "Receiver":
        """Serve requests in a thread until the ``with`` block ends."""
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_first(self, n: int, status: int = 500) -> None:
        self.statuses = [status] * n

    @property
    def payloads(self) -> list[dict]:
        return [json.loads(body) for _, body in self.requests]

    @property
    def events(self) -> list[str]:
        return [headers["Newsroom-Event"] for headers, _ in self.requests]


def endpoint_at(url: str, events=None, **fields) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        partner=fields.pop("partner", "Kestrel News"),
        url=url,
        events=ALL_EVENTS if events is None else events,
        secret=signing.new_secret(),
        **fields,
    )


def approved_article(**fields) -> Article:
    article = make_publishable(ArticleFactory(**fields), author=AuthorFactory(name="Ada Byline"))
    Article.objects.filter(pk=article.pk).update(status=Article.Status.APPROVED)
    article.refresh_from_db()
    return article
