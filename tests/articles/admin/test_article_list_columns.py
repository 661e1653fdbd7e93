"""The article list's compact columns: a thumbnail of the lead image, the state with the
label and AI badges, the embargo spelled out, and a query count that stays the same
however many rows carry pictures."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.media import renditions
from articles.models import AIInvolvement, Article
from tests.factories import ArticleFactory, ImageFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:articles_article_changelist")


def pictured(n: int) -> None:
    for _ in range(n):
        image = ImageFactory()
        renditions.get_rendition(image, "thumbnail", "webp")
        ArticleFactory(lead_image=image)


def count(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_thumbnails_cost_no_query_per_row(editor_client):
    pictured(3)
    few = count(editor_client)
    pictured(12)
    assert count(editor_client) == few
    html = editor_client.get(URL).content.decode()
    assert html.count('class="list-thumbnail image-thumbnail"') == 15


def test_a_missing_thumbnail_is_an_empty_frame_not_a_resize(editor_client):
    ArticleFactory(lead_image=ImageFactory())  # no rendition made yet
    html = editor_client.get(URL).content.decode()
    assert "list-thumbnail-empty" in html
    assert "image-thumbnail" not in html


def test_state_column_carries_label_and_ai_badges(editor_client):
    article = SponsorshipFactory().article
    Article.objects.filter(pk=article.pk).update(ai_involvement=AIInvolvement.GENERATED)
    html = editor_client.get(URL).content.decode()
    assert '<span class="badge badge-label">Sponsored Advertising Content</span>' in html
    assert '<span class="badge badge-ai">AI-generated</span>' in html


def test_an_embargoed_piece_says_until_when(editor_client):
    at = timezone.now() + dt.timedelta(days=1)
    ArticleFactory(status=Article.Status.SCHEDULED, scheduled_for=at, embargo=True)
    html = editor_client.get(URL).content.decode()
    assert f"Embargoed until {timezone.localtime(at):%-d %b %H:%M}</span>" in html
