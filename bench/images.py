"""Rendition speed and upload memory, measured against bare Pillow: `make bench-images`.

Not a test (the numbers belong to the machine); it takes a few minutes and prints:

- time per source megapixel of our rendition generation (articles.media.renditions, with
  its storage write and database row) against a bare Pillow resize of the same image
  to the same size and crop, encoded with the same settings; target ratio ≤ 1.3;
- peak memory (VmHWM) of fresh processes, each with the whole app loaded as a worker
  has it, taking one upload through the image form the admin and the API share (checks,
  clean copy, save) and then through the worker's ``make_renditions``: the issue's
  7000×7000 PNG of a few hundred KB, and a PNG, a 16-bit grey PNG, a JPEG (also one
  to turn upright) and a WebP each just within the limit for its kind
  (``articles.images.pixel_limit``, from IMAGE_MAX_PIXELS); target < 300 MB.
  ``python bench/images.py --memory`` runs only this part.

It works in a temporary directory with its own SQLite database and media root,
and leaves nothing behind.
"""

import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 3
TARGET_RATIO = 1.3
TARGET_PEAK_MB = 300
IMAGES = {  # name: (format, width, height)
    "photo 12 MP": ("JPEG", 4240, 2832),
    "photo 40 MP": ("JPEG", 7744, 5164),
    "graphic 12 MP": ("PNG", 4240, 2832),
}
CASES = [("thumbnail", "webp", None), ("card", "webp", 960), ("hero", "jpeg", 1680)]


