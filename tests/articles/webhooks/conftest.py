"""Fixtures shared by the webhook tests: a running receiver, an endpoint registered for
it, and publishing with the on-commit callbacks (and so the webhooks) run."""

import pytest

from articles.models import Article
from articles.publishing import workflow
from tests.articles.webhooks.helpers import endpoint_at


@pytest.fixture
def endpoint(receiver):
    return endpoint_at(receiver.url)


@pytest.fixture
def publish(editor, django_capture_on_commit_callbacks):
    def publish(article: Article, by=None) -> Article:
        with django_capture_on_commit_callbacks(execute=True):
            return workflow.publish(article, by=by or editor)

    return publish
