"""The image library in the admin: list, search, focal-point picker, deletion, lead images."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.media import renditions
from articles.models import Image, Rendition
from tests.articles.media.helpers import raster, stored_files, upload
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db


def make_images(n: int) -> None:
    for i in range(n):
        image = ImageFactory(caption=f"Picture {i}")
        if i % 2:
            ArticleFactory(lead_image=image)


def test_image_list_shows_thumbnails_usage_and_a_constant_number_of_queries(editor_client):
    url = reverse("admin:articles_image_changelist")

    def queries() -> int:
        editor_client.get(url)  # the first view makes any missing thumbnails
        with CaptureQueriesContext(connection) as ctx:
            response = editor_client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    make_images(5)
    few = queries()
    make_images(45)
    many = queries()
    # session, user, permissions, count (×2: filtered and total), formats for the
    # filter, the images with their usage counts, their thumbnails.
    assert many == few <= 9

    html = editor_client.get(url).content.decode()
    assert html.count('class="image-thumbnail"') == 50
    assert "/media/renditions/" in html
    assert "1 article" in html


def test_image_list_searches_caption_and_credit_and_filters_by_source(editor_client):
    ImageFactory(caption="Harbour at dawn", credit="Staff")
    ImageFactory(caption="Council vote", credit="Agence Exemple")
    ImageFactory(caption="A city", source_kind=Image.SourceKind.AI_GENERATED)
    url = reverse("admin:articles_image_changelist")

    def listed(query: str) -> set[str]:
        response = editor_client.get(url + query)
        return {str(image) for image in response.context["cl"].result_list}

    assert listed("?q=harbour") == {"Harbour at dawn"}
    assert listed("?q=exemple") == {"Council vote"}
    assert listed("?source_kind__exact=ai_generated") == {"A city"}


def test_image_change_page_has_the_focal_point_picker_and_usage(editor_client):
    image = ImageFactory(file=upload("wide.png", raster("PNG", size=(600, 300))), focal_x=0.25)
    article = ArticleFactory(lead_image=image, headline="Harbour reopens")
    response = editor_client.get(reverse("admin:articles_image_change", args=[image.pk]))
    html = response.content.decode()

    assert 'class="focal-picker" data-focal-x="id_focal_x" data-focal-y="id_focal_y"' in html
    assert 'style="left:25.0%;top:50.0%"' in html
    assert "articles/focal_point.js" in html
    # Without the script the numbers can still be typed.
    assert 'type="number" name="focal_x" value="0.25" step="0.001" min="0" max="1"' in html
    link = reverse("admin:articles_article_change", args=[article.pk])
    assert f'<a href="{link}">Harbour reopens</a>' in html
    assert "600×300 pixels · PNG" in html


def test_changing_the_focal_point_in_the_admin_replaces_the_crops(
    editor_client, django_capture_on_commit_callbacks
):
    image = ImageFactory(file=upload("wide.png", raster("PNG", size=(600, 300))))
    card = renditions.get_rendition(image, "card", "webp")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:articles_image_change", args=[image.pk]),
            {"alt_text": "x", "source_kind": "staff", "focal_x": "0.9", "focal_y": "0.5"},
        )
    assert response.status_code == 302
    assert not Rendition.objects.filter(pk=card.pk).exists()
    assert not card.file.storage.exists(card.file.name)


def test_deleting_an_image_in_the_admin_deletes_its_files(
    editor_client, superuser, client, settings, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    renditions.picture(image, "card")
    assert stored_files(settings)
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:articles_image_delete", args=[image.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert stored_files(settings) == []


def test_article_form_offers_upload_and_shows_the_current_lead_image(editor_client):
    response = editor_client.get(reverse("admin:articles_article_add"))
    html = response.content.decode()
    assert 'id="add_id_lead_image"' in html  # the "+" that opens the upload popup
    assert "None: choose one above, or upload one with +." in html

    image = ImageFactory(alt_text="", source_kind=Image.SourceKind.AI_GENERATED)
    article = ArticleFactory(lead_image=image)
    html = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert 'class="image-thumbnail"' in html
    assert "No alt text yet: needed to publish." in html
    assert "AI-generated image" in html


def test_uploading_in_the_popup_hands_the_new_image_back_to_the_article_form(editor_client):
    response = editor_client.post(
        reverse("admin:articles_image_add") + "?_to_field=id&_popup=1",
        {
            "_popup": "1",
            "_to_field": "id",
            "file": upload("red.png", raster("PNG")),
            "alt_text": "A red square",
            "source_kind": "staff",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    image = Image.objects.get()
    assert response.status_code == 200
    assert "admin/popup_response.html" in [t.name for t in response.templates]
    assert f"&quot;value&quot;: &quot;{image.pk}&quot;" in response.content.decode()
