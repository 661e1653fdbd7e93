"""The pixel work behind renditions: one decode of the original, focal-point crops,
resizing, colour handling and encoding with the XMP every rendition carries.

Pillow opens the stored file only with the upload allow-list's formats. JPEGs are
decoded at the smallest DCT scale (``draft``) that still leaves twice the output
size, which keeps big photos fast and memory-light.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from PIL import ExifTags, ImageCms, ImageOps
from PIL import Image as PILImage
from PIL.PngImagePlugin import PngInfo

from articles import images
from articles.models import Image


class RenditionError(Exception):
    """The image's file could not be read or decoded; nothing was stored."""


@dataclass(frozen=True)
class Format:
    pillow: str
    mime: str
    extension: str
    options: dict


FORMATS: dict[str, Format] = {
    "webp": Format("WEBP", "image/webp", "webp", {"quality": 80, "method": 4}),
    "jpeg": Format("JPEG", "image/jpeg", "jpg", {"quality": 82, "progressive": True}),
    "png": Format("PNG", "image/png", "png", {}),
}

# Decode at no less than this many times the output size before the final resize, and
# let Pillow's resize reduce() by whole factors down to this gap: both are the settings
# Pillow's own thumbnail() uses, with a result indistinguishable from a full-size resize.
DRAFT_MARGIN = 2.0
REDUCING_GAP = 3.0
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height


def crop_box(
    size: tuple[int, int], ratio: tuple[int, int] | None, focal: tuple[float, float]
) -> tuple[float, float, float, float]:
    """The largest box of ``ratio`` inside ``size``, centred on ``focal`` as far as it fits."""
    width, height = size
    if ratio is None:
        return (0, 0, width, height)
    target = ratio[0] / ratio[1]
    if width / height > target:
        crop_w, crop_h = height * target, float(height)
    else:
        crop_w, crop_h = float(width), width / target
    left = min(max(focal[0] * width - crop_w / 2, 0), width - crop_w)
    top = min(max(focal[1] * height - crop_h / 2, 0), height - crop_h)
    return (left, top, left + crop_w, top + crop_h)


def render(
    image: Image, ratio: tuple[int, int] | None, missing
) -> dict[tuple[tuple[int, int], str], bytes]:
    """Encoded bytes for each (size, format) in ``missing``, from one decode of the original."""
    try:
        with (
            image.file.open("rb") as file,
            PILImage.open(file, formats=images.ALLOWED_FORMATS) as source,
        ):
            return _render_from(source, image, ratio, missing)
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as exc:
        raise RenditionError(f"Cannot make renditions of image {image.pk}: {exc}") from exc


def _render_from(source: PILImage.Image, image: Image, ratio, missing) -> dict:
    # Uploads are stored upright already; a file stored some other way may still
    # carry an EXIF orientation, which the focal point (set on screen) assumes applied.
    orientation = source.getexif().get(ExifTags.Base.Orientation, 1)
    rotated = orientation in _ROTATED
    upright = source.size[::-1] if rotated else source.size
    box = crop_box(upright, ratio, (image.focal_x, image.focal_y))
    widest = max(size[0] for size, _ in missing)
    scale = min(1.0, DRAFT_MARGIN * widest / (box[2] - box[0]))
    wanted = (math.ceil(upright[0] * scale), math.ceil(upright[1] * scale))
    source.draft(None, wanted[::-1] if rotated else wanted)  # JPEG only; others ignore it
    pixels = ImageOps.exif_transpose(source) if orientation != 1 else source
    pixels = _resizable(pixels)
    factor = pixels.width / upright[0]
    box = tuple(edge * factor for edge in box)
    icc = source.info.get("icc_profile")
    xmp = xmp_packet(image)
    made = {}
    for size in sorted({size for size, _ in missing}, reverse=True):
        resized = pixels.resize(
            size, PILImage.Resampling.LANCZOS, box=box, reducing_gap=REDUCING_GAP
        )
        # resize() copies the source's info, and the JPEG encoder writes its comment.
        resized.info = {k: v for k, v in resized.info.items() if k == "transparency"}
        resized, size_icc = _in_rgb(resized, icc)
        for fmt in (fmt for s, fmt in missing if s == size):
            made[(size, fmt)] = _encode(resized, fmt, size_icc, xmp)
    return made


def _has_alpha(picture: PILImage.Image) -> bool:
    return picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info


def _resizable(picture: PILImage.Image) -> PILImage.Image:
    """Palette, bilevel and 16-bit pictures as a mode Pillow resizes with full quality."""
    if picture.mode in ("P", "PA", "1"):
        return picture.convert("RGBA" if _has_alpha(picture) else "RGB")
    if picture.mode.startswith("I"):
        return picture.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return picture


def _in_rgb(picture: PILImage.Image, icc: bytes | None) -> tuple[PILImage.Image, bytes | None]:
    """CMYK converted through its own profile to sRGB (no profile to keep after that)."""
    if picture.mode != "CMYK":
        return picture, icc
    if icc:
        try:
            source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            srgb = ImageCms.createProfile("sRGB")
            return ImageCms.profileToProfile(picture, source_profile, srgb, outputMode="RGB"), None
        except ImageCms.PyCMSError:
            pass
    return picture.convert("RGB"), None


def _encode(picture: PILImage.Image, fmt: str, icc: bytes | None, xmp: str) -> bytes:
    target = FORMATS[fmt]
    alpha = _has_alpha(picture)
    if fmt == "jpeg" and alpha:
        # JPEG has no transparency: lay the picture on white, as a page would show it.
        flat = PILImage.new("RGB", picture.size, "white")
        flat.paste(picture.convert("RGBA"), mask=picture.convert("RGBA").getchannel("A"))
        picture = flat
    elif fmt == "webp" and picture.mode not in ("RGB", "RGBA"):
        picture = picture.convert("RGBA" if alpha else "RGB")
    options = dict(target.options)
    if icc and picture.mode in ("RGB", "RGBA"):
        options["icc_profile"] = icc
    if fmt == "png":
        info = PngInfo()
        info.add_itxt("XML:com.adobe.xmp", xmp)
        options["pnginfo"] = info
    else:
        options["xmp"] = xmp.encode()
    buffer = io.BytesIO()
    picture.save(buffer, format=target.pillow, **options)
    return buffer.getvalue()


def xmp_packet(image: Image) -> str:
    """The XMP every rendition carries: IPTC digital source type, credit line, rights."""
    credit = f" photoshop:Credit={quoteattr(image.credit)}" if image.credit else ""
    rights = (
        '<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">'
        f"{escape(image.copyright)}</rdf:li></rdf:Alt></dc:rights>"
        if image.copyright
        else ""
    )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about=""'
        ' xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"'
        ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        f" Iptc4xmpExt:DigitalSourceType={quoteattr(image.digital_source_type)}{credit}>"
        f"{rights}</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="r"?>'
    )
