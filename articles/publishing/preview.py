"""Signed, expiring links that show a draft exactly as readers will see it."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from articles.models import Article

_SALT = "articles.publishing.preview"


def preview_token(article: Article) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"article": article.pk})


def preview_url(article: Article) -> str:
    return reverse("articles:preview", args=[preview_token(article)])


def article_pk_from_token(token: str) -> int:
    """The article a token shows; raises ``signing.BadSignature`` if expired or forged."""
    data = signing.TimestampSigner(salt=_SALT).unsign_object(
        token, max_age=settings.PREVIEW_LINK_MAX_AGE
    )
    return int(data["article"])
