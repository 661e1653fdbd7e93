import pytest

from articles.models import Image
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db


def test_article_carries_its_lead_image_with_rendition_urls_and_sizes(client):
    image = ImageFactory(
        alt_text="A generated skyline", source_kind=Image.SourceKind.AI_GENERATED, credit="Studio"
    )
    article = ArticleFactory(published=True, lead_image=image)
    data = client.get(f"/api/v1/articles/{article.pk}/").json()["lead_image"]
    assert data["alt_text"] == "A generated skyline"
    assert data["reader_label"] == "AI-generated image"
    assert data["digital_source_type"].endswith("/trainedAlgorithmicMedia")
    specs = {(r["spec"], r["format"]) for r in data["renditions"]}
    assert ("social", "webp") in specs
    assert ("card", "png") in specs or ("card", "jpeg") in specs
    for rendition in data["renditions"]:
        assert rendition["url"].startswith("http://127.0.0.1:8000/media/")
        assert rendition["width"] > 0 and rendition["height"] > 0


def test_article_without_a_picture_says_so(client):
    article = ArticleFactory(published=True)
    assert client.get(f"/api/v1/articles/{article.pk}/").json()["lead_image"] is None
