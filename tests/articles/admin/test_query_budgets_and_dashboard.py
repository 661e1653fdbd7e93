"""Query budgets of the change page and dashboard, and what the dashboard shows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleEvent
from articles.publishing import revisions
from tests.articles.admin.helpers import change_url, ready, set_status
from tests.factories import ArticleFactory, AttributionFactory, ClaimFactory

pytestmark = pytest.mark.django_db


# -- query budgets -------------------------------------------------------------------


def grow(article, n):
    start = article.claims.count()
    numbers = range(start, start + n)
    for i in numbers:
        article.body += f"<p>Claim {i} of many.</p>"
    article.save()
    for i in numbers:
        AttributionFactory(claim=ClaimFactory(article=article, text=f"Claim {i} of many."))
        revisions.record(article)
        ArticleEvent.objects.create(article=article, action="note", note=str(i))


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_change_page_query_count_is_constant_as_claims_and_revisions_grow(editor_client):
    article = ready(ArticleFactory())
    grow(article, 2)
    few = count(editor_client, change_url(article))
    grow(article, 20)
    for _ in range(20):
        ready(ArticleFactory())
    assert count(editor_client, change_url(article)) == few


def test_dashboard_query_count_is_constant_as_articles_grow(editor_client):
    def make(n):
        for i in range(n):
            article = ready(ArticleFactory())
            status = [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.APPROVED][
                i % 3
            ]
            set_status(article, status)

    make(3)
    few = count(editor_client, reverse("admin:index"))
    make(30)
    assert count(editor_client, reverse("admin:index")) == few


def test_dashboard_shows_counts_queues_and_blocked_reasons(client, editor, reporter):
    draft = ready(ArticleFactory(created_by=editor, headline="My own draft"))
    waiting = ready(ArticleFactory(headline="Waiting piece"))
    set_status(waiting, Article.Status.IN_REVIEW)
    blocked = ArticleFactory(headline="Unsourced piece")
    ClaimFactory(article=blocked, text="Sony said its profit rose.")
    set_status(blocked, Article.Status.APPROVED)
    scheduled = ready(ArticleFactory(headline="Tomorrow's piece"))
    set_status(
        scheduled, Article.Status.SCHEDULED, scheduled_for=timezone.now() + dt.timedelta(days=1)
    )
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert draft.headline in html
    assert "Waiting piece" in html
    assert "Tomorrow&#x27;s piece" in html
    assert "Unsourced piece" in html
    assert "has no source." in html
    assert '<strong class="count-in_review">1</strong>' in html
    assert '<strong class="count-blocked">1</strong>' in html
