"""The soak's load: an asyncio HTTP/1.1 client (stdlib only) driving a weighted mix of
requests over N connections, each request's kind, status and latency recorded; and each
gunicorn worker's resident memory, read from /proc.

One request per connection (``Connection: close``), as gunicorn's sync workers answer
anyway; a connection that fails or passes the timeout counts as status 0.
"""

import asyncio
import io
import random
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.corpus import ORGS, PLACES, TOPICS

TIMEOUT = 35.0  # above gunicorn's 30 s worker timeout: a killed worker shows as a 5xx or 0
BOUNDARY = "soak-boundary-7MA4YWxkTrZu0gW"


@dataclass
class Kind:
    """One kind of request in the mix: its weight and how to make one."""

    name: str
    weight: int
    make: object  # () -> (method, path, headers: dict, body: bytes)
    samples: list = field(default_factory=list)  # (status, seconds)
    bodies: list = field(default_factory=list)  # the first few 4xx/5xx bodies, to diagnose


def searches(count: int, rng: random.Random) -> list[str]:
    """Varied search queries: one to three words of the corpus the archive was written from."""
    pool = [*TOPICS, *PLACES, *ORGS]
    queries = {" ".join(rng.sample(pool, rng.randint(1, 3))) for _ in range(count * 2)}
    return sorted(queries)[:count]


def images(count: int, start: int = 0) -> list[bytes]:
    """``count`` distinct small JPEGs (160×120): a gradient with the index drawn in
    blocks, so no two are alike even after the app's clean re-encoding."""
    from PIL import Image, ImageDraw

    made = []
    for n in range(start, start + count):
        picture = Image.new("RGB", (160, 120), ((n * 37) % 256, (n * 91) % 256, (n * 53) % 256))
        draw = ImageDraw.Draw(picture)
        for bit in range(16):  # n's bits as black or white squares
            colour = (255, 255, 255) if n >> bit & 1 else (0, 0, 0)
            x, y = 10 + (bit % 8) * 18, 20 + (bit // 8) * 40
            draw.rectangle((x, y, x + 14, y + 30), fill=colour)
        buffer = io.BytesIO()
        picture.save(buffer, format="JPEG", quality=85)
        made.append(buffer.getvalue())
    return made


def multipart(image: bytes, n: int) -> tuple[dict, bytes]:
    fields = {"alt_text": f"Soak picture {n}", "source_kind": "staff", "credit": "Soak"}
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="soak-{n}.jpg"'
        f"\r\nContent-Type: image/jpeg\r\n\r\n".encode()
        + image
        + b"\r\n"
    )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}, b"".join(parts)


class Uploads:
    """Hands out each pre-made picture once (more are made if the run outlasts them)."""

    def __init__(self, count: int):
        self.images, self.next = images(count), 0

    def take(self) -> tuple[dict, bytes]:
        if self.next >= len(self.images):
            self.images += images(200, start=len(self.images))
        self.next += 1
        return multipart(self.images[self.next - 1], self.next - 1)


def mix(paths: list[str], queries: list[str], read_key: str, draft_key: str, uploads: Uploads):
    """The soak's kinds and weights (percent of requests)."""
    rng = random.Random(12)

    def get(path, headers=None):
        return lambda: ("GET", path() if callable(path) else path, headers or {}, b"")

    def upload():
        headers, body = uploads.take()
        return "POST", "/api/v1/images/", {**headers, "Authorization": f"Api-Key {draft_key}"}, body

    def api_path():
        return rng.choice(("/api/v1/articles/", "/api/v1/articles/?page_size=50"))

    return [
        Kind("home", 10, get("/")),
        Kind("article", 40, get(lambda: rng.choice(paths))),
        Kind("search", 15, get(lambda: "/search/?q=" + rng.choice(queries).replace(" ", "+"))),
        Kind("api_list_anonymous", 10, get(api_path)),
        Kind("api_list_key", 15, get(api_path, {"Authorization": f"Api-Key {read_key}"})),
        Kind("upload", 10, upload),
    ]


