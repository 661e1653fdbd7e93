"""The body editor's picture chooser and embed check, the publish gates on the body's
pictures and embeds, and the change page's query budget as they grow."""

import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Image
from articles.publishing.gates import publish_problems
from tests.articles.admin.helpers import change_url, ready
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

CHOOSER = "admin:articles_article_image_chooser"
YOUTUBE = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


def count(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def editor_config(page: str) -> dict:
    attribute = re.search(r'data-django-prose-editor-configurable="([^"]+)"', page)[1]
    return json.loads(html.unescape(attribute))


def test_the_body_editor_loads_the_picture_and_embed_buttons(editor_client):
    article = ArticleFactory()

    config = editor_config(editor_client.get(change_url(article)).content.decode())

    assert config["js_modules"][-1].endswith("articles/body_media.js")
    assert config["extensions"]["BodyImage"]["chooserUrl"] == reverse(CHOOSER)
    assert config["extensions"]["BodyEmbed"]["checkUrl"] == reverse(
        "admin:articles_article_embed_check"
    )


def test_the_chooser_searches_the_library_and_shows_thumbnails(editor_client):
    ImageFactory(caption="Cranes idle at dawn", alt_text="Harbour cranes")
    ImageFactory(caption="A council meeting", alt_text="Councillors")

    page = editor_client.get(reverse(CHOOSER), {"q": "cranes"}).content.decode()

    assert page.count("data-image-id=") == 1
    assert "Cranes idle at dawn" in page and "Councillors" not in page
    assert '<img src="/media/renditions/' in page


def test_the_chooser_pages_through_the_library_at_a_constant_cost(editor_client):
    for _ in range(5):
        ImageFactory()
    editor_client.get(reverse(CHOOSER))  # the thumbnails are made on first sight
    few, page = count(editor_client, reverse(CHOOSER))
    assert page.count("data-image-id=") == 5
    for _ in range(45):
        ImageFactory()
    editor_client.get(reverse(CHOOSER))
    editor_client.get(reverse(CHOOSER) + "?page=2")
    many, page = count(editor_client, reverse(CHOOSER) + "?page=2")
    # Session and user, the count, the page of images, their thumbnails.
    assert many == few
    assert page.count("data-image-id=") == 24
    assert "Page 2 of 3" in page


def test_an_embed_is_checked_against_the_allow_list(editor_client):
    url = reverse("admin:articles_article_embed_check")

    accepted = editor_client.get(url, {"url": "https://youtu.be/dQw4w9WgXcQ"})
    refused = editor_client.get(url, {"url": "https://tracker.example/video/1"})

    assert accepted.json()["allowed"] is True
    assert accepted.json()["url"] == YOUTUBE
    assert accepted.json()["provider"] == "YouTube"
    assert refused.json()["allowed"] is False
    assert refused.json()["error"].startswith(
        "This provider is not on the allow-list: https://tracker.example/video/1."
    )


def test_a_picture_the_editor_shows_is_described_with_its_ai_label(editor_client):
    image = ImageFactory(source_kind=Image.SourceKind.AI_GENERATED, alt_text="A skyline")
    url = reverse("admin:articles_article_image_info", args=[image.pk])

    data = editor_client.get(url).json()
    gone = editor_client.get(reverse("admin:articles_article_image_info", args=[999999]))

    assert data["label"] == "AI-generated image" and data["alt_text"] == "A skyline"
    assert gone.status_code == 404
    assert "no longer in the image library" in gone.json()["error"]


def test_readers_cannot_reach_the_chooser(client):
    response = client.get(reverse(CHOOSER))

    assert response.status_code == 302  # to the admin's login


def test_a_body_picture_gone_from_the_library_or_without_alt_text_blocks_publication():
    kept = ImageFactory(alt_text="")
    # Gone from the library (a picture a body shows cannot be deleted: this one went
    # before the marker was written, as a raw SQL delete or a restored backup could do).
    gone = ImageFactory()
    Image.objects.filter(pk=gone.pk).delete()
    article = ready(ArticleFactory())
    article.body += (
        f'<figure data-image="{kept.pk}"></figure><figure data-image="{gone.pk}"></figure>'
        '<figure data-embed="https://tracker.example/x"></figure>'
    )
    article.save()

    problems = publish_problems(article)

    assert f"Image {kept.pk} in the body needs alt text." in problems
    assert any(f"image {gone.pk}, which no longer exists" in p for p in problems)
    assert any("https://tracker.example/x, which is not on the allow-list" in p for p in problems)


def test_the_body_field_keeps_the_markers_and_drops_malformed_ones():
    image = ImageFactory()
    article = ArticleFactory(body="<p>Text.</p>")
    body = f'<p>Text.</p><figure data-image="{image.pk}" onclick="x"></figure>'
    body += f'<figure data-embed="{YOUTUBE}"></figure><figure data-image="1 or 1"></figure>'
    body += '<figure data-embed="javascript:alert(1)"></figure>'

    # What the admin form's model validation stores.
    cleaned = Article._meta.get_field("body").clean(body, article)

    assert cleaned == (
        f'<p>Text.</p><figure data-image="{image.pk}"></figure>'
        f'<figure data-embed="{YOUTUBE}"></figure><figure></figure><figure></figure>'
    )


def test_change_page_costs_the_same_for_1_and_12_body_pictures_and_embeds(editor_client):
    images = [ImageFactory() for _ in range(12)]
    article = ready(ArticleFactory())
    article.body += f'<figure data-image="{images[0].pk}"></figure>'
    article.save()
    few, _ = count(editor_client, change_url(article))
    article.body += "".join(f'<figure data-image="{image.pk}"></figure>' for image in images)
    article.body += f'<figure data-embed="{YOUTUBE}"></figure>' * 5
    article.save()
    many, _ = count(editor_client, change_url(article))
    assert many == few


def test_a_picture_in_a_live_body_is_a_shared_record_like_a_lead_image(client, reporter):
    image = ImageFactory(source_kind=Image.SourceKind.AI_GENERATED, alt_text="A skyline")
    article = ready(ArticleFactory(published=True))
    article.body += f'<figure data-image="{image.pk}"></figure>'
    article.save()
    client.force_login(reporter)
    form = {
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "copyright": image.copyright,
        "source_kind": "staff",
        "focal_x": image.focal_x,
        "focal_y": image.focal_y,
        "why": "It is a real photo.",
    }

    page = client.get(reverse("admin:articles_image_change", args=[image.pk])).content.decode()
    response = client.post(reverse("admin:articles_image_change", args=[image.pk]), form)

    assert "is shown on 1 published article" in page
    assert response.status_code == 403
    image.refresh_from_db()
    assert image.is_ai_generated
    client.logout()
    assert "AI-generated image" in client.get(article.get_absolute_url()).content.decode()
