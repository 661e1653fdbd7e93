"""The API only adds pictures to the library (it never changes one); each upload starts
the image's history, naming the editor whose key uploaded it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Image
from tests.articles.media.helpers import raster

pytestmark = pytest.mark.django_db


def upload(key_client, key):
    data = {
        "file": SimpleUploadedFile("quay.png", raster("PNG")),
        "alt_text": "Quay",
        "source_kind": "staff",
    }
    return key_client(key).post("/api/v1/images/", data)


def test_an_editors_upload_starts_the_images_history_with_their_name(key_client, editor_key):
    assert upload(key_client, editor_key).status_code == 201
    [created] = Image.objects.get().history.all()
    assert (created.history_type, created.history_user) == ("+", editor_key.user)


def test_an_agents_upload_is_recorded_without_a_staff_account(key_client, agent_key):
    assert upload(key_client, agent_key).status_code == 201
    [created] = Image.objects.get().history.all()
    assert (created.history_type, created.history_user) == ("+", None)


def test_the_api_cannot_change_a_picture(key_client, editor_key):
    image = Image.objects.get(pk=upload(key_client, editor_key).json()["id"])
    url = f"/api/v1/images/{image.pk}/"
    for method in ("put", "patch", "delete"):
        response = getattr(key_client(editor_key), method)(url, {"source_kind": "ai_generated"})
        assert response.status_code == 405
    assert Image.objects.get().history.count() == 1
