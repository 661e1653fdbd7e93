"""Shared preview links: they show the draft without an account, expire and resist tampering."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from tests.articles.admin.helpers import ready
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# -- preview --------------------------------------------------------------------------


def test_shared_preview_link_shows_the_draft_without_an_account(client, editor):
    article = ready(ArticleFactory(headline="Draft headline"))
    client.force_login(editor)
    response = client.post(reverse("admin:articles_article_preview_link", args=[article.pk]))
    message = messages_of(response)[0]
    url = message.split('href="')[1].split('"')[0]
    client.logout()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Draft headline" in html
    assert "Preview" in html and "not published" in html
    assert page["X-Robots-Tag"] == "noindex, nofollow"


def test_preview_link_expires(client, editor, settings):
    from articles.publishing.preview import preview_url

    article = ArticleFactory()
    url = preview_url(article)
    with time_machine.travel(
        timezone.now() + dt.timedelta(seconds=settings.PREVIEW_LINK_MAX_AGE + 60)
    ):
        assert client.get(url).status_code == 404


def test_tampered_preview_link_is_refused(client):
    article = ArticleFactory()
    from articles.publishing.preview import preview_url

    url = preview_url(article)
    assert client.get(url.replace("/preview/", "/preview/x")).status_code == 404
