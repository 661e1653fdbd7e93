"""Renditions: the sizes and crops of an image that pages, the admin and the API show.

Named specs say what to make: a square thumbnail, a 16:9 card, the 1200×630
social card, the uncropped hero, each with a width ladder for ``srcset``. Each
rendition is made with Pillow, cropped around the image's focal point, in WebP
with a JPEG fallback (PNG for PNG and GIF sources, which are usually graphics),
and stored through Django's storage API, so S3-compatible storage via
django-storages is a settings change.

A rendition is made the first time something asks for it (a page render, the
admin list, the API) and reused after that; the first view of a new picture
therefore pays for making it, once. The image is decoded once per spec, at the
smallest JPEG DCT scale (``draft``) that still leaves twice the output size.

Two requests asking for the same missing rendition both make it; the unique
constraint lets one row in, and the other request uses that row and deletes
its own file. No lock is held while Pillow works.

Every rendition records the ``rendition_key`` of the image it was made from
(pixels, focal point, source kind, credit, copyright). One with another key is
stale: it is never served and is deleted when next seen, and the admin deletes
them as soon as an editor changes the image.
"""

from __future__ import annotations

import io
import logging
import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import ExifTags, ImageCms, ImageOps
from PIL import Image as PILImage
from PIL.PngImagePlugin import PngInfo

from articles import images
from articles.models import Image, Rendition

logger = logging.getLogger("newsroom.images")


@dataclass(frozen=True)
class Spec:
    widths: tuple[int, ...]  # the srcset ladder, narrowest first
    ratio: tuple[int, int] | None = None  # crop to width:height; None keeps the whole picture


SPECS: dict[str, Spec] = {
    "thumbnail": Spec(widths=(160,), ratio=(1, 1)),
    "card": Spec(widths=(320, 480, 640, 960), ratio=(16, 9)),
    "hero": Spec(widths=(480, 768, 1024, 1360, 1680)),
    "social": Spec(widths=(1200,), ratio=(1200, 630)),
}


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


class RenditionError(Exception):
    """The image's file could not be read or decoded; nothing was stored."""


@dataclass(frozen=True)
class Picture:
    """Every width of one spec for one image: the WebP ladder and its fallback ladder."""

    image: Image
    spec: str
    webp: list[Rendition]
    fallback: list[Rendition]

    @property
    def img(self) -> Rendition:
        """The fallback <img>: the widest, so browsers without srcset still get a sharp one."""
        return self.fallback[-1]

    @property
    def webp_srcset(self) -> str:
        return srcset(self.webp)

    @property
    def fallback_srcset(self) -> str:
        return srcset(self.fallback)


def srcset(renditions: list[Rendition]) -> str:
    return ", ".join(f"{r.file.url} {r.width}w" for r in renditions)


def fallback_format(image: Image) -> str:
    return "png" if image.format in ("PNG", "GIF") else "jpeg"


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


def ladder(image: Image, spec_name: str) -> list[tuple[int, int]]:
    """(width, height) of each rendition of the spec: never wider than the crop itself."""
    spec = SPECS[spec_name]
    if not image.width or not image.height:
        raise RenditionError(f"Image {image.pk} has no recorded size.")
    left, top, right, bottom = crop_box(
        (image.width, image.height), spec.ratio, (image.focal_x, image.focal_y)
    )
    crop_w, crop_h = right - left, bottom - top
    sizes: list[tuple[int, int]] = []
    for wanted in spec.widths:
        width = max(1, min(wanted, math.floor(crop_w)))
        if spec.ratio:
            height = round(width * spec.ratio[1] / spec.ratio[0])
        else:
            height = round(width * crop_h / crop_w)
        if (width, max(1, height)) not in sizes:
            sizes.append((width, max(1, height)))
    return sizes


def picture(image: Image, spec_name: str) -> Picture:
    """Every rendition of ``spec_name`` for ``image`` (WebP and fallback), made now if missing."""
    sizes = ladder(image, spec_name)
    fallback = fallback_format(image)
    wanted = [(size, fmt) for fmt in ("webp", fallback) for size in sizes]
    made = _ensure(image, spec_name, wanted)
    return Picture(image, spec_name, webp=made[: len(sizes)], fallback=made[len(sizes) :])


