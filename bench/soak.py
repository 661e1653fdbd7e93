"""Does the site stay up and stay small under a minute of mixed load? `make bench-soak`.

Starts gunicorn as production runs it (the project's gunicorn.conf.py: 2 × cores + 1
sync workers, production settings, PostgreSQL ``newsroom_soak`` with 10,000 articles
loaded by the bench loader, Redis db 13, renditions queued for a task worker as in
production, uploads into a temporary MEDIA_ROOT) on 127.0.0.1, then:

1. warm-up: the same mix at the same concurrency, ``--warmup-requests`` (300) per worker
   (at most ``--warmup`` seconds, 180), so every worker has imported, compiled and cached
   what each kind of request needs and met its largest answers (RSS stays near a worker's
   high-water mark: with a 20 s warm-up on a busy machine, one worker had served too few
   requests and started 15–20% below the level all five ended at); then a settle;
2. start: each worker's RSS (VmRSS from /proc; the workers are the master's children);
3. the soak: ``--connections`` (64) clients for ``--seconds`` (60) over a weighted mix:
   home, article pages (2,000 slugs), search (300 queries), the API list anonymously and
   with a partner key, and picture uploads (multipart, each a distinct JPEG, with an AI
   agent's drafting key); RSS sampled twice a second for each worker's peak;
4. end: a settle (the server drained, the database idle), then each worker's RSS again.

Passes when no request got a 5xx (or no answer) and each worker's end RSS is within 10%
of its start. Worker recycling (max_requests) is off for the measurement: a replaced
worker would hide growth. Prints a Markdown table, saves JSON in bench/results/, and
removes what it made (keys, uploaded pictures, their queued tasks, the media directory,
its Redis db's keys, the server), also on Ctrl-C.

    .venv/bin/python -m bench.soak [--seconds 60] [--connections 64] [--warmup-requests 300]

Exit status: 0 passed, 1 failed (a 5xx, no answer, or memory growth), 2 harness error.
"""

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

