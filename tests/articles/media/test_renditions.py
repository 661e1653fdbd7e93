"""Renditions: the spec ladder, made once and reused, remade when stale, and two at once."""

import os
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Prefetch
from PIL import Image as PILImage

from articles.media import pixels, renditions
from articles.models import Image, Rendition
from tests.articles.media.helpers import encoded, halves, mean_rgb, opened, stored

pytestmark = pytest.mark.django_db


def rendition_files(settings) -> list:
    root = settings.MEDIA_ROOT / "renditions"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# -- what is made ---------------------------------------------------------------------


def test_ladder_never_makes_a_rendition_wider_than_the_crop():
    image = stored(halves((500, 300)))
    # 16:9 inside 500×300 is 500×281: 640 and 960 would only be upscaled copies.
    assert renditions.ladder(image, "card") == [(320, 180), (480, 270), (500, 281)]
    assert renditions.ladder(image, "hero") == [(480, 288), (500, 300)]


def test_each_spec_has_its_shape(settings):
    image = stored(halves((2400, 1600)))
    social = renditions.get_rendition(image, "social", "jpeg")
    thumbnail = renditions.get_rendition(image, "thumbnail", "webp")
    card = renditions.get_rendition(image, "card", "webp")
    hero = renditions.get_rendition(image, "hero", "webp", width=700)

    assert (social.width, social.height) == opened(social).size == (1200, 630)
    assert opened(social).format == "JPEG"
    assert (thumbnail.width, thumbnail.height) == opened(thumbnail).size == (160, 160)
    assert (card.width, card.height) == opened(card).size == (960, 540)
    assert opened(card).format == "WEBP"
    # The narrowest ladder width that is at least what was asked for; uncropped 3:2.
    assert (hero.width, hero.height) == opened(hero).size == (768, 512)


def test_picture_has_webp_and_a_jpeg_fallback_for_photos():
    picture = renditions.picture(stored(halves((1000, 600))), "card")
    assert [r.format for r in picture.webp] == ["webp"] * 4
    assert [r.format for r in picture.fallback] == ["jpeg"] * 4
    assert [r.width for r in picture.fallback] == [320, 480, 640, 960]
    assert picture.img.width == 960
    assert opened(picture.img).format == "JPEG"


# -- made once, reused, remade when the image changes --------------------------------


def test_a_rendition_is_made_once_and_reused(monkeypatch, django_assert_num_queries):
    image = stored(halves((800, 600)))
    calls = []
    real_render = pixels.render
    monkeypatch.setattr(pixels, "render", lambda *args: calls.append(args) or real_render(*args))

    first = renditions.get_rendition(image, "card", "webp")
    written = os.stat(first.file.path).st_mtime_ns
    with django_assert_num_queries(1):  # the renditions of this image and spec
        second = renditions.get_rendition(image, "card", "webp")

    assert second.pk == first.pk
    assert second.file.name == first.file.name
    assert len(calls) == 1
    assert os.stat(second.file.path).st_mtime_ns == written
    assert Rendition.objects.count() == 1


def test_the_whole_spec_is_made_from_one_decode(monkeypatch):
    image = stored(halves((1200, 800)))
    opens = []
    real_open = PILImage.open
    monkeypatch.setattr(
        "articles.media.pixels.PILImage.open",
        lambda *args, **kwargs: opens.append(args) or real_open(*args, **kwargs),
    )
    renditions.picture(image, "card")
    assert len(opens) == 1
    assert Rendition.objects.count() == 8  # four widths, two formats


def test_a_changed_image_gets_new_renditions_and_the_old_ones_go(
    settings, django_capture_on_commit_callbacks
):
    image = stored(halves((800, 600)))
    old = renditions.get_rendition(image, "thumbnail", "png")
    assert mean_rgb(opened(old))[2] > 100  # half blue

    image.file = SimpleUploadedFile("green.png", encoded(PILImage.new("RGB", (800, 600), "green")))
    image.save()
    with django_capture_on_commit_callbacks(execute=True):
        new = renditions.get_rendition(image, "thumbnail", "png")

    assert new.pk != old.pk
    red, green, blue = mean_rgb(opened(new))
    assert green > 100 and red < 10 and blue < 10
    assert list(Rendition.objects.all()) == [new]
    assert rendition_files(settings) == [settings.MEDIA_ROOT / new.file.name]


