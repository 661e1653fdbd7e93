"""Articles in a chosen state and the small checks the publishing tests share."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import AIInvolvement, Article, Byline, Sponsorship
from articles.publishing.workflow import WorkflowError
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    SponsorshipFactory,
    make_publishable,
    verify_claims,
)

S = Article.Status
NEWSROOM, COMMERCIAL = Article.Desk.NEWSROOM, Article.Desk.COMMERCIAL


def put(article: Article, status: str) -> Article:
    """Put ``article`` in ``status`` directly, with the times that state needs."""
    now = timezone.now()
    fields = {"status": status}
    if status == S.SCHEDULED:
        fields["scheduled_for"] = now + dt.timedelta(hours=1)
    if status in {S.PUBLISHED, S.UNPUBLISHED}:
        fields["published_at"] = now - dt.timedelta(hours=1)
    Article.objects.filter(pk=article.pk).update(**fields)
    article.refresh_from_db()
    return article


def newsroom_article(reporter, status=S.DRAFT, **fields) -> Article:
    article = ArticleFactory(created_by=reporter, desk=NEWSROOM, **fields)
    make_publishable(article, author=AuthorFactory(user=reporter, name="Priya Raman"))
    return put(article, status)


def commercial_article(commercial, status=S.DRAFT, **fields) -> Article:
    article = ArticleFactory(created_by=commercial, desk=COMMERCIAL, **fields)
    SponsorshipFactory(article=article, kind=Sponsorship.Kind.NATIVE_ADVERTISING)
    make_publishable(article)
    return put(article, status)


def fresh(article: Article) -> Article:
    """The article as the workflow reads it, with nothing cached from before."""
    return Article.objects.for_detail().get(pk=article.pk)


def status_of(article: Article) -> str:
    return Article.objects.values_list("status", flat=True).get(pk=article.pk)


def refusal(call, *args, **kwargs) -> list[str]:
    with pytest.raises(WorkflowError) as exc:
        call(*args, **kwargs)
    return exc.value.problems


def ai_written(article: Article, *, involvement=AIInvolvement.GENERATED, role=Byline.Role.BY):
    article.bylines.all().delete()
    BylineFactory(article=article, author=AIAgentFactory(name="Ledger"), role=role)
    article.ai_involvement = involvement
    article.save()
    verify_claims(article)  # by a fact-checker, so only the gates a test is about hold it
    return article
