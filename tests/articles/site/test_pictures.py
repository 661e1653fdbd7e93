"""Lead images on the article page, its social cards and JSON-LD, and lazy teaser pictures."""

import re

import pytest

from tests.articles.site.helpers import html_of, jsonld
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


# -- pictures ------------------------------------------------------------------------------------


def test_lead_image_is_responsive_and_shared_in_cards_and_json_ld(client):
    from tests.factories import ImageFactory

    image = ImageFactory(alt_text="Ferries at the quay", credit="Port Alder Harbour")
    article = ArticleFactory(published=True, lead_image=image)
    html = html_of(client, article.get_absolute_url())
    picture = html.split('<figure class="picture picture--hero">')[1].split("</figure>")[0]
    assert '<source type="image/webp" srcset="' in picture
    assert re.search(r'<img [^>]*width="\d+" height="\d+"[^>]*alt="Ferries at the quay"', picture)
    assert "Port Alder Harbour" in picture
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert og_image.startswith("http://127.0.0.1:8000/media/")
    # Small pictures are never upscaled: the card is as wide as the image allows.
    assert re.search(r'<meta property="og:image:width" content="\d+">', html)
    assert '<meta property="og:image:alt" content="Ferries at the quay">' in html
    [data] = jsonld(html)
    assert data["image"]["url"] == og_image
    assert data["image"]["creditText"] == "Port Alder Harbour"
    assert data["image"]["digitalSourceType"] == "https://schema.org/DigitalCaptureDigitalSource"


def test_teasers_show_lazy_pictures_at_a_constant_query_cost(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ImageFactory

    settings.PUBLIC_CACHE_SECONDS = 0
    section = SectionFactory(slug="port")

    def make(n):
        for _ in range(n):
            ArticleFactory(published=True, section=section, lead_image=ImageFactory())

    make(3)
    client.get("/section/port/")  # renditions are made on first view, then reused
    with CaptureQueriesContext(connection) as few:
        html = client.get("/section/port/").content.decode()
    assert html.count('loading="lazy"') == 3
    make(12)
    client.get("/section/port/")
    with CaptureQueriesContext(connection) as many:
        client.get("/section/port/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_picture_shown_before_shows_its_new_alt_text_caption_and_ai_label(client, settings):
    # Pictures' markup is kept between requests (articles.templatetags.images): a change
    # to what readers see of the image must show on the next page all the same.
    from tests.factories import ImageFactory

    settings.PUBLIC_CACHE_SECONDS = 0
    image = ImageFactory(alt_text="Ferries at the quay", caption="Morning sailing")
    article = ArticleFactory(published=True, lead_image=image, section=SectionFactory(slug="port"))
    for url in (article.get_absolute_url(), "/section/port/"):
        html = html_of(client, url)
        assert 'alt="Ferries at the quay"' in html and "AI-generated image" not in html
    image.alt_text = "Ferries leaving the quay"
    image.caption = "Evening sailing"
    image.source_kind = image.SourceKind.AI_GENERATED
    image.save()
    page = html_of(client, article.get_absolute_url())
    assert 'alt="Ferries leaving the quay"' in page and "Evening sailing" in page
    assert 'alt="Ferries at the quay"' not in page
    teasers = html_of(client, "/section/port/")
    assert 'alt="Ferries leaving the quay"' in teasers
    for html in (page, teasers):
        assert '<strong class="picture-label">AI-generated image</strong>' in html
