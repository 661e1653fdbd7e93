"""Image upload checks (articles/images.py): what is refused, and the clean stored copy."""

import hashlib
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save
from PIL import ExifTags, features
from PIL import Image as PILImage
from PIL.JpegImagePlugin import JpegImageFile

from articles.images import (
    UNSUPPORTED_MESSAGE,
    clean_upload,
    original_name,
    validate_image_file,
)
from articles.models import Image
from tests.articles.media.helpers import (
    jpeg_with_metadata,
    png_header_only,
    raster,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(upload(name, content))
    return " ".join(excinfo.value.messages)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("photo.jpg", "JPEG"),
        ("photo.jpeg", "JPEG"),
        ("chart.png", "PNG"),
        ("a.webp", "WEBP"),
        ("still.gif", "GIF"),
        pytest.param(
            "photo.avif",
            "AVIF",
            marks=pytest.mark.skipif(not features.check("avif"), reason="no AVIF in this Pillow"),
        ),
    ],
)
def test_real_images_of_allowed_formats_are_accepted_and_measured(name, fmt):
    image = Image(file=upload(name, raster(fmt)), alt_text="A red square")
    image.full_clean()
    image.save()
    image.refresh_from_db()
    assert (image.width, image.height) == (40, 30)


def test_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert (
        refusal("logo.svg", svg)
        == UNSUPPORTED_MESSAGE
        == (
            "This is not a JPEG, PNG, WebP, GIF or AVIF image."
            if features.check("avif")
            else "This is not a JPEG, PNG, WebP or GIF image."
        )
    )


def test_text_file_named_like_a_jpeg_is_refused():
    assert refusal("photo.jpg", b"just some text") == UNSUPPORTED_MESSAGE


def test_png_renamed_jpg_is_refused_with_the_right_name_suggested():
    message = refusal("photo.jpg", raster("PNG"))
    assert "holds a PNG image" in message
    assert ".png" in message


