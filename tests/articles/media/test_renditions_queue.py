"""Renditions are made by the worker, not in the upload request; until they are made,
readers see the original picture and nothing public fails."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from articles.media import renditions
from articles.media.forms import ImageForm
from articles.models import Image, Rendition
from tests.articles.media.helpers import encoded, halves, stored
from tests.factories import ArticleFactory, BylineFactory

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(settings):
    """The production setup: tasks wait in the database for `manage.py db_worker`."""
    settings.TASKS = DATABASE_QUEUE


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def upload_form(**data) -> ImageForm:
    content = encoded(halves((1600, 900)))
    return ImageForm(
        data={"alt_text": "Ferries", "source_kind": "staff", "focal_x": 0.5, "focal_y": 0.5} | data,
        files={"file": SimpleUploadedFile("ferries.jpg", content)},
    )


def test_an_upload_queues_its_renditions_instead_of_making_them(
    queue, django_capture_on_commit_callbacks
):
    form = upload_form()
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        image = form.save()

    assert not Rendition.objects.exists()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "articles.media.renditions.make_renditions"
    assert queued.args_kwargs["args"] == [image.pk]


@pytest.mark.django_db(transaction=True)
def test_the_worker_makes_every_spec_once_the_upload_is_committed(queue):
    form = upload_form()
    assert form.is_valid(), form.errors
    image = form.save()  # autocommit: queued at once

    run_worker()

    made = set(Rendition.objects.filter(image=image).values_list("spec", flat=True))
    assert made == set(renditions.SPECS)
    assert renditions.ready_picture(image, "card") is not None


def test_a_reader_page_shows_the_original_while_renditions_are_queued(queue, client):
    image = stored(halves((1600, 900)), alt_text="Ferries at the quay")
    article = ArticleFactory(published=True, lead_image=image)
    BylineFactory(article=article)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        f'<img src="{image.file.url}" width="1600" height="900" alt="Ferries at the quay"' in html
    )
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert og_image.endswith(image.file.url)
    assert not Rendition.objects.exists()
    # Queued once, however many readers come before the worker does.
    assert renditions.ready_picture(image, "hero") is None
    assert DBTaskResult.objects.filter(args_kwargs__args=[image.pk]).count() == 1


def test_once_made_the_page_shows_the_responsive_renditions(queue, client):
    image = stored(halves((1600, 900)))
    article = ArticleFactory(published=True, lead_image=image)
    BylineFactory(article=article)
    for spec in renditions.SPECS:
        renditions.picture(image, spec)

    html = client.get(article.get_absolute_url()).content.decode()

    assert f'src="{image.file.url}"' not in html
    assert "/media/renditions/" in html and "srcset=" in html


def test_the_api_lists_only_renditions_already_made(queue):
    image = stored(halves((1000, 600)))
    assert renditions.describe(image) == []

    renditions.picture(image, "thumbnail")

    assert {d["spec"] for d in renditions.describe(image)} == {"thumbnail"}


def test_a_picture_whose_file_is_gone_still_leaves_the_page_up(queue, client):
    image = stored(halves())
    article = ArticleFactory(published=True, lead_image=image)
    BylineFactory(article=article)
    image.file.storage.delete(image.file.name)

    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_task_for_a_deleted_image_does_nothing():
    image = stored(halves())
    pk = image.pk
    Image.objects.filter(pk=pk).delete()

    assert renditions.make_renditions.call(pk) == 0


@pytest.mark.django_db(transaction=True)
def test_pages_cached_with_the_original_show_the_renditions_once_the_worker_made_them(
    queue, client, settings
):
    settings.PUBLIC_CACHE_SECONDS = 300
    image = stored(halves((1600, 900)))
    article = ArticleFactory(published=True, lead_image=image, section__slug="port")
    BylineFactory(article=article)
    urls = [article.get_absolute_url(), "/section/port/", "/"]
    for url in urls:
        assert f'src="{image.file.url}"' in client.get(url).content.decode()
        assert f'src="{image.file.url}"' in client.get(url).content.decode()  # now a hit

    run_worker()

    for url in urls:
        html = client.get(url).content.decode()
        assert f'src="{image.file.url}"' not in html, url
        assert "/media/renditions/" in html and "srcset=" in html, url
