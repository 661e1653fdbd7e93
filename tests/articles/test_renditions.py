import io
import logging
import os
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Prefetch
from django.template import Context, Template, TemplateSyntaxError
from PIL import ExifTags, ImageStat
from PIL import Image as PILImage

from articles import renditions
from articles.images import clean_upload
from articles.models import Image, Rendition

pytestmark = pytest.mark.django_db

EXTENSION = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def encoded(picture: PILImage.Image, fmt: str = "JPEG", **options) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def stored(picture: PILImage.Image, fmt: str = "JPEG", *, options=None, **fields) -> Image:
    """An image saved as code would save it (not through clean_upload)."""
    content = encoded(picture, fmt, **(options or {}))
    fields.setdefault("alt_text", "A test picture")
    return Image.objects.create(
        file=SimpleUploadedFile(f"picture.{EXTENSION[fmt]}", content), **fields
    )


def halves(size=(400, 200), left=(0, 0, 255), right=(255, 0, 0)) -> PILImage.Image:
    """Blue on the left, red on the right (by default)."""
    picture = PILImage.new("RGB", size, right)
    picture.paste(left, (0, 0, size[0] // 2, size[1]))
    return picture


def opened(rendition: Rendition) -> PILImage.Image:
    with rendition.file.open("rb") as file:
        picture = PILImage.open(io.BytesIO(file.read()))
        picture.load()
    return picture


def mean_rgb(picture: PILImage.Image) -> tuple[float, ...]:
    return tuple(ImageStat.Stat(picture.convert("RGB")).mean)


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


@pytest.mark.parametrize(("focal_x", "colour"), [(0.9, "red"), (0.1, "blue")])
def test_crops_keep_the_focal_point_in_frame(focal_x, colour):
    image = stored(halves((400, 200)), fmt="PNG", focal_x=focal_x)
    square = opened(renditions.get_rendition(image, "thumbnail", "png"))
    red, _green, blue = mean_rgb(square)
    if colour == "red":
        assert red > 240 and blue < 15
    else:
        assert blue > 240 and red < 15


def test_focal_point_near_the_edge_crops_at_the_edge():
    # A 16:9 crop of a tall image around y=0.0 starts at the top, never above it.
    box = renditions.crop_box((900, 1600), (16, 9), (0.5, 0.0))
    assert box == (0, 0, 900, 506.25)
    box = renditions.crop_box((900, 1600), (16, 9), (0.5, 1.0))
    assert box == (0, 1600 - 506.25, 900, 1600)


def test_picture_has_webp_and_a_jpeg_fallback_for_photos():
    picture = renditions.picture(stored(halves((1000, 600))), "card")
    assert [r.format for r in picture.webp] == ["webp"] * 4
    assert [r.format for r in picture.fallback] == ["jpeg"] * 4
    assert [r.width for r in picture.fallback] == [320, 480, 640, 960]
    assert picture.img.width == 960
    assert opened(picture.img).format == "JPEG"


def test_transparent_png_gets_a_png_fallback_that_keeps_its_transparency():
    logo = PILImage.new("RGBA", (300, 300), (0, 0, 0, 0))
    logo.paste((255, 0, 0, 255), (100, 100, 200, 200))
    picture = renditions.picture(stored(logo, fmt="PNG"), "thumbnail")
    fallback = opened(picture.img)
    assert fallback.format == "PNG"
    assert fallback.mode == "RGBA"
    assert fallback.getpixel((0, 0))[3] == 0
    assert opened(picture.webp[0]).mode == "RGBA"


def test_palette_gif_and_cmyk_jpeg_sources_make_rgb_renditions():
    gif = stored(halves((300, 300)).convert("P"), fmt="GIF")
    cmyk = stored(halves((300, 300)).convert("CMYK"), fmt="JPEG")
    assert opened(renditions.get_rendition(gif, "thumbnail", "png")).mode == "RGB"
    thumbnail = opened(renditions.get_rendition(cmyk, "thumbnail", "jpeg"))
    assert thumbnail.mode == "RGB"


def test_big_jpegs_are_decoded_at_a_reduced_scale(monkeypatch):
    image = stored(halves((4000, 3000)))
    asked = []
    real_draft = PILImage.Image.draft

    def draft(self, mode, size):
        asked.append(size)
        return real_draft(self, mode, size)

    monkeypatch.setattr("PIL.JpegImagePlugin.JpegImageFile.draft", draft)
    thumbnail = opened(renditions.get_rendition(image, "thumbnail", "jpeg"))

    # Twice the 160 px crop side is all the decoder is asked for, not 4000×3000.
    assert asked == [(427, 320)]
    assert thumbnail.size == (160, 160)
    assert mean_rgb(thumbnail)[0] > 100 and mean_rgb(thumbnail)[2] > 100  # both halves


# -- metadata ----------------------------------------------------------------------


def gps_jpeg(orientation: int = 1) -> bytes:
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Artist] = "Jane Private"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    return encoded(halves((400, 200)), "JPEG", exif=exif, comment=b"12 Private Road")


def test_renditions_carry_no_personal_metadata_even_from_an_unclean_original():
    image = Image.objects.create(file=SimpleUploadedFile("raw.jpg", gps_jpeg()), alt_text="x")
    for fmt in ("jpeg", "webp"):
        rendition = renditions.get_rendition(image, "card", fmt)
        with rendition.file.open("rb") as file:
            data = file.read()
        picture = opened(rendition)
        assert picture.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert b"Jane Private" not in data
        assert b"Private Road" not in data
        assert "comment" not in picture.info


def test_renditions_of_an_unclean_original_apply_its_orientation():
    # Orientation 6 turns 400×200 into 200×400 with the blue half on top.
    image = Image.objects.create(file=SimpleUploadedFile("raw.jpg", gps_jpeg(6)), alt_text="x")
    image.width, image.height = 200, 400  # as shown upright (the editor's view)
    hero = opened(renditions.get_rendition(image, "hero", "png"))
    assert hero.size == (200, 400)
    assert mean_rgb(hero.crop((0, 0, 200, 150)))[2] > 200
    assert mean_rgb(hero.crop((0, 250, 200, 400)))[0] > 200


@pytest.mark.parametrize("fmt", ["webp", "jpeg", "png"])
def test_ai_generated_images_carry_the_iptc_digital_source_type_in_every_rendition(fmt):
    image = stored(
        halves(),
        source_kind=Image.SourceKind.AI_GENERATED,
        credit="Generated with ImageModel 3",
        copyright="© Newsroom Media",
    )
    picture = opened(renditions.get_rendition(image, "card", fmt))
    xmp = picture.info.get("xmp") or picture.info.get("XML:com.adobe.xmp")
    xmp = xmp.decode() if isinstance(xmp, bytes) else xmp
    assert (
        'Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/'
        'trainedAlgorithmicMedia"' in xmp
    )
    assert 'photoshop:Credit="Generated with ImageModel 3"' in xmp
    assert "© Newsroom Media" in xmp


def test_photos_carry_digital_capture():
    picture = opened(renditions.get_rendition(stored(halves()), "card", "webp"))
    assert b"digitalsourcetype/digitalCapture" in picture.info["xmp"]


# -- made once, reused, remade when the image changes --------------------------------


def test_a_rendition_is_made_once_and_reused(monkeypatch, django_assert_num_queries):
    image = stored(halves((800, 600)))
    calls = []
    real_render = renditions._render
    monkeypatch.setattr(
        renditions, "_render", lambda *args: calls.append(args) or real_render(*args)
    )

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
        "articles.renditions.PILImage.open",
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
    real_render = renditions._render
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

    renditions._render = render
    try:
        threads = [threading.Thread(target=ask, args=(n,), name=n) for n in ("first", "second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        renditions._render = real_render
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


# -- the template tag ------------------------------------------------------------------


def render(template: str, **context) -> str:
    return Template("{% load images %}" + template).render(Context(context))


def test_picture_tag_renders_a_responsive_picture_with_its_size_and_credit():
    image = stored(
        halves((2000, 1000)),
        alt_text="Two halves, blue and red",
        caption="The flag of nowhere.",
        credit="Jane Doe/Agency",
    )
    html = render(
        '{% picture image "hero" sizes="(min-width: 48rem) 42rem, 100vw" loading="eager" %}',
        image=image,
    )
    picture = renditions.picture(image, "hero")
    webp = ", ".join(f"{r.file.url} {r.width}w" for r in picture.webp)
    assert '<source type="image/webp"' in html
    assert f'srcset="{webp}"' in html
    assert 'sizes="(min-width: 48rem) 42rem, 100vw"' in html
    assert [r.width for r in picture.webp] == [480, 768, 1024, 1360, 1680]
    assert f'src="{picture.img.file.url}"' in html
    assert 'width="1680" height="840"' in html
    assert 'alt="Two halves, blue and red"' in html
    assert 'loading="eager"' in html and 'fetchpriority="high"' in html
    assert '<span class="picture-caption">The flag of nowhere.</span>' in html
    assert '<span class="picture-credit">Jane Doe/Agency</span>' in html
    assert "AI-generated image" not in html


def test_picture_tag_is_lazy_by_default():
    html = render('{% picture image "card" %}', image=stored(halves()))
    assert 'loading="lazy"' in html
    assert "fetchpriority" not in html
    assert 'sizes="100vw"' in html


def test_ai_generated_picture_is_labelled_even_without_its_caption():
    image = stored(
        halves(),
        source_kind=Image.SourceKind.AI_GENERATED,
        caption="A city that does not exist.",
        credit="Illustration made with ImageModel 3",
    )
    html = render('{% picture image "card" caption=False %}', image=image)
    assert '<figcaption><strong class="picture-label">AI-generated image</strong>' in html
    assert "A city that does not exist." not in html
    html = render('{% picture image "card" %}', image=image)
    assert "AI-generated image" in html
    assert "A city that does not exist." in html


def test_picture_tag_escapes_what_editors_typed():
    image = stored(halves(), alt_text='"><script>x</script>', credit="<b>Agency</b>")
    html = render('{% picture image "thumbnail" %}', image=image)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;Agency&lt;/b&gt;" in html


def test_picture_tag_renders_nothing_for_no_image_or_an_unreadable_file(caplog):
    assert render('{% picture image "card" %}', image=None).strip() == ""
    image = stored(halves())
    image.file.storage.delete(image.file.name)
    with caplog.at_level(logging.ERROR, logger="newsroom.images"):
        assert render('{% picture image "card" %}', image=image).strip() == ""
    assert "Could not make the card renditions" in caplog.text


def test_picture_tag_refuses_unknown_specs_and_loading_values():
    image = stored(halves())
    with pytest.raises(TemplateSyntaxError, match="Unknown picture spec"):
        render('{% picture image "poster" %}', image=image)
    with pytest.raises(TemplateSyntaxError, match="loading"):
        render('{% picture image "card" loading="soon" %}', image=image)


def test_clean_upload_and_renditions_together_keep_a_portrait_upright():
    clean = clean_upload(SimpleUploadedFile("portrait.jpg", gps_jpeg(orientation=6)))
    image = Image.objects.create(file=clean.file, alt_text="x")
    assert (image.width, image.height) == (200, 400)
    hero = opened(renditions.get_rendition(image, "hero", "webp"))
    assert hero.size == (200, 400)
    assert mean_rgb(hero.crop((0, 0, 200, 150)))[2] > 200


def test_a_prefetch_narrowed_to_thumbnails_does_not_hide_other_renditions(monkeypatch):
    image = stored(halves((800, 600)))
    hero = renditions.get_rendition(image, "hero", "webp")
    thumbnails = Rendition.objects.filter(spec="thumbnail", format="webp")
    image = Image.objects.prefetch_related(Prefetch("renditions", queryset=thumbnails)).get()
    monkeypatch.setattr(renditions, "_render", lambda *args: pytest.fail("made it again"))
    assert renditions.get_rendition(image, "hero", "webp").pk == hero.pk