def test_truncated_image_is_refused():
    data = raster("JPEG", size=(400, 300), quality=95)
    assert "damaged or incomplete" in refusal("photo.jpg", data[: len(data) // 2])


def test_animated_gif_is_refused():
    buffer = io.BytesIO()
    frames = [PILImage.new("RGB", (10, 10), colour) for colour in ("red", "blue")]
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    assert "Animated images" in refusal("anim.gif", buffer.getvalue())


def test_file_over_the_size_limit_is_refused(settings):
    settings.IMAGE_MAX_BYTES = 1000
    assert "at most 1000" in refusal("big.png", raster("PNG", size=(400, 400))).replace("\xa0", " ")


def test_too_many_pixels_is_refused_before_decoding(settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    message = refusal("wide.png", png_header_only(5000, 5000))
    assert "5000×5000 pixels" in message


def test_checking_a_jpeg_decodes_it_at_an_eighth_of_its_size(monkeypatch):
    # The check reads every byte of the picture data, at 1/64 of the memory.
    decoded = []
    real_load = JpegImageFile.load

    def load(image):
        pixels = real_load(image)
        decoded.append(image.size)
        return pixels

    monkeypatch.setattr(JpegImageFile, "load", load)
    validate_image_file(upload("photo.jpg", raster("JPEG", size=(1600, 1200))))
    assert decoded == [(200, 150)]


def test_webp_and_16_bit_images_may_have_fewer_pixels_as_they_cost_more_memory(settings):
    # Decoding them takes about twice the memory a pixel (bench/images.py measures it).
    settings.IMAGE_MAX_PIXELS = 90_000
    validate_image_file(upload("photo.png", raster("PNG", size=(300, 300))))
    validate_image_file(upload("photo.webp", raster("WEBP", size=(180, 180))))
    message = refusal("photo.webp", raster("WEBP", size=(200, 200)))
    assert "the limit is 0.0343 megapixels for WebP images" in message
    buffer = io.BytesIO()
    PILImage.new("I;16", (300, 300), 3000).save(buffer, format="PNG")
    assert "for 16-bit images" in refusal("scan.png", buffer.getvalue())


def test_decompression_bomb_is_refused():
    message = refusal("bomb.png", png_header_only(100_000, 100_000))
    assert "pixels" in message


def test_refused_upload_stores_nothing(settings, tmp_path):
    image = Image(file=upload("photo.jpg", raster("PNG")), alt_text="x")
    with pytest.raises(ValidationError):
        image.full_clean()
    assert Image.objects.count() == 0
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(media.rglob("*.*"))


def test_refused_kinds_have_their_own_messages_and_never_raise_anything_else(settings):
    # Each refusal is a ValidationError with a clear message: never a 500.
    settings.IMAGE_MAX_PIXELS = 1_000_000
    cases = {
        "bomb.png": png_header_only(100_000, 100_000),
        "wide.png": png_header_only(5000, 5000),
        "logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        "photo.jpg": raster("PNG"),
        "half.jpg": raster("JPEG", size=(400, 300))[:300],
        "empty.png": b"",
    }
    codes = {}
    for name, content in cases.items():
        with pytest.raises(ValidationError) as excinfo:
            validate_image_file(upload(name, content))
        codes[name] = excinfo.value.code
    assert codes == {
        "bomb.png": "too_many_pixels",
        "wide.png": "too_many_pixels",
        "logo.svg": "unsupported_format",
        "photo.jpg": "extension_mismatch",
        "half.jpg": "corrupt",
        "empty.png": "unsupported_format",
    }


def test_png_with_a_broken_compressed_stream_is_refused():
    buffer = io.BytesIO()
    PILImage.effect_noise((64, 64), 50).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    start = data.find(b"IDAT") + 40
    data[start : start + 20] = bytes(20)
    assert "damaged or incomplete" in refusal("noise.png", bytes(data))


# -- the stored copy: upright, without personal metadata ----------------------------------


def test_jpeg_with_metadata_fixture_really_carries_gps():
    with PILImage.open(io.BytesIO(jpeg_with_metadata())) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert b"Private Road" in original.info["comment"]


def test_stored_copy_has_no_gps_or_other_personal_metadata_but_keeps_its_colour_profile():
    clean = clean_upload(upload("holiday.jpg", jpeg_with_metadata()))
    data = clean.file.read()

    with PILImage.open(io.BytesIO(data)) as stored:
        exif = stored.getexif()
        assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert len(exif) == 0
        assert "xmp" not in stored.info
        assert "comment" not in stored.info
        assert stored.info["icc_profile"]
        assert stored.size == (40, 30)
    for secret in (b"Jane Private", b"SN-123456", b"Phonemaker", b"Private Road", b"Exif\x00"):
        assert secret not in data
    assert clean.format == "JPEG"
    assert clean.sha256 == hashlib.sha256(data).hexdigest()


def test_exif_orientation_is_applied_to_the_stored_pixels():
    # Orientation 6: the camera was turned a quarter clockwise; viewers rotate to show it.
    clean = clean_upload(upload("portrait.jpg", jpeg_with_metadata(size=(40, 30), orientation=6)))
    image = Image(file=clean.file, alt_text="A portrait")
    image.full_clean()
    image.save()
    image.refresh_from_db()

    assert (image.width, image.height) == (30, 40)
    with image.file.open("rb"), PILImage.open(image.file) as stored:
        assert stored.getexif().get(ExifTags.Base.Orientation) is None
        # The blue left quarter is now the top quarter.
        r, _g, b = stored.convert("RGB").getpixel((15, 3))
        assert b > 150 and r < 100
        r, _g, b = stored.convert("RGB").getpixel((15, 36))
        assert r > 150 and b < 100


@pytest.mark.parametrize(
    ("name", "fmt", "mode"),
    [("still.gif", "GIF", "P"), ("alpha.png", "PNG", "RGBA"), ("a.webp", "WEBP", "RGB")],
)
def test_other_formats_are_stored_in_their_own_format(name, fmt, mode):
    buffer = io.BytesIO()
    if mode == "P":
        picture = PILImage.new("P", (20, 10), 0)
        picture.putpalette([255, 0, 0, 0, 255, 0])
        picture.paste(1, (0, 0, 10, 10))
        picture.save(buffer, format=fmt, transparency=1, comment=b"made by someone")
    else:
        PILImage.new("RGBA", (20, 10), (10, 200, 10, 128)).convert(mode).save(buffer, format=fmt)
    clean = clean_upload(upload(name, buffer.getvalue()))
    with PILImage.open(clean.file) as stored:
        assert stored.format == fmt
        assert stored.size == (20, 10)
        assert "comment" not in stored.info
        if mode == "P":
            assert "transparency" in stored.info
        if mode == "RGBA":
            assert stored.mode == "RGBA"


def test_clean_upload_refuses_what_validation_refuses():
    with pytest.raises(ValidationError) as excinfo:
        clean_upload(upload("photo.jpg", raster("PNG")))
    assert excinfo.value.code == "extension_mismatch"


def test_the_same_upload_twice_has_the_same_hash():
    first = clean_upload(upload("a.jpg", jpeg_with_metadata()))
    second = clean_upload(upload("b.jpg", jpeg_with_metadata()))
    assert first.sha256 == second.sha256
    other = clean_upload(upload("c.jpg", raster("JPEG")))
    assert other.sha256 != first.sha256


def test_files_that_declare_generative_ai_are_noticed():
    ai_xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
        b'Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/'
        b'trainedAlgorithmicMedia"/></rdf:RDF></x:xmpmeta>'
    )
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 10), "white").save(buffer, format="JPEG", xmp=ai_xmp)
    assert clean_upload(upload("ai.jpg", buffer.getvalue())).declares_ai
    assert not clean_upload(upload("photo.jpg", jpeg_with_metadata())).declares_ai