from bench import database, drive, report, soakload
from bench.seed import ensure_renditions
from bench.server import ROOT, VAR, Server, collectstatic, environment

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/newsroom_soak"
REDIS_DB = 13
GROWTH_LIMIT = 10.0  # percent
EXIT = "Exit status: 0 passed, 1 failed (a 5xx, no answer, or memory growth), 2 harness error."


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="make bench-soak", description=__doc__.split("\n\n")[0], epilog=EXIT
    )
    parser.add_argument("--seconds", type=float, default=60, help="length of the soak (60)")
    parser.add_argument("--connections", type=int, default=64, help="concurrent clients (64)")
    parser.add_argument(
        "--warmup-requests", type=int, default=300, help="warm-up requests per worker (300)"
    )
    parser.add_argument("--warmup", type=float, default=180, help="warm-up at most, s (180)")
    parser.add_argument("--settle", type=float, default=5, help="quiet seconds before RSS (5)")
    parser.add_argument("--articles", type=int, default=10_000, help="archive size (10000)")
    parser.add_argument("--workers", type=int, help="default: gunicorn.conf.py's (2 × cores + 1)")
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument("--redis-db", type=int, default=REDIS_DB, help=f"default {REDIS_DB}")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    # SIGTERM ends the run like Ctrl-C: the finally blocks stop gunicorn and clean up.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return 0 if run(args) else 1
    except KeyboardInterrupt:
        print("\nsoak: interrupted; cleaned up", file=sys.stderr)
        return 130
    except (RuntimeError, OSError, psycopg2.Error, subprocess.SubprocessError) as error:
        print(f"\nsoak: error: {error}", file=sys.stderr)
        return 2


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> bool:
    started, load_at_start = dt.datetime.now(dt.UTC), list(os.getloadavg())
    base_env = environment(args.database_url, args.redis_db, cache=True)
    os.environ.update(base_env)
    import django

    django.setup()
    load = database.prepare(args.database_url, args.articles, reload=False)
    ensure_renditions()
    paths = database.sample_paths(args.database_url, 2000)["article"]
    media = Path(tempfile.mkdtemp(prefix="soak-media-"))
    keys, first_image = None, None
    server = None
    try:
        shutil.copytree(Path(base_env["MEDIA_ROOT"]), media, dirs_exist_ok=True)
        env = dict(
            base_env,
            MEDIA_ROOT=str(media),
            BENCH_CACHE_PREFIX="soak",
            PUBLIC_CACHE_SECONDS="300",  # production's default (the site bench keeps an hour)
            TASKS_BACKEND="database",  # as production: renditions wait for the task worker
            GUNICORN_MAX_REQUESTS="0",  # no recycling while memory is measured
        )
        env.pop("WEB_CONCURRENCY", None)
        collectstatic(env)
        flush_redis(args.redis_db)
        keys, first_image = make_keys()
        say("Making the pictures to upload")
        uploads = soakload.Uploads(int(10 * args.seconds) + 1000)
        queries = soakload.searches(300, random.Random(3))
        kinds = soakload.mix(paths, queries, keys[0][1], keys[1][1], uploads)
        server = Server("soak", env, workers=args.workers, config=str(ROOT / "gunicorn.conf.py"))
        server.start()
        memory = soakload.Memory(server.process.pid)
        memory.snapshot("boot")
        say(f"gunicorn: {len(memory.snapshots['boot'])} workers on {server.base}")
        warm_goal = args.warmup_requests * len(memory.snapshots["boot"])
        say(
            f"Warm-up: {warm_goal} requests (at most {args.warmup:g} s), {args.connections} clients"
        )
        warm_seconds, warm_sent = asyncio.run(
            soakload.drive(server.port, kinds, args.connections, args.warmup, requests=warm_goal)
        )
        warm = [soakload.summary(k, warm_seconds) for k in kinds]
        for kind in kinds:
            kind.samples.clear()
        quiet(server, args)
        memory.peak.clear()
        start = memory.snapshot("start")
        memory.timeline.clear()
        say(f"Soak: {args.seconds:g} s at {args.connections} connections")
        seconds, _ = asyncio.run(
            soakload.drive(
                server.port, kinds, args.connections, args.seconds, on_tick=memory.sample
            )
        )
        rows = [soakload.summary(k, seconds) for k in kinds]
        quiet(server, args)
        end = memory.snapshot("end")
        uploaded = uploads.next
    finally:
        if server is not None:
            server.stop()
            flush_redis(args.redis_db)  # the run's pages and throttle counts
        cleanup(keys, first_image, started)
        shutil.rmtree(media, ignore_errors=True)
    mem = memory_rows(start, end, memory)
    passed = all(r["5xx"] == 0 and r["no_answer"] == 0 for r in rows) and all(m["ok"] for m in mem)
    result = {
        "kind": "soak",
        "articles": args.articles,
        "started": started.isoformat(),
        "finished": dt.datetime.now(dt.UTC).isoformat(),
        "seconds": round(seconds, 1),
        "connections": args.connections,
        "warmup_seconds": round(warm_seconds, 1),
        "warmup_requests": warm_sent,
        "workers": len(start),
        "worker_class": "sync",
        "passed": passed,
        "rows": rows,
        "total": total(rows, seconds),
        "warmup_rows": warm,
        "memory": mem,
        "memory_boot_mb": {str(p): round(v, 1) for p, v in memory.snapshots["boot"].items()},
        "memory_timeline": [
            {"s": round(t - memory.timeline[0][0]), **{str(p): round(v, 1) for p, v in r.items()}}
            for t, r in memory.timeline
        ],
        "uploads_sent": uploaded,
        "notes": notes(args, env, memory, warm_sent, warm_seconds),
        "machine": {**report.machine(), "load_average_at_start": load_at_start},
        "versions": report.versions(args.database_url, None),
        "git": report.git(),
        "load": load,
    }
    saved = save(result)
    print(markdown(result))
    print(f"\nSaved {saved.relative_to(ROOT)}")
    return passed


def quiet(server: Server, args: argparse.Namespace) -> None:
    """Let what the clients left queued finish, the database go idle, then wait a little."""
    drive.settle(server, args.database_url, None, limit=60)
    time.sleep(args.settle)


def make_keys():
    """A partner's read key and an AI agent's drafting key (uploads), made for this run;
    returns ((partner key, raw), (agent key, raw)) and the first id a new image will get."""
    from articles.models import Author, Image, PartnerKey

    agent = Author.objects.filter(kind=Author.Kind.AI_AGENT).first()
    if agent is None:
        raise RuntimeError("the bench archive has no AI agent author to upload with")
    reader = PartnerKey.objects.create_key(name="soak reader", partner="Soak partner")
    drafter = PartnerKey.objects.create_key(name="soak uploads", agent=agent, can_draft=True)
    last = Image.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return (reader, drafter), last + 1


def cleanup(keys, first_image, since: dt.datetime) -> None:
    """Delete the run's keys, the pictures uploaded and the rendition tasks they queued."""
    if keys is None:
        return
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from articles.models import Image, PartnerKey

    connection.close()  # a fresh connection: the old one may have been idle a while
    PartnerKey.objects.filter(pk__in=[k.pk for k, _ in keys]).delete()
    DBTaskResult.objects.filter(
        enqueued_at__gte=since, task_path__endswith="make_renditions"
    ).delete()
    for image in Image.objects.filter(pk__gte=first_image):
        image.delete()  # its rows; the files go with the temporary MEDIA_ROOT


def flush_redis(db: int) -> None:
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()


