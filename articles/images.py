"""Image uploads: the checks every file passes, and the clean copy that is stored.

A shared rule, like ``sanitize`` for HTML: the model field itself enforces it
(``CheckedImageField``), so it sits below the models and imports none of them.
Renditions of stored images are ``articles.media``.

Everything is done with Pillow, and Pillow only ever opens an upload with a
``formats=`` allow-list, so no other decoder sees it. The pixel count is read
from the header and checked before any pixel data is decoded, so a
decompression bomb never reaches memory.

``clean_upload()`` is what the admin (and any other way in) calls with a new
file: it checks it, applies the EXIF orientation to the pixels and re-encodes
it keeping only the colour profile, so GPS positions, camera serial numbers,
owner names, XMP and comments are never stored and never reach readers.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import models
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError, features
from PIL.JpegImagePlugin import get_sampling

# Pillow format names we accept, with the file name endings each may carry;
# SVG and everything else is refused. AVIF only where this Pillow decodes it.
EXTENSIONS = {
    "JPEG": (".jpg", ".jpeg"),
    "PNG": (".png",),
    "WEBP": (".webp",),
    "GIF": (".gif",),
}
if features.check("avif"):
    EXTENSIONS["AVIF"] = (".avif",)
ALLOWED_FORMATS = tuple(EXTENSIONS)
MIME_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "AVIF": "image/avif",
}
_NAMES = {"WEBP": "WebP"}
_listed = [_NAMES.get(name, name) for name in ALLOWED_FORMATS]
UNSUPPORTED_MESSAGE = f"This is not a {', '.join(_listed[:-1])} or {_listed[-1]} image."

# What generative-AI tools write into a file's XMP or C2PA manifest (the IPTC digital
# source types trainedAlgorithmicMedia and compositeWithTrainedAlgorithmicMedia, and
# schema.org's TrainedAlgorithmicMediaDigitalSource).
_AI_MARKERS = (b"trainedAlgorithmicMedia", b"TrainedAlgorithmicMedia")

ORIGINAL_NAME_LENGTH = 255  # Image.original_name's max_length


def _open_checked(upload, *, full_size: bool) -> PILImage.Image:
    """``upload`` opened with Pillow and decoded, after every check; the caller closes it.

    Raises ValidationError with the editor's wording for each way an upload can be wrong.
    ``full_size=False`` lets a JPEG decode at 1/8 scale: every byte of the entropy-coded
    data is still read, so truncation and corruption are still caught, at 1/64 the memory.
    """
    if upload.size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            "This file is %(size)s; images may be at most %(limit)s.",
            code="file_too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.IMAGE_MAX_BYTES),
            },
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            # Leaving the ``with`` lets go of the upload without closing it (close() would).
            with PILImage.open(upload, formats=ALLOWED_FORMATS) as image:
                _check_header(image, upload.name)
                if not full_size:
                    image.draft(None, (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()  # decodes: truncated or corrupt data fails here
                return image
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise ValidationError(
            "This image has too many pixels to process safely.", code="too_many_pixels"
        ) from exc
    except UnidentifiedImageError as exc:
        raise ValidationError(UNSUPPORTED_MESSAGE, code="unsupported_format") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError(
            "This image file is damaged or incomplete; export it again and re-upload.",
            code="corrupt",
        ) from exc
    finally:
        upload.seek(0)


def _check_header(image: PILImage.Image, name: str | None) -> None:
    """Checks that need only the header: pixel count, animation, name matching content."""
    width, height = image.size
    if width * height > (limit := pixel_limit(image.format, image.mode)):
        raise ValidationError(
            "This image is %(width)s×%(height)s pixels (%(megapixels)s megapixels); the "
            "limit is %(limit)s megapixels%(kind)s. Save a smaller copy and upload that.",
            code="too_many_pixels",
            params={
                "width": width,
                "height": height,
                "megapixels": f"{width * height / 1e6:.1f}",
                "limit": f"{limit / 1e6:.3g}",
                "kind": "" if limit == settings.IMAGE_MAX_PIXELS else f" for {_kind(image)}",
            },
        )
    if getattr(image, "is_animated", False):
        raise ValidationError(
            "Animated images are not accepted; upload a still image.", code="animated"
        )
    suffix = PurePath(name or "").suffix.lower()
    if suffix not in EXTENSIONS[image.format]:
        raise ValidationError(
            "This file is named %(name)s but holds a %(format)s image; "
            "rename it to end in %(suffix)s.",
            code="extension_mismatch",
            params={
                "name": PurePath(name or "").name,
                "format": _NAMES.get(image.format, image.format),
                "suffix": EXTENSIONS[image.format][0],
            },
        )


# Peak memory a worker spends per pixel of an upload, in the request or in the rendition
# task, as bench/images.py measures it: up to 8 bytes for most (a JPEG turned upright is
# held twice), about 11 for 16-bit images (renditions widen them to 32 bits) and 21 for
# WebP (Pillow decodes it through libwebp's animation decoder, which holds the picture
# three times over). The last two leave room for the ~20 MB the content credentials'
# signing library adds to a worker. IMAGE_MAX_PIXELS is the limit for the first kind;
# the costlier kinds get the same memory, so fewer pixels.
_BYTES_PER_PIXEL = 8
_WEBP_BYTES_PER_PIXEL = 21
_DEEP_BYTES_PER_PIXEL = 11


def pixel_limit(fmt: str, mode: str) -> int:
    """The most pixels an image of this format and mode may have (``IMAGE_MAX_PIXELS`` for most)."""
    if fmt == "WEBP":
        cost = _WEBP_BYTES_PER_PIXEL
    elif mode.startswith(("I", "F")):  # 16- and 32-bit greys
        cost = _DEEP_BYTES_PER_PIXEL
    else:
        cost = _BYTES_PER_PIXEL
    return settings.IMAGE_MAX_PIXELS * _BYTES_PER_PIXEL // cost


def _kind(image: PILImage.Image) -> str:
    return "WebP images" if image.format == "WEBP" else "16-bit images"


def validate_image_file(upload) -> None:
    """Refuse anything that is not a real, whole, reasonably sized raster image."""
    if isinstance(upload, FieldFile) and upload._committed:
        # Already stored, so checked when it arrived: editing a caption must not
        # fetch and decode the original from storage again.
        return
    if isinstance(upload.file if isinstance(upload, FieldFile) else upload, CleanFile):
        return  # clean_upload's copy, checked as it was made: one decode per upload
    with _open_checked(upload, full_size=False):
        pass


class CleanFile(File):
    """The copy ``clean_upload`` made: checked as it was made, so not decoded again."""


@dataclass(frozen=True)
class CleanUpload:
    """An upload that passed every check, re-encoded upright without personal metadata."""

    # Named as the uploader named it (``Image.original_name``); stored under a new name.
    file: CleanFile
    format: str
    width: int
    height: int
    sha256: str
    # The file's own metadata says generative AI made it (IPTC/C2PA digital source type).
    declares_ai: bool


def clean_upload(upload) -> CleanUpload:
    """Check ``upload`` and return the copy to store: upright, colour profile kept, nothing else.

    Raises ValidationError as ``validate_image_file`` does. The SHA-256 is of the clean
    copy, which is what ``Image.sha256`` records, so the same upload twice has the same hash.
    """
    declares_ai = _declares_ai(upload)
    with _open_checked(upload, full_size=True) as image:
        buffer = _encode_upright(image)
        fmt, (width, height) = image.format, image.size
    return CleanUpload(
        # Never empty: an unnamed File is falsy, and would not count as a new file.
        file=CleanFile(buffer, name=original_name(upload.name) or "image"),
        format=fmt,
        width=width,
        height=height,
        sha256=hashlib.sha256(buffer.getbuffer()).hexdigest(),
        declares_ai=declares_ai,
    )


def original_name(name: str | None) -> str:
    """The name an upload came with, as an editor may see it: no folders, nothing unprintable."""
    name = PurePath(name or "").name
    return "".join(char for char in name if char.isprintable())[-ORIGINAL_NAME_LENGTH:]


def stored_name(fmt: str, name: str) -> str:
    """A new file's name in storage: images/<year>/<month>/<random>.<extension>.

    Never the uploader's name (``original_name`` keeps that): a name says nothing about
    who sent the file, cannot collide with another upload's, and cannot be guessed.
    """
    if fmt in EXTENSIONS:
        extension = EXTENSIONS[fmt][0]
    else:
        suffix = PurePath(name).suffix.lower()
        extension = suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ""
    return f"images/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{extension}"


def _declares_ai(upload) -> bool:
    """Whether the file's own metadata (XMP, a C2PA manifest) says generative AI made it.

    Read in chunks, so a 20 MB upload is not held in memory twice beside its pixels.
    """
    overlap = max(len(marker) for marker in _AI_MARKERS)
    tail = b""
    try:
        for chunk in upload.chunks():
            window = tail + chunk
            if any(marker in window for marker in _AI_MARKERS):
                return True
            tail = window[-overlap:]
    finally:
        upload.seek(0)
    return False


def _encode_upright(image: PILImage.Image) -> io.BytesIO:
    """``image`` in its own format, EXIF orientation applied, only the ICC profile kept."""
    fmt = image.format
    options: dict = {}
    if icc := image.info.get("icc_profile"):
        options["icc_profile"] = icc
    if fmt == "JPEG":
        # The upload's own quantisation tables and chroma subsampling: re-encoding at
        # the quality it was saved with, not at some new setting, adds no visible loss.
        options["qtables"] = image.quantization
        if (sampling := get_sampling(image)) != -1:
            options["subsampling"] = sampling
    elif fmt in ("WEBP", "AVIF"):
        options["quality"] = 90
    ImageOps.exif_transpose(image, in_place=True)
    # Some of Pillow's encoders copy metadata (comments, XMP) from ``info``; keep
    # only what the pixels need.
    image.info = {key: image.info[key] for key in ("transparency",) if key in image.info}
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    buffer.seek(0)
    return buffer


def file_facts(file) -> tuple[str, int, str]:
    """Pillow format name, size in bytes and SHA-256 of an image file (pixels not decoded)."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    try:
        with PILImage.open(file, formats=ALLOWED_FORMATS) as image:
            fmt = image.format
    except (OSError, UnidentifiedImageError):
        fmt = ""
    finally:
        file.seek(0)
    return fmt, file.size, digest.hexdigest()


class CheckedImageFormField(forms.FileField):
    """A file input for images; the model field's validator does the checking.

    Django's own image form field opens uploads with every Pillow decoder there is,
    before our allow-list could refuse them; this one leaves Pillow to the validator.
    """

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ",".join(MIME_TYPES[name] for name in ALLOWED_FORMATS)
        return attrs


class CheckedImageField(models.ImageField):
    """An ImageField whose uploads always pass ``validate_image_file``."""

    default_validators = [validate_image_file]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedImageFormField, **kwargs})