@pytest.mark.parametrize(
    "change",
    [
        {"focal_x": 0.9},
        {"source_kind": Image.SourceKind.AI_GENERATED},
        {"credit": "Reuters"},
        {"copyright": "CC BY 4.0"},
    ],
)
def test_crop_and_metadata_changes_make_renditions_stale(
    change, django_capture_on_commit_callbacks
):
    image = stored(halves((800, 600)))
    old = renditions.get_rendition(image, "card", "webp")
    for field, value in change.items():
        setattr(image, field, value)
    image.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert renditions.delete_stale(image) == 1
    new = renditions.get_rendition(image, "card", "webp")
    assert new.file.name != old.file.name
    assert not old.file.storage.exists(old.file.name)


def test_alt_text_and_caption_changes_keep_renditions():
    image = stored(halves((800, 600)))
    old = renditions.get_rendition(image, "card", "webp")
    image.alt_text, image.caption = "Another description", "Another caption"
    image.save()
    assert renditions.get_rendition(image, "card", "webp").pk == old.pk


def test_an_image_whose_file_is_gone_raises_rendition_error_and_stores_nothing():
    image = stored(halves())
    image.file.storage.delete(image.file.name)
    with pytest.raises(renditions.RenditionError):
        renditions.get_rendition(image, "card", "webp")
    assert not Rendition.objects.exists()


def test_describe_lists_every_rendition_with_its_size_for_the_api():
    image = stored(halves((1000, 600)))
    described = renditions.describe(image, ("thumbnail", "social"))
    assert [(d["spec"], d["format"], d["width"], d["height"]) for d in described] == [
        ("thumbnail", "webp", 160, 160),
        ("thumbnail", "jpeg", 160, 160),
        ("social", "webp", 1000, 525),
        ("social", "jpeg", 1000, 525),
    ]
    assert described[0]["mime_type"] == "image/webp"
    assert described[0]["url"].startswith("/media/renditions/")


# -- two requests at once --------------------------------------------------------------


def race(image_pk: int, *, in_turn: bool):
    """Two threads ask for the same new rendition after both found it missing and made it.

    ``in_turn`` lets the first insert land before the second tries (SQLite has one
    writer at a time and fails rather than waits on its shared in-memory test database).
    """
    both_made_it = threading.Barrier(2, timeout=10)
    first_done = threading.Event()
    real_render = pixels.render
    results: dict[str, Rendition] = {}
    errors: list[BaseException] = []

    def render(*args):
        made = real_render(*args)
        both_made_it.wait()
        if in_turn and threading.current_thread().name == "second":
            first_done.wait(timeout=10)
        return made

    def ask(name: str) -> None:
        try:
            results[name] = renditions.get_rendition(Image.objects.get(pk=image_pk), "card", "webp")
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            if name == "first":
                first_done.set()
            connection.close()

    pixels.render = render
    try:
        threads = [threading.Thread(target=ask, args=(n,), name=n) for n in ("first", "second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        pixels.render = real_render
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_requests_for_the_same_new_rendition_store_it_once(settings):
    image = stored(halves((800, 600)))
    results, errors = race(image.pk, in_turn=connection.vendor == "sqlite")

    assert errors == []
    assert results["first"].pk == results["second"].pk
    assert Rendition.objects.count() == 1
    # The loser's file was deleted; only the stored rendition's remains.
    assert rendition_files(settings) == [settings.MEDIA_ROOT / results["first"].file.name]


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="truly simultaneous inserts need PostgreSQL; CI runs this on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_for_a_new_rendition_store_it_once(settings):
    image = stored(halves((800, 600)))
    results, errors = race(image.pk, in_turn=False)

    assert errors == []
    assert results["first"].pk == results["second"].pk
    assert Rendition.objects.count() == 1
    assert rendition_files(settings) == [settings.MEDIA_ROOT / results["first"].file.name]


def test_a_prefetch_narrowed_to_thumbnails_does_not_hide_other_renditions(monkeypatch):
    image = stored(halves((800, 600)))
    hero = renditions.get_rendition(image, "hero", "webp")
    thumbnails = Rendition.objects.filter(spec="thumbnail", format="webp")
    image = Image.objects.prefetch_related(Prefetch("renditions", queryset=thumbnails)).get()
    monkeypatch.setattr(pixels, "render", lambda *args: pytest.fail("made it again"))
    assert renditions.get_rendition(image, "hero", "webp").pk == hero.pk