def setup_django(work: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(work / "media")
    import django

    django.setup()


def synthetic_photo(fmt: str, width: int, height: int, path: Path) -> None:
    """Smooth colour fields with fine grain: compresses like a photo, not like noise."""
    from PIL import Image

    bands = [
        Image.effect_noise((width // 48, height // 48), 90).resize((width, height), Image.BICUBIC)
        for _ in range(3)
    ]
    picture = Image.merge("RGB", bands)
    del bands
    grain = Image.effect_noise((width, height), 6).convert("RGB")
    picture = Image.blend(picture, grain, 0.08)
    del grain
    options = {"quality": 88} if fmt == "JPEG" else {"compress_level": 1}
    picture.save(path, format=fmt, **options)


def rss_mb() -> float:
    """This process's peak resident memory so far, in MB.

    VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec, so a
    child would report the parent's peak (this script's own, from making the images).
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# -- time ------------------------------------------------------------------------------


def bare_pillow(path: Path, size, box, fmt: str) -> None:
    """What anyone would write with Pillow: open, resize the crop, encode."""
    from PIL import Image

    from articles.media.pixels import FORMATS

    with Image.open(path) as picture:
        resized = picture.resize(size, Image.Resampling.LANCZOS, box=box)
        resized.save(io.BytesIO(), format=FORMATS[fmt].pillow, **FORMATS[fmt].options)


def median_seconds(run) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_table(work: Path, paths: dict[str, Path]) -> list[tuple]:
    from django.core.files import File

    from articles.media import renditions
    from articles.models import Image, Rendition

    rows = []
    for name, path in paths.items():
        with path.open("rb") as file:
            image = Image.objects.create(file=File(file, name=path.name), alt_text=name)
        megapixels = image.width * image.height / 1e6
        for spec_name, fmt, width in CASES:
            size = renditions.get_rendition(image, spec_name, fmt, width)  # warm caches
            size = (size.width, size.height)
            spec = renditions.SPECS[spec_name]
            box = renditions.crop_box(
                (image.width, image.height), spec.ratio, (image.focal_x, image.focal_y)
            )

            def ours(image=image, spec_name=spec_name, fmt=fmt, width=width):
                Rendition.objects.filter(image=image).delete()
                renditions.get_rendition(image, spec_name, fmt, width)

            bare = median_seconds(lambda: bare_pillow(path, size, box, fmt))  # noqa: B023
            mine = median_seconds(ours)
            label = f"{spec_name} {size[0]}×{size[1]} {fmt}"
            rows.append(
                (
                    f"{name} {image.format}",
                    label,
                    bare * 1000 / megapixels,
                    mine * 1000 / megapixels,
                    mine / bare,
                )
            )
            print(".", end="", flush=True)
    print()
    return rows


# -- memory (each step in a fresh process) ----------------------------------------------
#
# What one gunicorn worker does with an upload (the image form, as admin and API use it:
# checks, clean copy, save; renditions queued, not made) and what the task worker does
# with it afterwards (make_renditions), each measured in a fresh process that has loaded
# the whole app first, as a worker has.


def upload_cases(work: Path) -> dict[str, tuple[Path, str]]:
    """Files at the edge of what is accepted: name -> (path, description)."""
    from django.conf import settings
    from PIL import ExifTags
    from PIL import Image as PILImage

    from articles import images

    cases: dict[str, tuple[Path, str]] = {}

    def under_limit(ratio: float, fmt: str = "JPEG", mode: str = "RGB") -> tuple[int, int]:
        # The largest width×height of this shape still within the limit for its kind.
        if hasattr(images, "pixel_limit"):
            limit = images.pixel_limit(fmt, mode)
        else:  # before WebP and 16-bit images had limits of their own
            limit = settings.IMAGE_MAX_PIXELS
        height = int((limit / ratio) ** 0.5)
        width = min(int(height * ratio), 16383)  # WebP's own limit per side
        while width * height > limit:
            height -= 1
        return width, height

    # The file: few colours, so a few hundred KB of PNG for 49 megapixels.
    path = work / "flat-7000.png"
    flat = PILImage.new("RGB", (7000, 7000), (230, 230, 225))
    flat.paste((20, 60, 160), (1000, 1000, 6000, 3000))
    flat.save(path, format="PNG")
    cases["issue PNG 7000×7000"] = (path, "few colours")
    del flat

    width, height = under_limit(1.0)
    path = work / "flat-limit.png"
    flat = PILImage.new("RGB", (width, height), (230, 230, 225))
    flat.paste((20, 60, 160), (width // 7, height // 7, width // 2, height // 2))
    flat.save(path, format="PNG")
    cases["PNG at the limit"] = (path, f"{width}×{height} few colours")
    del flat

    width, height = under_limit(1.0, "PNG", "I;16")
    path = work / "grey16-limit.png"
    PILImage.new("I;16", (width, height), 3000).save(path, format="PNG")
    cases["16-bit grey PNG at the limit"] = (path, f"{width}×{height}")

    width, height = under_limit(1.5)
    path = work / "photo-limit.jpg"
    synthetic_photo("JPEG", width, height, path)
    cases["JPEG photo at the limit"] = (path, f"{width}×{height} q88")
    turned = work / "photo-limit-turned.jpg"
    with PILImage.open(path) as picture:
        exif = PILImage.Exif()
        exif[ExifTags.Base.Orientation] = 6
        picture.save(turned, format="JPEG", quality=88, exif=exif)
    cases["the same, EXIF orientation 6"] = (turned, "turned upright on upload")

    width, height = under_limit(1.5, "WEBP")
    path = work / "photo-limit.webp"
    synthetic_photo("WEBP", width, height, path)
    cases["WebP photo at the limit"] = (path, f"{width}×{height} q80")

    for name, (path, description) in cases.items():
        size = path.stat().st_size
        cases[name] = (path, f"{description}, {size / 1e6:.1f} MB")
    return cases


def child(step: str, argument: str) -> None:
    """Runs in a subprocess: one step, then prints its peak RSS as JSON."""
    work = Path(os.environ["BENCH_WORK"])
    setup_django(work)
    from django.core.files.uploadedfile import UploadedFile
    from django.urls import get_resolver

    from articles.media import renditions
    from articles.media.forms import ImageForm

    get_resolver().url_patterns  # noqa: B018 (every view imported, as in a worker)
    baseline = rss_mb()
    if step == "request":
        path = Path(argument)
        with path.open("rb") as file:
            # As Django hands over an upload above 5 MB: a file on disk, not in memory.
            upload = UploadedFile(file, name=path.name, size=path.stat().st_size)
            form = ImageForm(
                data={"alt_text": "Big", "source_kind": "staff", "focal_x": 0.5, "focal_y": 0.5},
                files={"file": upload},
            )
            if form.is_valid():
                result = {"pk": form.save().pk}
            else:
                result = {"refused": " ".join(form.errors.get("file", [])) or str(form.errors)}
    elif step == "worker":
        result = {"specs": renditions.make_renditions.call(int(argument))}
    else:  # bare: what a naive full-size decode and resize costs, for comparison
        from PIL import Image as PILImage

        with PILImage.open(argument) as picture:
            picture.resize((1680, 1120), PILImage.Resampling.LANCZOS)
        result = {}
    print(json.dumps({**result, "baseline_mb": baseline, "peak_mb": rss_mb()}))


def run_child(work: Path, step: str, argument: str) -> dict:
    # Renditions wait for the worker, as in production: the request step must not make them.
    env = {**os.environ, "BENCH_WORK": str(work), "TASKS_BACKEND": "database"}
    out = subprocess.run(
        [sys.executable, __file__, "--child", step, argument],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if out.returncode:
        # Shown in the table: a step that fails is a finding, not a reason to stop.
        return {"failed": out.stderr.strip().splitlines()[-1], "baseline_mb": 0, "peak_mb": 0}
    return json.loads(out.stdout.strip().splitlines()[-1])


def memory_table(work: Path) -> tuple[list[tuple], dict]:
    """(file, description, request result, worker result or None) for each case, and what
    a bare Pillow full decode and resize of the JPEG costs."""
    rows = []
    cases = upload_cases(work)
    for name, (path, description) in cases.items():
        request = run_child(work, "request", str(path))
        worker = run_child(work, "worker", str(request["pk"])) if "pk" in request else None
        rows.append((name, description, request, worker))
        print(".", end="", flush=True)
    print()
    return rows, run_child(work, "bare", str(cases["JPEG photo at the limit"][0]))


def print_memory(rows: list[tuple]) -> tuple[float, bool]:
    """Prints the table; returns the highest peak and whether any step failed."""
    from django.conf import settings

    limit = settings.IMAGE_MAX_PIXELS
    print(
        f"Peak memory (VmHWM of a fresh process with the whole app loaded), "
        f"IMAGE_MAX_PIXELS = {limit:,}"
    )
    print(f"{'file':<30} {'':<34} {'base':>5} {'request':>8} {'worker':>7}")
    peak, failed = 0.0, False
    for name, description, request, worker in rows:
        worker_mb = f"{worker['peak_mb']:>7.0f}" if worker else f"{'—':>7}"
        print(
            f"{name:<30} {description:<34} {request['baseline_mb']:>5.0f} "
            f"{request['peak_mb']:>8.0f} {worker_mb}"
        )
        if "refused" in request:
            print(f"{'':<30} refused: {request['refused'][:100]}")
        for step, result in (("request", request), ("worker", worker or {})):
            if "failed" in result:
                failed = True
                print(f"{'':<30} {step} FAILED: {result['failed'][-200:]}")
        peak = max(peak, request["peak_mb"], worker["peak_mb"] if worker else 0)
    return peak, failed


def main(*, memory_only: bool = False) -> int:
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    rows: list[tuple] = []
    try:
        setup_django(work)
        from django.core.management import call_command
        from PIL import features

        call_command("migrate", verbosity=0)
        turbo = features.check("libjpeg_turbo")
        print(f"Pillow {features.version('pil')}, libjpeg-turbo: {turbo}")
        if not memory_only:
            print("Making test images", end="", flush=True)
            paths = {}
            for name, (fmt, width, height) in IMAGES.items():
                paths[name] = work / f"{name.replace(' ', '-')}.{fmt.lower()}"
                synthetic_photo(fmt, width, height, paths[name])
                print(".", end="", flush=True)
            print()
            print("Timing", end="", flush=True)
            rows = time_table(work, paths)
        print("Uploads, one fresh process each", end="", flush=True)
        memory, bare = memory_table(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    worst = 0.0
    if rows:
        print()
        print(
            f"Time per source megapixel, median of {REPEATS} (bare = Pillow open, resize, encode)"
        )
        print(f"{'image':<20} {'rendition':<28} {'bare ms/MP':>10} {'ours ms/MP':>10} {'ratio':>6}")
        for image, rendition, bare_ms, ours_ms, ratio in rows:
            print(f"{image:<20} {rendition:<28} {bare_ms:>10.1f} {ours_ms:>10.1f} {ratio:>6.2f}")
        worst = max(row[4] for row in rows)

    print()
    peak, failed = print_memory(memory)
    label = "for comparison: bare Pillow full decode + resize of the JPEG"
    print(f"{label:<79} {bare['peak_mb']:>7.0f}")

    print()
    ok_ratio = worst <= TARGET_RATIO
    ok_memory = peak < TARGET_PEAK_MB and not failed
    if rows:
        print(
            f"worst ratio {worst:.2f} (target ≤ {TARGET_RATIO}): {'OK' if ok_ratio else 'MISSED'}"
        )
    print(f"peak {peak:.0f} MB (target < {TARGET_PEAK_MB} MB): {'OK' if ok_memory else 'MISSED'}")
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0 if ok_ratio and ok_memory else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main(memory_only="--memory" in sys.argv[1:]))
