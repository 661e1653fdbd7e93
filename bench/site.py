"""How fast the reader site and the partner API answer at N articles: `make bench`.

Loads (or reuses) a PostgreSQL database of N articles shaped like a real archive,
starts gunicorn with production settings on 127.0.0.1 (2 sync workers; one server with
the page cache, one without), drives wrk (-t2 -c16) over rotating URLs, measures the
floor (a minimal view through the same middleware) before every row on the same
server, counts each URL's queries in a separate process, prints one table and saves it
with machine and versions as JSON under bench/results/.

    .venv/bin/python -m bench.site [--articles 100000] [--quick] [--reload]

Figures are noisy on a shared machine: read the ratios, each measured against the
floor of its own round. Exits 0 even when goals are missed; non-zero only when the
harness itself fails (database, gunicorn or wrk errors).
"""

import argparse
import base64
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from urllib.parse import quote, urlencode, urlsplit

import psycopg2

from bench import database, drive, report
from bench.report import Goal
from bench.seed import ensure_renditions
from bench.server import Server, collectstatic, environment, provenance_key

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
REDIS_DB = 11
# key: (label, server, paths, goal). Paths name a sample list or give the URLs.
ROWS = {
    "article_hit": ("article, page cache hit", "on", "article", Goal(ratio=0.85)),
    "article": ("article, page cache off", "off", "article", Goal(ratio=0.20, queries=8)),
    "home": ("home, page cache off", "off", ["/"], Goal(ratio=0.10, queries=8)),
    "section": ("section, page cache off", "off", "section", Goal(ratio=0.10, queries=8)),
    "tag": ("tag, page cache off", "off", "tag", Goal(ratio=0.10, queries=8)),
    "author": ("author, page cache off", "off", "author", Goal(ratio=0.10, queries=8)),
    "search": ("search (one client)", "off", "search", Goal(p50_ms=50)),
    "api_list": ("API list (20)", "off", ["/api/v1/articles/"], Goal(ratio=0.08, queries=10)),
    "api_list_100": (
        "API list, 100 per page",
        "off",
        ["/api/v1/articles/?page_size=100"],
        Goal(queries=10),
    ),
    "api_deep": ("API list, deep cursor", "off", "deep", Goal(queries=10, flat_with="api_list")),
    "api_detail": ("API detail", "off", "api_detail", Goal(ratio=0.15)),
    "ninjs_list": (
        "ninjs list (20)",
        "off",
        ["/api/v1/articles/?format=ninjs"],
        Goal(as_fast_as="api_list"),
    ),
    "ninjs_detail": ("ninjs detail", "off", "ninjs_detail", Goal(as_fast_as="api_detail")),
    "feed": ("RSS feed, page cache off", "off", ["/feeds/latest.rss"], Goal()),
    # The signed record beside each article: read from its stored row, checked against
    # the article as it stands (the record's queries), signed bytes served as stored.
    "provenance": (
        "provenance record, page cache off",
        "off",
        "provenance",
        Goal(as_fast_as="article"),
    ),
}
NOTES = [
    "Page cache off: a second gunicorn with PUBLIC_CACHE_SECONDS=0 (the app stores nothing) "
    "and its own cache key prefix; the cache-hit row runs on a server with the cache on, "
    "after every rotated article was requested once.",
    "Anonymous API rate limit raised to 1000000/second (wrk is one address); the throttle's "
    "cache round trips are still in every API request.",
    "Statement timeouts: the app's own on public reads; the bench settings add 25 s on the "
    "default connection, so no run leaves a query behind.",
    "Queries per request: the second request of each URL in a separate process (Django test "
    "client, same database, page cache off); rotating rows show the most of three URLs.",
    "Search: one client, the queries in turn, for the run's length (at least one request); "
    "req/s there is successful requests per second.",
]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="make bench",
        description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when the run completed, whether or not goals were met; "
        "2 when the harness failed (database, gunicorn, wrk).",
    )
    parser.add_argument("--articles", type=int, default=100_000, help="archive size (100000)")
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument("--reload", action="store_true", help="load again even if reusable")
    parser.add_argument("--load-only", action="store_true", help="load, then stop")
    parser.add_argument("--quick", action="store_true", help="3 s runs, shorter warm-up")
    parser.add_argument("--seconds", type=float, help="length of each wrk run (10, quick 3)")
    parser.add_argument("--urls", type=int, default=1000, help="article URLs to rotate (1000)")
    parser.add_argument("--only", help="comma-separated row keys: " + ", ".join(ROWS))
    parser.add_argument("--redis-db", type=int, default=REDIS_DB, help=f"default {REDIS_DB}")
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (3.0 if args.quick else 10.0)
    args.warm_limit = 90 if args.quick else 400
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        run(args)
    except (RuntimeError, OSError, psycopg2.Error, subprocess.SubprocessError) as error:
        print(f"\nbench: error: {error}", file=sys.stderr)
        return 2
    return 0


