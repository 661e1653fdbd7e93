"""Renditions: the sizes and crops of an image that pages, the admin and the API show.

Named specs say what to make: a square thumbnail, a 16:9 card, the 1200×630
social card, the uncropped hero, each with a width ladder for ``srcset``. Each
rendition is made with Pillow, cropped around the image's focal point, in WebP
with a JPEG fallback (PNG for PNG and GIF sources, which are usually graphics),
and stored through Django's storage API, so S3-compatible storage via
django-storages is a settings change. The pixel work is ``articles.media.pixels``;
each rendition carries signed content credentials (C2PA, ``articles.media.credentials``).

Renditions are made off the request path: saving an image queues the
``make_renditions`` task (on commit), which the worker (``manage.py db_worker``)
runs; with TASKS_BACKEND=immediate (development, tests) it runs at once. Readers'
pages and the API only ever read what is made (``ready_picture``,
``ready_rendition``, ``describe``): a missing rendition is queued again (at most
once every few minutes) and meanwhile pages show the original picture. The admin
still makes a missing thumbnail or preview itself (``picture``, ``get_rendition``).
The image is decoded once per spec.

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

import django.dispatch
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.tasks import TaskResultStatus, task

from articles.media import credentials, pixels
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
    """Renditions as the API lists them: spec, format, MIME type, width, height, URL.

    Only specs whose renditions are made: a picture uploaded a moment ago lists its
    renditions once the worker has made them (seconds)."""
    described = []
    for spec_name in spec_names:
        try:
            pic = ready_picture(image, spec_name)
        except RenditionError:
            continue
        for rendition in [*pic.webp, *pic.fallback] if pic else []:
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


# -- off the request path -----------------------------------------------------------

# A missing rendition is queued again at most this often, however many readers ask.
REQUEUE_SECONDS = 5 * 60


# Sent with ``image`` when ``make_renditions`` made renditions that were missing: pages
# cached meanwhile show the original picture (the public cache listens).
renditions_made = django.dispatch.Signal()


@task
def make_renditions(image_id: int) -> int:
    """Make every missing rendition of every spec of the image; returns how many specs."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return 0  # deleted since it was queued
    current = Rendition.objects.filter(image=image, source_key=image.rendition_key)
    had = current.count()
    for spec_name in SPECS:
        picture(image, spec_name)
    if current.count() > had:
        renditions_made.send(sender=Image, image=image)
    return len(SPECS)


def queue(image: Image) -> None:
    """Have the worker make the image's renditions once this transaction commits."""
    transaction.on_commit(lambda: request(image) if image.pk else None)


def request(image: Image) -> TaskResultStatus | None:
    """Queue ``make_renditions`` for ``image`` unless it was queued a moment ago.

    Returns the task's status: SUCCESSFUL or FAILED when the backend ran it at once
    (TASKS_BACKEND=immediate), READY when queued, None when already queued."""
    marker = f"renditions-queued:{image.pk}:{image.rendition_key}"
    if cache.get(marker):
        return None
    status = make_renditions.enqueue(image.pk).status
    if status == TaskResultStatus.READY:
        cache.set(marker, True, REQUEUE_SECONDS)
    return status


def ready_picture(image: Image, spec_name: str) -> Picture | None:
    """Every rendition of the spec if all are made, else None (and they are queued).

    Raises RenditionError when the image has no size, or making them just failed."""
    sizes = ladder(image, spec_name)
    wanted = [(size, fmt) for fmt in ("webp", fallback_format(image)) for size in sizes]
    made = _ready(image, spec_name, wanted)
    if made is None:
        made = _after_request(image, lambda: _ready(image, spec_name, wanted))
    if made is None:
        return None
    return Picture(image, spec_name, webp=made[: len(sizes)], fallback=made[len(sizes) :])


def ready_rendition(
    image: Image, spec_name: str, fmt: str, width: int | None = None
) -> Rendition | None:
    """``get_rendition`` for readers: the rendition if it is made, else None (queued)."""
    sizes = ladder(image, spec_name)
    size = next((s for s in sizes if width is not None and s[0] >= width), sizes[-1])
    made = _ready(image, spec_name, [(size, fmt)])
    if made is None:
        made = _after_request(image, lambda: _ready(image, spec_name, [(size, fmt)]))
    return made[0] if made else None


def _after_request(image: Image, read):
    status = request(image)
    if status == TaskResultStatus.FAILED:
        raise RenditionError(f"Could not make the renditions of image {image.pk}.")
    return read() if status == TaskResultStatus.SUCCESSFUL else None


def _ready(image: Image, spec_name: str, wanted) -> list[Rendition] | None:
    key = image.rendition_key
    rows = _prefetched(image, spec_name)
    if rows is None or not _all_there(rows, key, wanted):
        rows = list(Rendition.objects.filter(image=image, spec=spec_name, source_key=key))
    current = {(r.width, r.format): r for r in rows if r.source_key == key}
    if any((size[0], fmt) not in current for size, fmt in wanted):
        return None
    return [current[(size[0], fmt)] for size, fmt in wanted]


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
        ratio = SPECS[spec_name].ratio
        made = pixels.render(image, ratio, missing)
        for (size, fmt), data in made.items():
            data = credentials.embed(image, fmt, data, cropped=ratio is not None)
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
