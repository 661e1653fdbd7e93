"""Load on a bench server: wrk runs over rotating URLs, the search client, warm-up, settling."""

import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2

from bench.server import FLOOR, Server

LUA = Path(__file__).resolve().parent / "rotate.lua"
THREADS, CONNECTIONS = 2, 16
SEARCHES = (
    "harbour",
    "flood defences",
    "council budget deficit",
    "wind farms in Westmere",
    "teachers union",
    "pension reform",
)


def ensure_wrk() -> str:
    """wrk's path, installing Debian's package when it is missing and we may."""
    found = shutil.which("wrk")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if sudo is None or not shutil.which("apt-get"):
        raise RuntimeError("wrk is missing. As root, run: apt-get install -y wrk")
    print("Installing Debian's wrk package", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        if subprocess.run([*sudo, *command], env=env, check=False).returncode:
            raise RuntimeError("Could not install wrk. As root, run: apt-get install -y wrk")
    return shutil.which("wrk") or "wrk"


def wrk(server: Server, paths: list[str], seconds: float, *, connections: int = CONNECTIONS):
    """One bounded wrk run rotating over ``paths``: req/s, p50/p99 in ms, errors."""
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as handle:
        handle.write("\n".join(paths) + "\n")
    try:
        command = [
            ensure_wrk(),
            f"-t{min(THREADS, connections)}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout", "35s",
            "--latency",
            "-s", str(LUA),
            server.base,
            "--", handle.name,
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 90)
    finally:
        os.unlink(handle.name)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
    if done.returncode or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    raw = json.loads(line.removeprefix("BENCH "))
    seconds_run = raw["duration_us"] / 1e6
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "req_s": round(raw["requests"] / seconds_run, 1) if seconds_run else 0.0,
        "requests": raw["requests"],
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "mean_ms": round(raw["mean_us"] / 1000, 2),
        "bytes_per_request": round(raw["bytes"] / raw["requests"]) if raw["requests"] else 0,
        "non_2xx": raw["status"],
        "socket_errors": errors,
    }


def floor(server: Server, seconds: float) -> dict:
    return wrk(server, [FLOOR], seconds)


def search(server: Server, seconds: float, limit: int = 50) -> dict:
    """One client, a few queries in turn, bounded: at least one request, then until
    ``seconds`` have passed (a slow search may take the statement timeout)."""
    times, statuses = [], []
    started = time.monotonic()
    while len(times) < limit and (not times or time.monotonic() - started < seconds):
        query = SEARCHES[len(times) % len(SEARCHES)].replace(" ", "+")
        try:
            status, _, took = server.get(f"/search/?q={query}")
        except OSError:
            status, took = 599, time.monotonic() - started
        times.append(took)
        statuses.append(status)
    ok = [t for t, s in zip(times, statuses, strict=True) if s == 200]
    elapsed = time.monotonic() - started
    return {
        "req_s": round(len(ok) / elapsed, 2) if elapsed else 0.0,
        "requests": len(times),
        "p50_ms": round(statistics.median(ok) * 1000, 2) if ok else None,
        "p99_ms": round(max(ok) * 1000, 2) if ok else None,
        "non_2xx": len(times) - len(ok),
        "socket_errors": 0,
    }


def warm(server: Server, paths: list[str], limit_seconds: float) -> list[str]:
    """Request every path once (four at a time) so the page cache holds it; returns the
    paths warmed within the time limit."""
    deadline = time.monotonic() + limit_seconds

    def fetch(path: str) -> str | None:
        if time.monotonic() > deadline:
            return None
        status, _, _ = server.get(path)
        return path if status == 200 else None

    with ThreadPoolExecutor(4) as pool:
        return [p for p in pool.map(fetch, paths) if p]


def settle(server: Server, database_url: str, after: dict | None, limit: float = 180) -> float:
    """Wait until the server has drained what the last run left queued (wrk stops, but
    requests already accepted still run) and the bench database is idle."""
    started = time.monotonic()
    if after and after.get("mean_ms"):
        # At most every connection's request is left, shared by two workers.
        time.sleep(min(limit / 2, CONNECTIONS * after["mean_ms"] / 1000 / 2))
    connection = psycopg2.connect(database_url)
    connection.autocommit = True
    try:
        quiet = 0
        while time.monotonic() - started < limit and quiet < 3:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND state = 'active' AND pid <> pg_backend_pid()"
                )
                busy = cursor.fetchone()[0]
            _, _, took = server.get(FLOOR, timeout=60)
            quiet = quiet + 1 if busy == 0 and took < 0.05 else 0
            time.sleep(0.2)
    finally:
        connection.close()
    return time.monotonic() - started
