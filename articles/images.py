"""Upload checks for images, done with Pillow before anything is stored."""

import warnings
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

# Pillow format names we accept, with the file name endings each may carry;
# SVG and everything else is refused.
EXTENSIONS = {
    "JPEG": (".jpg", ".jpeg"),
    "PNG": (".png",),
    "WEBP": (".webp",),
    "GIF": (".gif",),
}
ALLOWED_FORMATS = tuple(EXTENSIONS)
UNSUPPORTED_MESSAGE = "This is not a JPEG, PNG, WebP or GIF image."


def validate_image_file(upload) -> None:
    """Refuse anything that is not a real, whole, reasonably sized raster image.

    The pixel count is read from the header and checked before any pixel data
    is decoded, so a decompression bomb never reaches memory.
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
            with PILImage.open(upload, formats=ALLOWED_FORMATS) as image:
                width, height = image.size
                if width * height > settings.IMAGE_MAX_PIXELS:
                    raise ValidationError(
                        "This image is %(width)s×%(height)s pixels; the limit is "
                        "%(limit)s megapixels.",
                        code="too_many_pixels",
                        params={
                            "width": width,
                            "height": height,
                            "limit": settings.IMAGE_MAX_PIXELS // 1_000_000,
                        },
                    )
                if getattr(image, "is_animated", False):
                    raise ValidationError(
                        "Animated images are not accepted; upload a still image.",
                        code="animated",
                    )
                suffix = PurePath(upload.name or "").suffix.lower()
                if suffix not in EXTENSIONS[image.format]:
                    raise ValidationError(
                        "This file is named %(name)s but holds a %(format)s image; "
                        "rename it to end in %(suffix)s.",
                        code="extension_mismatch",
                        params={
                            "name": PurePath(upload.name or "").name,
                            "format": image.format,
                            "suffix": EXTENSIONS[image.format][0],
                        },
                    )
                image.load()  # decodes fully: truncated or corrupt data fails here
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise ValidationError(
            "This image has too many pixels to process safely.", code="too_many_pixels"
        ) from exc
    except UnidentifiedImageError as exc:
        raise ValidationError(UNSUPPORTED_MESSAGE, code="unsupported_format") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            "This image file is damaged or incomplete; export it again and re-upload.",
            code="corrupt",
        ) from exc
    finally:
        upload.seek(0)


class CheckedImageField(models.ImageField):
    """An ImageField whose uploads always pass ``validate_image_file``."""

    default_validators = [validate_image_file]

    def formfield(self, **kwargs):
        # Django's own form-level Pillow check runs first; give it our wording.
        messages = {"invalid_image": f"{UNSUPPORTED_MESSAGE} The file may also be damaged."}
        return super().formfield(**{"error_messages": messages, **kwargs})
