"""Rendition speed and memory, measured against bare Pillow in the same run: `make bench`.

Not a test (the numbers belong to the machine); it takes about a minute and prints:

- time per source megapixel of our rendition generation (articles.media.renditions, with
  its storage write and database row) against a bare Pillow resize of the same image
  to the same size and crop, encoded with the same settings; target ratio ≤ 1.3;
- peak memory (VmHWM) of fresh processes taking a 40-megapixel JPEG through the
  upload (checks, clean copy, save) and through every rendition; target < 400 MB.

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
TARGET_PEAK_MB = 400
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


def child(step: str, argument: str) -> None:
    """Runs in a subprocess: one step, then prints its peak RSS as JSON."""
    work = Path(os.environ["BENCH_WORK"])
    setup_django(work)
    from django.core.files import File

    from articles import images
    from articles.media import renditions
    from articles.models import Image

    baseline = rss_mb()
    if step == "upload":
        with open(argument, "rb") as file:
            clean = images.clean_upload(File(file, name="big.jpg"))
        image = Image(file=clean.file, alt_text="Big")
        image.full_clean()
        image.save()
        result = {"pk": image.pk}
    elif step == "renditions":
        image = Image.objects.get(pk=int(argument))
        made = sum(
            len(p.webp) + len(p.fallback)
            for p in (renditions.picture(image, name) for name in renditions.SPECS)
        )
        result = {"renditions": made}
    else:  # bare: what a naive full-size decode and resize costs, for comparison
        from PIL import Image as PILImage

        with PILImage.open(argument) as picture:
            picture.resize((1680, 1120), PILImage.Resampling.LANCZOS)
        result = {}
    print(json.dumps({**result, "baseline_mb": baseline, "peak_mb": rss_mb()}))


def run_child(work: Path, step: str, argument: str) -> dict:
    env = {**os.environ, "BENCH_WORK": str(work)}
    out = subprocess.run(
        [sys.executable, __file__, "--child", step, argument],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    try:
        setup_django(work)
        from django.core.management import call_command
        from PIL import ExifTags, features
        from PIL import Image as PILImage

        call_command("migrate", verbosity=0)
        turbo = features.check("libjpeg_turbo")
        print(f"Pillow {features.version('pil')}, libjpeg-turbo: {turbo}")
        print("Making test images", end="", flush=True)
        paths = {}
        for name, (fmt, width, height) in IMAGES.items():
            paths[name] = work / f"{name.replace(' ', '-')}.{fmt.lower()}"
            synthetic_photo(fmt, width, height, paths[name])
            print(".", end="", flush=True)
        print()
        print("Timing", end="", flush=True)
        rows = time_table(work, paths)

        big = paths["photo 40 MP"]
        # The same photo as a camera held sideways writes it: EXIF orientation 6.
        turned = work / "photo-40-MP-turned.jpg"
        with PILImage.open(big) as picture:
            exif = PILImage.Exif()
            exif[ExifTags.Base.Orientation] = 6
            picture.save(turned, format="JPEG", quality=88, exif=exif)
        upload = run_child(work, "upload", str(big))
        upload_turned = run_child(work, "upload", str(turned))
        made = run_child(work, "renditions", str(upload["pk"]))
        bare = run_child(work, "bare", str(big))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print(f"Time per source megapixel, median of {REPEATS} (bare = Pillow open, resize, encode)")
    print(f"{'image':<20} {'rendition':<28} {'bare ms/MP':>10} {'ours ms/MP':>10} {'ratio':>6}")
    for image, rendition, bare_ms, ours_ms, ratio in rows:
        print(f"{image:<20} {rendition:<28} {bare_ms:>10.1f} {ours_ms:>10.1f} {ratio:>6.2f}")
    worst = max(row[4] for row in rows)

    print()
    print(f"Peak memory (VmHWM of a fresh process), {big.stem}, 7744×5164 JPEG")
    print(f"{'step':<52} {'peak MB':>8}")
    print(f"{'Python + Django loaded':<52} {upload['baseline_mb']:>8.0f}")
    print(f"{'upload: checks, clean copy (EXIF stripped), save':<52} {upload['peak_mb']:>8.0f}")
    label = "the same, EXIF orientation 6 (turned upright)"
    print(f"{label:<52} {upload_turned['peak_mb']:>8.0f}")
    label = f"every rendition ({made['renditions']} files, 4 specs)"
    print(f"{label:<52} {made['peak_mb']:>8.0f}")
    print(f"{'for comparison: bare Pillow full decode + resize':<52} {bare['peak_mb']:>8.0f}")
    peak = max(upload["peak_mb"], upload_turned["peak_mb"], made["peak_mb"])

    print()
    ok_ratio = worst <= TARGET_RATIO
    ok_memory = peak < TARGET_PEAK_MB
    print(f"worst ratio {worst:.2f} (target ≤ {TARGET_RATIO}): {'OK' if ok_ratio else 'MISSED'}")
    print(f"peak {peak:.0f} MB (target < {TARGET_PEAK_MB} MB): {'OK' if ok_memory else 'MISSED'}")
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0 if ok_ratio and ok_memory else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
