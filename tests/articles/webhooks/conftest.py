"""Fixtures shared by the webhook tests: a running receiver, an endpoint registered for
it, and publishing with the on-commit callbacks (and so the webhooks) run."""

import threading

import pytest

from articles.models import Article
from articles.publishing import workflow
from tests.articles.webhooks.helpers import Receiver, endpoint_at


@pytest.fixture
def receiver():
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def endpoint(receiver):
    return endpoint_at(receiver.url)


@pytest.fixture
def publish(editor, django_capture_on_commit_callbacks):
    def publish(article: Article, by=None) -> Article:
        with django_capture_on_commit_callbacks(execute=True):
            return workflow.publish(article, by=by or editor)

    return publish
