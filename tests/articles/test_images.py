import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from articles.images import validate_image_file
from articles.models import Image

pytestmark = pytest.mark.django_db


def raster(fmt: str, size=(40, 30), **save_kwargs) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt, **save_kwargs)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height`` pixels: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


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
    assert "not a JPEG, PNG, WebP or GIF" in refusal("logo.svg", svg)


def test_text_file_named_like_a_jpeg_is_refused():
    assert "not a JPEG, PNG, WebP or GIF" in refusal("photo.jpg", b"just some text")


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
