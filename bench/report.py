"""The benchmark's goals (issue 11), its one table, and the JSON it leaves in bench/results/."""

import datetime as dt
import json
import os
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
FLAT = 1.25  # at any size, within this factor of the 10,000-article latency
NOISE = 0.95  # "at least as fast as": within 5%, the noise of one run on a shared machine


@dataclass(frozen=True)
class Goal:
    ratio: float | None = None  # req/s at least this × the floor of the same round
    queries: int | None = None  # at most this many queries per request
    p50_ms: float | None = None  # median latency below this
    as_fast_as: str | None = None  # req/s at least NOISE × this row's
    flat_with: str | None = None  # p50 at most FLAT × this row's p50

    def text(self) -> str:
        parts = []
        if self.ratio:
            parts.append(f"≥{self.ratio:.2f}×")
        if self.queries:
            parts.append(f"≤{self.queries} q")
        if self.p50_ms:
            parts.append(f"p50<{self.p50_ms:.0f}ms")
        if self.as_fast_as:
            parts.append(f"≥ {self.as_fast_as}")
        if self.flat_with:
            parts.append(f"p50≤{FLAT}× {self.flat_with}")
        return ", ".join(parts) or "—"

    def check(self, row: dict, rows: dict[str, dict]) -> list[bool]:
        checks = []
        if self.ratio:
            checks.append((row.get("ratio") or 0) >= self.ratio)
        if self.queries:
            checks.append(row.get("queries") is not None and row["queries"] <= self.queries)
        if self.p50_ms:
            checks.append(row.get("p50_ms") is not None and row["p50_ms"] < self.p50_ms)
        if self.as_fast_as:
            other = rows.get(self.as_fast_as, {}).get("req_s") or 0
            checks.append((row.get("req_s") or 0) >= NOISE * other)
        if self.flat_with:
            other = rows.get(self.flat_with, {}).get("p50_ms")
            checks.append(bool(other and row.get("p50_ms")) and row["p50_ms"] <= FLAT * other)
        return checks


def judge(rows: list[dict], goals: dict[str, Goal], articles: int, quick: bool) -> str | None:
    """Fill each row's goal and result; past 10,000 articles, add the flat-cost check
    against the latest 10,000-article result of the same mode (rows that answered
    properly); returns that result's file name."""
    by_key = {r["key"]: r for r in rows}
    small = latest(10000, quick) if articles > 10000 else None
    small_rows = {
        r["key"]: r for r in (small or {}).get("rows", []) if r.get("result") not in ("ERR",)
    }
    for row in rows:
        goal = goals.get(row["key"], Goal())
        checks = goal.check(row, by_key)
        texts = [goal.text()] if goal.text() != "—" else []
        before = small_rows.get(row["key"], {}).get("p50_ms")
        if before and row["key"] != "floor":
            row["p50_vs_10k"] = round(row["p50_ms"] / before, 2) if row.get("p50_ms") else None
            checks.append(row["p50_vs_10k"] is not None and row["p50_vs_10k"] <= FLAT)
            texts.append(f"≤{FLAT}× 10k p50")
        row["goal"] = ", ".join(texts) or "—"
        row["result"] = ("PASS" if all(checks) else "MISS") if checks else "—"
        if row.get("non_2xx") or row.get("socket_errors") or set(row.get("statuses", [])) - {200}:
            row["result"] = "ERR"  # not the page we meant to measure: see statuses, non_2xx
    return small["file"] if small else None


def latest(articles: int, quick: bool) -> dict | None:
    for path in sorted(RESULTS.glob(f"*-{articles}.json"), reverse=True):
        result = json.loads(path.read_text())
        if result.get("quick") == quick:
            return {**result, "file": path.name}
    return None


def table(rows: list[dict]) -> str:
    head = ("page", "req/s", "p50 ms", "p99 ms", "queries", "× floor", "goal", "result")
    lines = [head]
    for r in rows:
        lines.append(
            (
                r["label"],
                _num(r.get("req_s"), 1),
                _num(r.get("p50_ms"), 1),
                _num(r.get("p99_ms"), 1),
                "—" if r.get("queries") is None else str(r["queries"]),
                "—" if r.get("ratio") is None else f"{r['ratio']:.3f}",
                r.get("goal", "—"),
                r.get("result", "—"),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = []
    for n, line in enumerate(lines):
        cells = [
            c.ljust(w) if i in (0, 6) else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("| " + " | ".join(cells) + " |")
        if n == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def _num(value, digits: int) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def machine() -> dict:
    info = {"nproc": os.cpu_count(), "platform": platform.platform()}
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        info["memory_gb"] = round(kb / 1024 / 1024, 1)
    info["load_average"] = list(os.getloadavg())
    return info


def versions(database_url: str, wrk_path: str | None) -> dict:
    from importlib.metadata import version

    import psycopg2

    connection = psycopg2.connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres = cursor.fetchone()[0]
    finally:
        connection.close()
    found = {
        "python": platform.python_version(),
        "django": version("django"),
        "gunicorn": version("gunicorn"),
        "postgresql": postgres,
    }
    if wrk_path:  # bench.soak drives its own client
        wrk = subprocess.run([wrk_path, "-v"], capture_output=True, text=True, check=False)
        out = wrk.stdout or wrk.stderr
        found["wrk"] = out.splitlines()[0] if out else ""
    return found


def git() -> dict:
    def run(*args: str) -> str:
        done = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {"commit": run("rev-parse", "HEAD"), "dirty": bool(run("status", "--porcelain"))}


def save(result: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{stamp}-{result['articles']}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return path
