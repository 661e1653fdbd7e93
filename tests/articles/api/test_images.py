"""Pictures through the partner API: an article's lead image with its renditions, and
agents uploading pictures to the library."""

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


@pytest.fixture
def agent_key_header():
    from articles.models import PartnerKey
    from tests.factories import AIAgentFactory

    _, secret = PartnerKey.objects.create_key(name="agent", agent=AIAgentFactory(), can_draft=True)
    return {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}


def upload(client, headers, name, content, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"file": SimpleUploadedFile(name, content), "alt_text": "Quay", **fields}
    return client.post("/api/v1/images/", data, **headers)


def test_agent_uploads_a_picture_and_gets_its_renditions(client, agent_key_header):
    from tests.articles.media.helpers import raster

    response = upload(client, agent_key_header, "quay.png", raster("PNG"), source_kind="staff")
    assert response.status_code == 201, response.json()
    assert response.json()["renditions"]
    assert Image.objects.get().alt_text == "Quay"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "This is not a JPEG, PNG, WebP"),
        ("photo.jpg", None, "holds a PNG image"),
    ],
)
def test_bad_uploads_are_400_with_a_field_message_and_store_nothing(
    client, agent_key_header, name, content, message
):
    from tests.articles.media.helpers import raster

    response = upload(client, agent_key_header, name, content or raster("PNG"), source_kind="staff")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert message in " ".join(response.json()["errors"]["file"])
    assert not Image.objects.exists()


def test_the_same_picture_twice_names_the_existing_one(client, agent_key_header):
    from tests.articles.media.helpers import raster

    first = upload(client, agent_key_header, "a.png", raster("PNG"), source_kind="staff").json()
    again = upload(client, agent_key_header, "b.png", raster("PNG"), source_kind="staff")
    assert again.status_code == 400
    assert "already in the library" in again.json()["errors"]["file"][0]
    assert Image.objects.count() == 1
    assert first["id"] == Image.objects.get().pk


def test_anonymous_and_read_only_keys_cannot_upload(client):
    from tests.articles.media.helpers import raster

    response = upload(client, {}, "a.png", raster("PNG"), source_kind="staff")
    assert response.status_code in (401, 403)
    assert not Image.objects.exists()