def get_rendition(image: Image, spec_name: str, fmt: str, width: int | None = None) -> Rendition:
    """One rendition, made now if missing: the narrowest ladder width ≥ ``width``, or the widest."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown rendition format {fmt!r}; choose from {sorted(FORMATS)}.")
    sizes = ladder(image, spec_name)
    size = next((s for s in sizes if width is not None and s[0] >= width), sizes[-1])
    return _ensure(image, spec_name, [(size, fmt)])[0]


def describe(image: Image, spec_names: tuple[str, ...] = tuple(SPECS)) -> list[dict]:
    """Renditions as the API lists them: spec, format, MIME type, width, height, URL."""
    described = []
    for spec_name in spec_names:
        pic = picture(image, spec_name)
        for rendition in [*pic.webp, *pic.fallback]:
            described.append(
                {
                    "spec": spec_name,
                    "format": rendition.format,
                    "mime_type": FORMATS[rendition.format].mime,
                    "width": rendition.width,
                    "height": rendition.height,
                    "url": rendition.file.url,
                }
            )
    return described


def delete_stale(image: Image) -> int:
    """Delete renditions made from facts the image no longer has; returns how many."""
    stale = list(Rendition.objects.filter(image=image).exclude(source_key=image.rendition_key))
    _discard(stale)
    return len(stale)


def delete_files(image: Image) -> None:
    """Once the transaction commits, delete the image's original and rendition files.

    Call it as the image is deleted: the storage API never deletes files by itself.
    """
    storage = Rendition._meta.get_field("file").storage
    # Not image.renditions.all(): a list page's prefetch may hold only some of them.
    names = [r.file.name for r in Rendition.objects.filter(image=image)]
    original = image.file.name

    def delete():
        for name in names:
            storage.delete(name)
        if original:
            image.file.storage.delete(original)

    transaction.on_commit(delete)


# -- making them ---------------------------------------------------------------------


def _ensure(image: Image, spec_name: str, wanted: list[tuple[tuple[int, int], str]]):
    key = image.rendition_key
    rows = _prefetched(image, spec_name)
    if rows is None or not _all_there(rows, key, wanted):
        # Not image.renditions: with a narrowed prefetch it would narrow this query too.
        rows = list(Rendition.objects.filter(image=image, spec=spec_name))
    current = {(r.width, r.format): r for r in rows if r.source_key == key}
    missing = [(size, fmt) for size, fmt in wanted if (size[0], fmt) not in current]
    if missing:
        made = _render(image, SPECS[spec_name], missing)
        for (size, fmt), data in made.items():
            rendition = _store(image, spec_name, size, fmt, data, key)
            current[(size[0], fmt)] = rendition
            _remember(image, rendition)
    if stale := [r for r in rows if r.source_key != key]:
        _discard(stale)
    return [current[(size[0], fmt)] for size, fmt in wanted]


def _prefetched(image: Image, spec_name: str) -> list[Rendition] | None:
    # A list page prefetches renditions once for all its images (see ImageAdmin). The
    # prefetch may have been narrowed to one spec or format, so it can only say yes.
    cache = getattr(image, "_prefetched_objects_cache", {})
    if "renditions" in cache:
        return [r for r in cache["renditions"] if r.spec == spec_name]
    return None


def _all_there(rows: list[Rendition], key: str, wanted) -> bool:
    there = {(r.width, r.format) for r in rows if r.source_key == key}
    return all((size[0], fmt) in there for size, fmt in wanted)


def _remember(image: Image, rendition: Rendition) -> None:
    cache = getattr(image, "_prefetched_objects_cache", {})
    if "renditions" in cache:
        cache["renditions"] = [*cache["renditions"], rendition]


def _store(image, spec_name, size, fmt, data: bytes, key: str) -> Rendition:
    storage = Rendition._meta.get_field("file").storage
    width, height = size
    wanted_name = (
        f"renditions/{image.pk}/{spec_name}-{width}x{height}-{key[:12]}.{FORMATS[fmt].extension}"
    )
    name = storage.save(wanted_name, ContentFile(data))
    try:
        with transaction.atomic():
            return Rendition.objects.create(
                image=image,
                spec=spec_name,
                format=fmt,
                width=width,
                height=height,
                file=name,
                source_key=key,
            )
    except IntegrityError:
        # Another request made the same rendition a moment ago: use theirs. (Storage
        # that overwrites, like S3 by default, may have given both the same name.)
        theirs = Rendition.objects.get(
            image=image, spec=spec_name, format=fmt, width=width, source_key=key
        )
        if theirs.file.name != name:
            storage.delete(name)
        return theirs


def _discard(stale: list[Rendition]) -> None:
    if not stale:
        return
    storage = Rendition._meta.get_field("file").storage
    names = [r.file.name for r in stale]
    Rendition.objects.filter(pk__in=[r.pk for r in stale]).delete()

    def delete():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def _render(image: Image, spec: Spec, missing) -> dict[tuple[tuple[int, int], str], bytes]:
    """Encoded bytes for each (size, format) in ``missing``, from one decode of the original."""
    try:
        with (
            image.file.open("rb") as file,
            PILImage.open(file, formats=images.ALLOWED_FORMATS) as source,
        ):
            return _render_from(source, image, spec, missing)
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as exc:
        raise RenditionError(f"Cannot make renditions of image {image.pk}: {exc}") from exc


def _render_from(source: PILImage.Image, image: Image, spec: Spec, missing) -> dict:
    # Uploads are stored upright already; a file stored some other way may still
    # carry an EXIF orientation, which the focal point (set on screen) assumes applied.
    orientation = source.getexif().get(ExifTags.Base.Orientation, 1)
    rotated = orientation in _ROTATED
    upright = source.size[::-1] if rotated else source.size
    box = crop_box(upright, spec.ratio, (image.focal_x, image.focal_y))
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