def run(args: argparse.Namespace) -> None:
    started, load_at_start = dt.datetime.now(dt.UTC), list(os.getloadavg())
    env_on = environment(args.database_url, args.redis_db, cache=True)
    env_off = environment(args.database_url, args.redis_db, cache=False)
    os.environ.update(env_on)
    import django

    django.setup()
    load = database.prepare(args.database_url, args.articles, reload=args.reload)
    ensure_renditions()
    if args.load_only:
        return
    wrk_path = drive.ensure_wrk()
    flush_redis(args.redis_db)
    collectstatic(env_on)
    paths = database.sample_paths(args.database_url, args.urls)
    paths["search"] = [f"/search/?q={q.replace(' ', '+')}" for q in drive.SEARCHES[:3]]
    paths["provenance"] = [f"{path}provenance.json" for path in paths["article"]]
    provenance_key()
    rows = {k: v for k, v in ROWS.items() if not args.only or k in args.only.split(",")}
    servers = {"on": Server("cache-on", env_on), "off": Server("cache-off", env_off)}
    results, floors = [], []
    try:
        for server in servers.values():
            server.start()
        if "api_deep" in rows:
            get = lambda path: servers["off"].get(path)[:2]  # noqa: E731
            paths["deep"], depth = deep_cursor(args.database_url, get)
        row_paths = {k: (v[2] if isinstance(v[2], list) else paths[v[2]]) for k, v in rows.items()}
        print(f"Counting queries of {len(rows)} pages (separate process)", file=sys.stderr)
        queries = count_queries(env_off, {k: v for k, v in row_paths.items() if k != "article_hit"})
        if "article_hit" in rows:  # the second request of each is a hit
            queries |= count_queries(env_on, {"article_hit": row_paths["article_hit"]})
        print("Warming up: each row's first URLs, once per server", file=sys.stderr)
        for key, (_, which, _, _) in rows.items():
            drive.warm(servers[which], row_paths[key][:8], 120)
        if "provenance" in rows:
            # An archive loaded without the workflow has no records yet: the first read
            # of each issues one (a write), which is not what the row measures.
            print("Issuing the rotated articles' provenance records", file=sys.stderr)
            drive.warm(servers["off"], paths["provenance"], args.warm_limit)
        if "article_hit" in rows:
            print("Warming the page cache with the rotated articles", file=sys.stderr)
            paths["article_hit"] = drive.warm(servers["on"], paths["article"], args.warm_limit)
            row_paths["article_hit"] = paths["article_hit"] or paths["article"]
        for key, (label, which, _, _) in rows.items():
            server = servers[which]
            drive.settle(server, args.database_url, results[-1] if results else None)
            base = drive.floor(server, args.seconds)
            floors.append(base)
            drive.settle(server, args.database_url, None)
            print(f"  {label:32} floor {base['req_s']:8,.0f} req/s", end="", file=sys.stderr)
            if key == "search":
                measured = drive.search(server, args.seconds)
            else:
                measured = drive.wrk(server, row_paths[key], args.seconds)
            # One search client against sixteen floor connections: no ratio to speak of.
            ratio = measured["req_s"] / base["req_s"] if base["req_s"] and key != "search" else None
            results.append(
                {
                    "key": key,
                    "label": label + (f" ({depth:,} deep)" if key == "api_deep" else ""),
                    "server": which,
                    "urls": len(row_paths[key]),
                    **measured,
                    "floor_req_s": base["req_s"],
                    "ratio": round(ratio, 4) if ratio is not None else None,
                    **queries.get(key, {}),
                }
            )
            print(
                f"  → {measured['req_s']:8,.1f} req/s  p50 {measured['p50_ms']} ms", file=sys.stderr
            )
    finally:
        for server in servers.values():
            server.stop()
    floor_row = {
        "key": "floor",
        "label": "minimal view (the floor, mean of rounds)",
        "req_s": round(statistics.mean(f["req_s"] for f in floors), 1) if floors else None,
        "p50_ms": statistics.median(f["p50_ms"] for f in floors) if floors else None,
        "p99_ms": statistics.median(f["p99_ms"] for f in floors) if floors else None,
        "ratio": 1.0,
        "floor_rounds": [f["req_s"] for f in floors],
    }
    rows_out = [floor_row, *results]
    goals = {k: v[3] for k, v in ROWS.items()}
    reference = report.judge(rows_out, goals, args.articles, args.quick)
    notes = [*NOTES, *cache_check(args.redis_db)]
    if reference:
        notes.append(f"Flat cost: p50 compared with bench/results/{reference}.")
    print(f"\n{args.articles:,} articles, {args.seconds:g} s runs, {started:%Y-%m-%d %H:%M} UTC")
    print(report.table(rows_out))
    for note in notes:
        print(f"- {note}")
    saved = report.save(
        {
            "articles": args.articles,
            "started": started.isoformat(),
            "finished": dt.datetime.now(dt.UTC).isoformat(),
            "quick": args.quick,
            "seconds": args.seconds,
            "wrk": f"-t{drive.THREADS} -c{drive.CONNECTIONS} -d{args.seconds:g}s",
            "machine": {**report.machine(), "load_average_at_start": load_at_start},
            "versions": report.versions(args.database_url, wrk_path),
            "git": report.git(),
            "load": load,
            "rows": rows_out,
            "notes": notes,
        }
    )
    print(f"Saved {saved.relative_to(report.RESULTS.parent.parent)}")