def test_saving_records_format_size_and_hash_of_the_stored_file():
    content = raster("PNG")
    image = Image(file=upload("red.png", content), alt_text="A red square")
    image.save()
    image.refresh_from_db()
    assert image.format == "PNG"
    assert image.bytes == len(content)
    assert image.sha256 == hashlib.sha256(content).hexdigest()


def test_the_database_refuses_the_same_file_twice_and_keeps_no_copy_of_the_second(settings):
    first = Image.objects.create(file=upload("a.png", raster("PNG")))
    with pytest.raises(IntegrityError), transaction.atomic():
        Image.objects.create(file=upload("b.png", raster("PNG")))
    assert stored_files(settings) == [settings.MEDIA_ROOT / first.file.name]


class DiskFull(Exception):
    pass


def test_a_failure_after_the_file_was_stored_leaves_no_file(settings):
    def fail(**kwargs):
        raise DiskFull

    post_save.connect(fail, sender=Image, dispatch_uid="test-disk-full")
    try:
        with pytest.raises(DiskFull):
            Image.objects.create(file=upload("red.png", raster("PNG")))
    finally:
        post_save.disconnect(sender=Image, dispatch_uid="test-disk-full")
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_a_new_file_is_stored_under_a_generated_name_and_keeps_its_own_as_original_name():
    image = Image.objects.create(file=upload("Holiday at Jane's.PNG", raster("PNG")))
    assert re.fullmatch(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.png", image.file.name)
    assert image.original_name == "Holiday at Jane's.PNG"
    assert str(image) == "Holiday at Jane's.PNG"  # with no caption or alt text yet


def test_an_original_name_keeps_no_folders_or_unprintable_characters():
    assert original_name("../../etc/pa\x00ss\x0bwd.png") == "passwd.png"
    assert len(original_name("a" * 300 + ".png")) == 255


def test_editing_a_stored_image_does_not_decode_its_file_again(monkeypatch):
    image = Image.objects.create(file=upload("red.png", raster("PNG")), alt_text="x")
    image = Image.objects.get(pk=image.pk)
    opened = []
    monkeypatch.setattr("articles.images._open_checked", lambda *a, **kw: opened.append(a))
    image.caption = "A new caption"
    image.full_clean()
    assert opened == []


@pytest.mark.parametrize(
    ("kind", "term", "label"),
    [
        (Image.SourceKind.STAFF, "digitalCapture", ""),
        (Image.SourceKind.AGENCY, "digitalCapture", ""),
        (Image.SourceKind.HANDOUT, "digitalCapture", ""),
        (Image.SourceKind.AI_GENERATED, "trainedAlgorithmicMedia", "AI-generated image"),
    ],
)
def test_source_kind_gives_iptc_digital_source_type_and_reader_label(kind, term, label):
    image = Image(source_kind=kind)
    assert image.digital_source_type == ("http://cv.iptc.org/newscodes/digitalsourcetype/" + term)
    assert image.reader_label == label


def test_focal_point_outside_the_image_is_refused():
    image = Image(file=upload("red.png", raster("PNG")), focal_x=1.5, alt_text="x")
    with pytest.raises(ValidationError) as excinfo:
        image.full_clean()
    assert "focal_x" in excinfo.value.message_dict
    image = Image.objects.create(file=upload("red.png", raster("PNG")))
    with pytest.raises(IntegrityError), transaction.atomic():
        Image.objects.filter(pk=image.pk).update(focal_y=-0.1)
