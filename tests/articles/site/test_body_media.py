"""Pictures from the image library and embeds inside article bodies, as readers see them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Image
from tests.articles.site.helpers import html_of
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


def figure(image) -> str:
    return f'<figure data-image="{image.pk}"></figure>'


def body_of(html: str) -> str:
    return html.split('<div class="body">')[1].split("</article>")[0]


def test_a_library_picture_in_the_body_shows_renditions_caption_credit_and_ai_label(client):
    image = ImageFactory(
        alt_text="A harbour crane",
        caption="Cranes idle at dawn.",
        credit="Port Alder Harbour",
        source_kind=Image.SourceKind.AI_GENERATED,
    )
    article = ArticleFactory(published=True, body=f"<p>Before.</p>{figure(image)}<p>After.</p>")
    client.get(article.get_absolute_url())  # renditions are made on first view

    body = body_of(html_of(client, article.get_absolute_url()))

    assert body.index("Before.") < body.index("<picture>") < body.index("After.")
    assert '<source type="image/webp" srcset="' in body
    assert 'alt="A harbour crane"' in body
    assert "Cranes idle at dawn." in body and "Port Alder Harbour" in body
    assert '<strong class="picture-label">AI-generated image</strong>' in body
    assert "data-image" not in body


def test_a_deleted_picture_is_left_out_silently(client):
    # Deleting a picture a body shows is refused; one gone before its marker was written
    # (a raw SQL delete, a restored backup) is left out.
    image = ImageFactory()
    Image.objects.filter(pk=image.pk).delete()
    article = ArticleFactory(published=True, body=f"<p>Text.</p>{figure(image)}")

    body = body_of(html_of(client, article.get_absolute_url()))

    assert "<figure" not in body and "Text." in body


def test_a_video_embed_is_a_sandboxed_lazy_privacy_enhanced_iframe(client):
    article = ArticleFactory(published=True, body=f'<figure data-embed="{YOUTUBE}"></figure>')

    body = body_of(html_of(client, article.get_absolute_url()))

    iframe = re.search(r"<iframe [^>]*>", body)[0]
    assert f'src="{YOUTUBE}"' in iframe
    assert 'sandbox="allow-scripts allow-same-origin allow-popups' in iframe
    assert 'loading="lazy"' in iframe and 'title="YouTube video"' in iframe
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in body


def test_a_social_post_is_a_link_card_without_any_remote_call(client):
    post = "https://mastodon.social/@Gargron/109876543210"
    article = ArticleFactory(published=True, body=f'<figure data-embed="{post}"></figure>')

    body = body_of(html_of(client, article.get_absolute_url()))

    assert "<iframe" not in body
    assert "Mastodon" in body and "@Gargron@mastodon.social" in body
    assert f'href="{post}"' in body


def test_an_embed_from_an_unknown_provider_is_never_shown(client):
    article = ArticleFactory(
        published=True, body='<p>Text.</p><figure data-embed="https://evil.example/x"></figure>'
    )

    body = body_of(html_of(client, article.get_absolute_url()))

    assert "evil.example" not in body and "<iframe" not in body


def test_the_policy_lets_frames_load_from_the_embed_providers_only(client):
    article = ArticleFactory(published=True, body=f'<figure data-embed="{YOUTUBE}"></figure>')

    response = client.get(article.get_absolute_url())

    policy = response["Content-Security-Policy"]
    frames = re.search(r"frame-src ([^;]+)", policy)[1].split()
    assert frames == [
        "'self'",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
        "https://datawrapper.dwcdn.net",
        "https://www.openstreetmap.org",
    ]


def test_the_article_page_costs_the_same_for_1_and_10_body_pictures(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    images = [ImageFactory() for _ in range(10)]
    article = ArticleFactory(published=True, body=figure(images[0]))
    url = article.get_absolute_url()

    def queries() -> int:
        client.get(url)  # renditions are made on first view, then reused
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content.decode()
        return len(captured), html.count("<picture>")

    few, shown = queries()
    assert shown == 1
    article.body = "".join(figure(image) for image in images)
    article.save()
    many, shown = queries()
    assert shown == 10
    # The pictures in one query and all their renditions in one more, however many.
    assert many == few