async def request(port: int, method: str, path: str, headers: dict, body: bytes) -> tuple:
    """One request on a new connection: (status, seconds, body); status 0 if it failed."""
    started = time.perf_counter()
    head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    if body:
        head.append(f"Content-Length: {len(body)}")
    writer = None
    try:
        async with asyncio.timeout(TIMEOUT):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            await writer.drain()
            answer = await reader.read(-1)
        status = int(answer.split(b" ", 2)[1])
        payload = answer.partition(b"\r\n\r\n")[2]
    except (OSError, TimeoutError, ValueError, IndexError):
        status, payload = 0, b""
    finally:
        if writer is not None:
            writer.close()
    return status, time.perf_counter() - started, payload


async def drive(
    port: int, kinds: list[Kind], connections: int, seconds: float, *, on_tick=None, requests=0
):
    """``connections`` clients, each sending one request after another for ``seconds``
    (or until ``requests`` were sent, when given), its kind drawn by weight; ``on_tick()``
    runs twice a second. Returns the seconds run and the requests sent."""
    rng = random.Random(34)
    weights = [k.weight for k in kinds]
    started = time.monotonic()
    deadline = started + seconds
    sent = 0

    def going() -> bool:
        return time.monotonic() < deadline and not (requests and sent >= requests)

    async def client() -> None:
        nonlocal sent
        while going():
            kind = rng.choices(kinds, weights)[0]
            sent += 1
            status, took, payload = await request(port, *kind.make())
            kind.samples.append((status, took))
            if (status >= 400 or status == 0) and len(kind.bodies) < 5:
                kind.bodies.append(f"{status}: {payload[:300].decode(errors='replace')}")

    async def ticker() -> None:
        while going():
            on_tick()
            await asyncio.sleep(0.5)

    await asyncio.gather(*(client() for _ in range(connections)), *([ticker()] if on_tick else []))
    return time.monotonic() - started, sent


def summary(kind: Kind, seconds: float) -> dict:
    """Requests/s, status classes (429 apart from the other 4xx, 0 = no answer), latency."""
    statuses = [s for s, _ in kind.samples]
    times = sorted(t for _, t in kind.samples)
    counts = {
        "2xx": sum(200 <= s < 300 for s in statuses),
        "3xx": sum(300 <= s < 400 for s in statuses),
        "4xx": sum(400 <= s < 500 and s != 429 for s in statuses),
        "429": statuses.count(429),
        "5xx": sum(s >= 500 for s in statuses),
        "no_answer": statuses.count(0),
    }

    def pct(q: float) -> float | None:
        return round(times[min(len(times) - 1, int(q * len(times)))] * 1000, 1) if times else None

    return {
        "kind": kind.name,
        "weight": kind.weight,
        "requests": len(statuses),
        "req_s": round(len(statuses) / seconds, 1) if seconds else 0.0,
        **counts,
        "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
        "p50_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(times[-1] * 1000, 1) if times else None,
        "error_bodies": kind.bodies,
    }


def workers(master: int) -> list[int]:
    """The gunicorn master's children (its workers), by pid."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            found.append(int(stat.parent.name))
    return sorted(found)


def rss_mb(pid: int) -> float | None:
    """Resident memory (VmRSS) of a process in MB, None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class Memory:
    """Each worker's RSS: a named snapshot now and then, the peak while sampling."""

    def __init__(self, master: int):
        self.master = master
        self.snapshots: dict[str, dict[int, float]] = {}
        self.peak: dict[int, float] = {}
        self.seen: set[int] = set()
        self.timeline: list[tuple[float, dict[int, float]]] = []  # (monotonic, RSS by pid)

    def snapshot(self, name: str) -> dict[int, float]:
        now = {pid: rss for pid in workers(self.master) if (rss := rss_mb(pid)) is not None}
        self.snapshots[name] = now
        self.sample(now)
        return now

    def sample(self, now: dict[int, float] | None = None) -> None:
        if now is None:
            now = {pid: rss for pid in workers(self.master) if (rss := rss_mb(pid)) is not None}
        moment = time.monotonic()
        if not self.timeline or moment - self.timeline[-1][0] >= 5:  # every 5 s
            self.timeline.append((moment, now))
        self.seen |= now.keys()
        for pid, rss in now.items():
            self.peak[pid] = max(self.peak.get(pid, 0.0), rss)
