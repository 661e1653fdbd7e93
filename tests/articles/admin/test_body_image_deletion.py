"""A picture shown inside an article's body is kept like a lead image: the admin names
the articles instead of deleting it, and no other door deletes it either."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from articles.models import Image
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pictured():
    image = ImageFactory()
    article = ArticleFactory(
        headline="Harbour at dawn", body=f'<p>Before.</p><figure data-image="{image.pk}"></figure>'
    )
    return image, article


def test_the_admin_names_the_articles_and_keeps_the_picture(client, administrator, pictured):
    image, _ = pictured
    client.force_login(administrator)
    url = reverse("admin:articles_image_delete", args=[image.pk])
    page = client.get(url).content.decode()
    assert "would require deleting the following protected related objects" in page
    assert "Article (picture in its body): Harbour at dawn" in page
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Image.objects.filter(pk=image.pk).exists()


def test_no_other_door_deletes_it(pictured):
    image, _ = pictured
    with pytest.raises(ProtectedError, match="Harbour at dawn"), transaction.atomic():
        image.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        Image.objects.filter(pk=image.pk).delete()
    assert Image.objects.filter(pk=image.pk).exists()


def test_a_picture_no_body_shows_can_be_deleted(client, administrator, pictured):
    other = ImageFactory()
    ArticleFactory(body=f'<figure data-image="{other.pk}0"></figure>')  # another id
    client.force_login(administrator)
    response = client.post(reverse("admin:articles_image_delete", args=[other.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Image.objects.filter(pk=other.pk).exists()
