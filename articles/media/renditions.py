"""Renditions: the sizes and crops of an image that pages, the admin and the API show.

Named specs say what to make: a square thumbnail, a 16:9 card, the 1200×630
social card, the uncropped hero, each with a width ladder for ``srcset``. Each
rendition is made with Pillow, cropped around the image's focal point, in WebP
with a JPEG fallback (PNG for PNG and GIF sources, which are usually graphics),
and stored through Django's storage API, so S3-compatible storage via
django-storages is a settings change. The pixel work is ``articles.media.pixels``.

A rendition is made the first time something asks for it (a page render, the
admin list, the API) and reused after that; the first view of a new picture
therefore pays for making it, once. The image is decoded once per spec.

Two requests asking for the same missing rendition both make it; the unique
constraint lets one row in, and the other request uses that row and deletes
its own file. No lock is held while Pillow works.

Every rendition records the ``rendition_key`` of the image it was made from
(pixels, focal point, source kind, credit, copyright). One with another key is
stale: it is never served and is deleted when next seen, and the admin deletes
them as soon as an editor changes the image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from articles.media import pixels
from articles.media.pixels import FORMATS, RenditionError, crop_box
from articles.models import Image, Rendition


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
        made = pixels.render(image, SPECS[spec_name].ratio, missing)
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
