"""Uploading pictures through the API as an attacker (or a flaky network) would: big files,
the same file many times at once, hostile names, pixel counts at the limit. Each answer is
a 201 or a clear 400, never a 500, and nothing is left on disk that no image points to."""

import io
import os
import re
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage

from articles import images
from articles.media import forms
from articles.models import Image
from tests.articles.media.helpers import png_header_only, raster, stored_files

pytestmark = pytest.mark.django_db

UPLOADS = "/api/v1/images/"


def send(client, name: str, content: bytes, **fields):
    data = {
        "file": SimpleUploadedFile(name, content),
        "alt_text": "The quay at dawn",
        "source_kind": "staff",
        **fields,
    }
    return client.post(UPLOADS, data)


def big_png(megabytes: float = 6) -> bytes:
    """A PNG of random pixels, so it stays about ``megabytes`` MB (PNG cannot shrink noise)."""
    side = int((megabytes * 1_000_000 / 3) ** 0.5)
    picture = PILImage.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", compress_level=0)
    return buffer.getvalue()


def original_files(settings) -> list:
    """Stored originals (renditions live under renditions/)."""
    return [
        p for p in stored_files(settings) if "images" in p.relative_to(settings.MEDIA_ROOT).parts
    ]


# -- above 5 MB: Django keeps the upload in a temporary file ------------------------------


def test_an_upload_above_5_mb_is_accepted(key_client, agent_key, settings):
    content = big_png(6)
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE < len(content) < settings.IMAGE_MAX_BYTES

    response = send(key_client(agent_key), "harbour.png", content)

    assert response.status_code == 201, response.content
    image = Image.objects.get(pk=response.json()["id"])
    assert image.format == "PNG"
    assert original_files(settings) == [settings.MEDIA_ROOT / image.file.name]