def deep_cursor(database_url: str, get, depth: int = 10_000) -> tuple[list[str], int]:
    """The API list's page after ``depth`` items (or as deep as a small archive goes),
    checked against the app: its first item must be the next article. ``get(path)``
    answers (status, body). The cursor is built (base64 of p=<position> in the keyset
    form ``<published_at>~<id>`` or DRF's plain one); if the app takes neither, `next`
    links are followed from the first page, 100 items at a time."""
    connection = psycopg2.connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM articles_article WHERE status = 'published' "
                "AND published_at <= now()"
            )
            depth = max(1, min(depth, cursor.fetchone()[0] - 100))
            cursor.execute(
                "SELECT published_at, id FROM articles_article WHERE status = 'published' "
                "AND published_at <= now() ORDER BY published_at DESC, id DESC "
                "OFFSET %s LIMIT 2",
                [depth - 1],
            )
            (moment, pk), (_, expected) = cursor.fetchall()
    finally:
        connection.close()
    moment = moment.astimezone(dt.UTC)
    for position in (f"{moment.isoformat()}~{pk}", str(moment)):
        token = base64.b64encode(urlencode({"p": position}).encode()).decode()
        path = f"/api/v1/articles/?cursor={quote(token)}"
        if _first_id(get, path) == expected:
            return [path], depth
    path, seen, deadline = "/api/v1/articles/?page_size=100", 0, time.monotonic() + 600
    while seen < depth and time.monotonic() < deadline:
        status, body = get(path)
        if status != 200:
            raise RuntimeError(f"API list answered {status} at {path}")
        data = json.loads(body)
        seen += len(data["results"])
        if not data.get("next"):
            break
        path = "/api/v1/articles/?" + urlsplit(data["next"]).query
    return [path.replace("page_size=100&", "").replace("&page_size=100", "")], seen


def _first_id(get, path: str) -> int | None:
    status, body = get(path)
    if status != 200:
        return None
    results = json.loads(body).get("results") or [{}]
    return results[0].get("id")


def count_queries(env: dict[str, str], row_paths: dict[str, list[str]]) -> dict[str, dict]:
    sample = {key: paths[:3] for key, paths in row_paths.items()}
    urls = sorted({p for paths in sample.values() for p in paths})
    done = subprocess.run(
        [sys.executable, "-m", "bench.queries", *urls],
        env=dict(env, BENCH_CACHE_PREFIX="bench-queries"),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"counting queries failed:\n{done.stderr[-3000:]}")
    counted = json.loads(done.stdout.strip().splitlines()[-1])
    found = {}
    for key, paths in sample.items():
        found[key] = {
            "queries": max(counted[p]["queries"] for p in paths),
            "statuses": sorted({counted[p]["status"] for p in paths}),
        }
    return found


def flush_redis(db: int) -> None:
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()


def cache_check(db: int) -> list[str]:
    import redis

    keys = sum(1 for _ in redis.Redis(host="127.0.0.1", port=6379, db=db).scan_iter("bench-off*"))
    if keys > 20:
        return [f"WARNING: the cache-off server left {keys} keys in Redis: is the cache off?"]
    return [f"The cache-off server left {keys} keys in Redis (no pages)."]


if __name__ == "__main__":
    t0 = time.monotonic()
    status = main()
    print(f"({time.monotonic() - t0:,.0f} s)", file=sys.stderr)
    sys.exit(status)
