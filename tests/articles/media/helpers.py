"""Pictures and image files for the media tests: made in memory, stored, reopened."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, ImageCms, ImageStat
from PIL import Image as PILImage

from articles.models import Image, Rendition

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


def jpeg_with_metadata(size=(40, 30), orientation: int = 1) -> bytes:
    """A JPEG carrying what phones and cameras write: GPS, serial number, owner, XMP, comment."""
    picture = PILImage.new("RGB", size, (200, 30, 30))
    # The left quarter blue, so rotation can be checked on the pixels.
    picture.paste((30, 30, 200), (0, 0, size[0] // 4, size[1]))
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "Phonemaker"
    exif[ExifTags.Base.Model] = "Phone 15"
    exif[ExifTags.Base.Artist] = "Jane Private"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = "SN-123456"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>Jane Private home</rdf:RDF></x:xmpmeta>'
    buffer = io.BytesIO()
    picture.save(
        buffer,
        format="JPEG",
        quality=90,
        exif=exif,
        xmp=xmp,
        comment=b"shot at 12 Private Road",
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )
    return buffer.getvalue()


def stored_files(settings) -> list:
    media = settings.MEDIA_ROOT
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