def memory_rows(start: dict, end: dict, memory: soakload.Memory) -> list[dict]:
    rows = []
    for pid in sorted(start.keys() | end.keys()):
        before, after = start.get(pid), end.get(pid)
        change = 100 * (after - before) / before if before and after else None
        rows.append(
            {
                "pid": pid,
                "start_mb": round(before, 1) if before else None,
                "end_mb": round(after, 1) if after else None,
                "peak_mb": round(memory.peak.get(pid, 0), 1),
                "change_pct": round(change, 1) if change is not None else None,
                # A worker that died or was replaced during the soak fails the check.
                "ok": change is not None and change <= GROWTH_LIMIT,
            }
        )
    return rows


def total(rows: list[dict], seconds: float) -> dict:
    keys = ("requests", "2xx", "3xx", "4xx", "429", "5xx", "no_answer")
    out = {k: sum(r[k] for r in rows) for k in keys}
    out["req_s"] = round(out["requests"] / seconds, 1) if seconds else 0.0
    return out


def notes(args, env: dict, memory: soakload.Memory, warm_sent: int, warm_s: float) -> list[str]:
    replaced = memory.seen - memory.snapshots["start"].keys() - memory.snapshots["boot"].keys()
    return [
        f"gunicorn.conf.py with production settings: {len(memory.snapshots['start'])} sync "
        "workers (2 × cores + 1), max_requests off (GUNICORN_MAX_REQUESTS=0) so no worker is "
        "recycled while its memory is measured; page cache on (PUBLIC_CACHE_SECONDS "
        f"{env.get('PUBLIC_CACHE_SECONDS')}), Redis db {args.redis_db}.",
        f"Anonymous API rate limit raised to {env['API_RATE_ANONYMOUS']} (every client is one "
        "address); the per-key limit is production's (API_RATE_KEY, default 1200/minute), "
        "one key per kind: a 429 would be counted on its own, not as a failure.",
        "Uploads: an AI agent's key with the draft scope, each a distinct 160×120 JPEG; "
        "renditions queued (TASKS_BACKEND=database) with no task worker running.",
        f"Start RSS: after a warm-up of {warm_sent} requests ({warm_s:.0f} s) with the same mix "
        f"and concurrency and a settle (server drained, database idle, {args.settle:g} s); "
        "end RSS: the same settle after the soak. Peak: sampled twice a second during the soak.",
        "The load generator (asyncio, one process, a new connection per request as sync "
        "workers close them) shares the machine's cores with gunicorn and PostgreSQL.",
        f"Workers replaced during the run: {sorted(replaced) if replaced else 'none'}.",
    ]


def markdown(result: dict) -> str:
    head = "| kind | % | requests | req/s | 2xx | 3xx | 4xx | 429 | 5xx | none | p50 ms | p95 ms |"
    lines = [
        f"Soak: {result['seconds']:g} s at {result['connections']} connections, "
        f"{result['workers']} sync workers, {result['articles']:,} articles, "
        f"{result['started'][:16].replace('T', ' ')} UTC: "
        f"**{'PASS' if result['passed'] else 'FAIL'}**",
        "",
        head,
        "|" + "|".join("---" for _ in range(12)) + "|",
    ]
    for r in [*result["rows"], {"kind": "all", "weight": 100, **result["total"]}]:
        cells = [r["kind"], r["weight"], r["requests"], r["req_s"], r["2xx"], r["3xx"], r["4xx"]]
        cells += [r["429"], r["5xx"], r["no_answer"], r.get("p50_ms", ""), r.get("p95_ms", "")]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    lines += ["", "| worker | boot MB | start MB | end MB | peak MB | change |"]
    lines.append("|---|---|---|---|---|---|")
    for m in result["memory"]:
        change = "—" if m["change_pct"] is None else f"{m['change_pct']:+.1f}%"
        boot = result["memory_boot_mb"].get(str(m["pid"]), "—")
        lines.append(
            f"| {m['pid']} | {boot} | {m['start_mb']} | {m['end_mb']} | {m['peak_mb']} | {change}"
            f"{'' if m['ok'] else ' ✗'} |"
        )
    sums = [sum(v for k, v in r.items() if k != "s") for r in result["memory_timeline"]]
    lines += [
        "",
        "All workers' RSS every 5 s of the soak (MB): " + ", ".join(f"{v:.0f}" for v in sums),
    ]
    load = result["machine"]
    lines += [
        f"Load average at start / end: {load['load_average_at_start'][0]:.1f} / "
        f"{load['load_average'][0]:.1f} on {load['nproc']} cores."
    ]
    lines += ["", *(f"- {n}" for n in result["notes"])]
    return "\n".join(lines)


def save(result: dict) -> Path:
    report.RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = report.RESULTS / f"{stamp}-soak.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return path


if __name__ == "__main__":
    VAR.mkdir(parents=True, exist_ok=True)
    sys.exit(main())