def test_an_upload_above_5_mb_is_accepted_in_the_admin(editor_client, settings):
    response = editor_client.post(
        reverse("admin:articles_image_add"),
        {
            "file": SimpleUploadedFile("harbour.png", big_png(6)),
            "alt_text": "The harbour",
            "source_kind": "staff",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    assert response.status_code == 302
    assert Image.objects.get().format == "PNG"


def test_an_upload_above_the_size_limit_is_a_clear_400(key_client, agent_key, settings):
    settings.IMAGE_MAX_BYTES = 5_500_000
    response = send(key_client(agent_key), "harbour.png", big_png(6))
    assert response.status_code == 400
    assert "images may be at most 5.2" in response.json()["errors"]["file"][0].replace("\xa0", " ")
    assert original_files(settings) == []


# -- the same file many times at once -----------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="truly simultaneous inserts need PostgreSQL; CI runs this on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_six_identical_uploads_at_once_are_one_201_and_five_clear_400s(
    agent_key, settings, monkeypatch
):
    # Every upload has its clean copy and hash before any goes on: all six then check
    # for a duplicate and insert at the same instant, as six agents retrying would.
    all_hashed = threading.Barrier(6, timeout=30)
    real_clean_upload = images.clean_upload

    def clean_upload(upload):
        clean = real_clean_upload(upload)
        all_hashed.wait()
        return clean

    monkeypatch.setattr(images, "clean_upload", clean_upload)
    content = raster("PNG", size=(64, 48))
    responses, errors = [], []

    def upload(n: int) -> None:
        client = Client(
            headers={"Authorization": f"Api-Key {agent_key.secret}"},
            raise_request_exception=False,
        )
        try:
            responses.append(send(client, f"quay-{n}.png", content))
        except BaseException as exc:  # reported in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(r.status_code for r in responses) == [201, 400, 400, 400, 400, 400]
    image = Image.objects.get()
    for response in responses:
        if response.status_code == 400:
            message = response.json()["errors"]["file"][0]
            assert "already in the library" in message
            assert f"(id {image.pk})" in message
    # The refused five stored nothing, or deleted what they stored.
    assert original_files(settings) == [settings.MEDIA_ROOT / image.file.name]


def test_a_duplicate_saved_just_after_the_check_is_a_clear_400_and_leaves_no_file(
    key_client, agent_key, settings, monkeypatch
):
    # What the lock prevents on PostgreSQL, and what can still happen without it: the
    # same file is saved by another upload just after this one's duplicate check.
    client = key_client(agent_key)
    content = raster("PNG", size=(64, 48))
    first = send(client, "first.png", content, caption="First").json()
    monkeypatch.setattr(forms.ImageForm, "duplicate_of", lambda form, sha256: None)

    response = send(client, "second.png", content)

    assert response.status_code == 400
    message = response.json()["errors"]["file"][0]
    assert f"already in the library: First (id {first['id']})" in message
    image = Image.objects.get()
    assert original_files(settings) == [settings.MEDIA_ROOT / image.file.name]


# -- stored names -------------------------------------------------------------------------


def test_a_file_is_stored_under_a_generated_name_and_keeps_the_name_it_came_with(
    key_client, agent_key, settings
):
    name = "Jane Doe at 12 Private Road (1).JPG"
    response = send(key_client(agent_key), name, raster("JPEG"))

    assert response.status_code == 201, response.content
    assert response.json()["original_name"] == name
    image = Image.objects.get()
    assert image.original_name == name
    assert re.fullmatch(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", image.file.name)
    assert "Jane" not in image.file.url


def test_two_files_sent_with_the_same_name_are_stored_apart(key_client, agent_key):
    client = key_client(agent_key)
    assert send(client, "photo.png", raster("PNG", size=(40, 30))).status_code == 201
    assert send(client, "photo.png", raster("PNG", size=(30, 40))).status_code == 201
    first, second = Image.objects.order_by("pk")
    assert first.original_name == second.original_name == "photo.png"
    assert first.file.name != second.file.name


def test_the_name_a_file_came_with_is_shown_to_editors_escaped(
    editor_client, key_client, agent_key
):
    name = "<img src=x onerror=alert(1)>.png"
    response = send(key_client(agent_key), name, raster("PNG"))
    assert response.status_code == 201, response.content
    image = Image.objects.get()
    assert image.original_name == name

    page = editor_client.get(reverse("admin:articles_image_change", args=[image.pk]))

    html = page.content.decode()
    assert "Uploaded as “&lt;img src=x onerror=alert(1)&gt;.png”." in html
    assert "<img src=x" not in html


def test_readers_and_partners_do_not_see_the_name_a_file_came_with(client, key_client, agent_key):
    response = send(key_client(agent_key), "Jane at home.png", raster("PNG"))
    image_id = response.json()["id"]
    answer = client.get(f"{UPLOADS}{image_id}/")
    assert answer.status_code == 200
    assert "original_name" not in answer.json()


# -- pixels ---------------------------------------------------------------------------------


def test_a_file_within_the_pixel_limit_is_accepted_and_one_over_it_refused_clearly(
    key_client, agent_key, settings
):
    settings.IMAGE_MAX_PIXELS = 400 * 300
    client = key_client(agent_key)

    assert send(client, "at-limit.png", raster("PNG", size=(400, 300))).status_code == 201
    response = send(client, "over.png", raster("PNG", size=(401, 300)))

    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [
        "This image is 401×300 pixels (0.1 megapixels); the limit is 0.12 megapixels. "
        "Save a smaller copy and upload that."
    ]
    assert Image.objects.count() == 1


def test_the_issues_7000_by_7000_png_is_refused_by_default_before_it_is_decoded(
    key_client, agent_key, settings
):
    from newsroom.settings import IMAGE_MAX_PIXELS

    assert IMAGE_MAX_PIXELS < 7000 * 7000  # the default, whatever the test settings say
    settings.IMAGE_MAX_PIXELS = IMAGE_MAX_PIXELS

    response = send(key_client(agent_key), "flat.png", png_header_only(7000, 7000))

    assert response.status_code == 400
    message = response.json()["errors"]["file"][0]
    assert "7000×7000 pixels (49.0 megapixels)" in message
    assert f"the limit is {IMAGE_MAX_PIXELS / 1e6:g} megapixels" in message
    assert original_files(settings) == []
