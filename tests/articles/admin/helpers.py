"""The article change page's address, and articles made ready to publish or put in a state."""

from django.urls import reverse

from articles.models import Article
from tests.factories import AttributionFactory, AuthorFactory, BylineFactory, ClaimFactory


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def ready(article):
    """Give ``article`` a byline and a sourced claim so every publish gate passes."""
    BylineFactory(article=article, author=AuthorFactory())
    claim = ClaimFactory(article=article, text="Sony said its profit rose.")
    AttributionFactory(claim=claim)
    return article


def set_status(article, status, **fields):
    Article.objects.filter(pk=article.pk).update(status=status, **fields)
    article.refresh_from_db()
