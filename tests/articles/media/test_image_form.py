"""Uploading through the image form in the admin: clean copy, refusals, duplicates, source."""

import hashlib
import io
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage

from articles import images
from articles.images import UNSUPPORTED_MESSAGE
from articles.models import Image
from tests.articles.media.helpers import (
    jpeg_with_metadata,
    png_header_only,
    raster,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db


def admin_upload(client, name: str, content: bytes, **fields):
    data = {
        "file": upload(name, content),
        "alt_text": "A test picture",
        "source_kind": "staff",
        "focal_x": "0.5",
        "focal_y": "0.5",
        **fields,
    }
    return client.post(reverse("admin:articles_image_add"), data)


def test_admin_upload_stores_the_clean_copy_with_its_facts(editor_client):
    response = admin_upload(
        editor_client,
        "holiday.jpg",
        jpeg_with_metadata(orientation=6),
        credit="Jane Doe",
        copyright="© Newsroom Media",
        source_kind="agency",
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (30, 40)
    assert image.format == "JPEG"
    assert image.source_kind == Image.SourceKind.AGENCY
    assert image.copyright == "© Newsroom Media"
    with image.file.open("rb") as file:
        data = file.read()
    assert image.bytes == len(data)
    assert image.sha256 == hashlib.sha256(data).hexdigest()
    assert b"Jane Private" not in data and b"Exif\x00" not in data


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', UNSUPPORTED_MESSAGE),
        ("photo.jpg", raster("PNG"), "holds a PNG image; rename it to end in .png"),
        ("half.jpg", raster("JPEG", size=(400, 300))[:400], "damaged or incomplete"),
        ("bomb.png", png_header_only(100_000, 100_000), "too many pixels"),
        ("empty.png", b"", "The submitted file is empty."),
    ],
)
def test_admin_refuses_each_bad_kind_with_a_form_error_and_stores_nothing(
    editor_client, settings, name, content, message
):
    response = admin_upload(editor_client, name, content)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert any(message in error for error in errors), errors
    assert Image.objects.count() == 0
    assert stored_files(settings) == []


def test_the_same_upload_twice_is_offered_as_the_existing_image(editor_client, settings):
    content = jpeg_with_metadata()
    assert admin_upload(editor_client, "first.jpg", content).status_code == 302
    existing = Image.objects.get()

    response = admin_upload(editor_client, "again.jpg", content, caption="Same again")

    assert response.status_code == 200
    html = response.content.decode()
    link = reverse("admin:articles_image_change", args=[existing.pk])
    assert f'This image is already in the library: <a href="{link}">' in html
    assert Image.objects.count() == 1
    assert stored_files(settings) == [settings.MEDIA_ROOT / existing.file.name]


def test_replacing_an_images_file_with_its_own_content_is_not_a_duplicate(editor_client):
    content = raster("PNG")
    admin_upload(editor_client, "red.png", content)
    image = Image.objects.get()
    response = editor_client.post(
        reverse("admin:articles_image_change", args=[image.pk]),
        {
            "file": upload("red.png", content),
            "alt_text": "Still red",
            "source_kind": "staff",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    assert response.status_code == 302


def test_the_editor_must_say_where_an_image_came_from(editor_client):
    response = admin_upload(editor_client, "red.png", raster("PNG"), source_kind="")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["source_kind"]
    assert Image.objects.count() == 0


def test_a_file_that_says_ai_made_it_must_be_marked_ai_generated(editor_client):
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
        b'Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/'
        b'trainedAlgorithmicMedia"/></rdf:RDF></x:xmpmeta>'
    )
    buffer = io.BytesIO()
    PILImage.new("RGB", (30, 20), "purple").save(buffer, format="JPEG", xmp=xmp)

    response = admin_upload(editor_client, "city.jpg", buffer.getvalue(), source_kind="staff")
    assert response.status_code == 200
    assert "choose “AI-generated”" in str(response.context["adminform"].form.errors)
    assert Image.objects.count() == 0

    response = admin_upload(
        editor_client, "city.jpg", buffer.getvalue(), source_kind="ai_generated"
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.reader_label == "AI-generated image"
    with image.file.open("rb") as file:
        assert b"trainedAlgorithmicMedia" not in file.read()  # its XMP was stripped too


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="truly simultaneous inserts need PostgreSQL; CI runs this on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_editors_adding_the_same_file_at_once_get_one_image_and_one_form_error(
    editor, second_editor, settings, monkeypatch
):
    # Both have their clean copy and its hash before either checks for a duplicate.
    both_hashed = threading.Barrier(2, timeout=30)
    real_clean_upload = images.clean_upload

    def clean_upload(file):
        clean = real_clean_upload(file)
        both_hashed.wait()
        return clean

    monkeypatch.setattr(images, "clean_upload", clean_upload)
    content = raster("PNG", size=(64, 48))
    answers, errors = [], []

    def add(user) -> None:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        try:
            answers.append(admin_upload(client, f"{user.username}.png", content))
        except BaseException as exc:  # reported in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(user,)) for user in (editor, second_editor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(answer.status_code for answer in answers) == [200, 302]
    refused = next(answer for answer in answers if answer.status_code == 200)
    assert "This image is already in the library" in refused.content.decode()
    image = Image.objects.get()
    originals = [p for p in stored_files(settings) if "renditions" not in p.parts]
    assert originals == [settings.MEDIA_ROOT / image.file.name]
