"""EXPLAIN (ANALYZE, BUFFERS) of the SQL the public list pages really run, at the loaded size.

Requests each URL with Django's test client against the bench database (page cache
off), captures its queries, and explains every SELECT that reads articles, printing a
compact plan tree and flagging what does not stay flat as the archive grows: a Seq Scan
on a big table, and a Sort fed by many rows (no index matches the order).

    .venv/bin/python -m bench.explain [--database-url URL] [--all]

Run ``make bench`` (or ``python -m bench.site --load-only``) first to load the database.
"""

import argparse
import json
import os
import re
import sys
from functools import partial

from bench import database
from bench.server import environment

BIG = {t for t in database.BIG_TABLES if t != "sources_sourcedocument"} | {"taggit_tag"}
# A Seq Scan of a table that grows with the archive, or a Sort, reading more rows than
# this does not stay flat as the archive grows (small tables are scanned, rightly, whole).
BIG_ROWS = 1_000
PAGES = {
    "home latest and section rails": "/",
    "section list": "/section/{section}/",
    "tag list": "/tag/{tag}/",
    "author list": "/author/{author}/",
    "article page, with the “more in this section” rail": "/articles/{article}/",
    "RSS feed": "/feeds/latest.rss",
    "API list, first page": "/api/v1/articles/",
    "API list, deep cursor page": "{deep}",
    "search": "/search/?q=flood+defences",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/newsroom_bench"
    )
    parser.add_argument(
        "--all", action="store_true", help="explain every SELECT, not only articles'"
    )
    parser.add_argument("--redis-db", type=int, default=11)
    args = parser.parse_args(argv)
    os.environ.update(environment(args.database_url, args.redis_db, cache=False))
    os.environ["BENCH_CACHE_PREFIX"] = "bench-explain"
    from bench import queries
    from bench.site import deep_cursor

    queries.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    samples = database.sample_paths(args.database_url, 1)
    values = {
        "section": samples["section"][0].split("/")[2],
        "tag": samples["tag"][0].split("/")[2],
        "author": samples["author"][0].split("/")[2],
        "article": samples["article"][0].split("/")[2],
        "deep": deep_cursor(args.database_url, partial(fetch, client))[0][0],
    }
    flagged = 0
    for title, template in PAGES.items():
        path = template.format(**values)
        captured = queries.capture([path])[path]
        print(
            f"\n=== {title}: {path} (status {captured['status']}, {len(captured['sql'])} queries)"
        )
        for n, sql in enumerate(captured["sql"], 1):
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            if not args.all and "articles_article" not in sql:
                continue
            plan = explain(sql)
            flags = problems(plan)
            flagged += bool(flags)
            print(f"\n-- query {n}: {plan['Execution Time']:.1f} ms  {' '.join(flags) or 'ok'}")
            print(f"   {shorten(sql)}")
            for line in render(plan["Plan"]):
                print(f"   {line}")
    print(
        f"\n{flagged} queries flagged (a Seq Scan of a growing table or a Sort reading more "
        f"than {BIG_ROWS:,} rows)."
    )
    return 0


def fetch(client, path: str) -> tuple[int, bytes]:
    response = client.get(path)
    return response.status_code, response.content


def explain(sql: str) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
        found = cursor.fetchone()[0]
    return (json.loads(found) if isinstance(found, str) else found)[0]


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def rows_in(node: dict) -> float:
    return node.get("Actual Rows", 0) * node.get("Actual Loops", 1)


def rows_read(node: dict) -> float:
    removed = node.get("Rows Removed by Filter", 0) * node.get("Actual Loops", 1)
    return rows_in(node) + removed


def problems(plan: dict) -> list[str]:
    found = []
    for node in nodes(plan["Plan"]):
        kind = node["Node Type"]
        if kind == "Seq Scan" and node.get("Relation Name") in BIG and rows_read(node) > BIG_ROWS:
            found.append(f"SEQ-SCAN:{node['Relation Name']}({rows_read(node):,.0f} rows)")
        if kind in ("Sort", "Incremental Sort"):
            fed = sum(rows_in(child) for child in node.get("Plans", []))
            if fed > BIG_ROWS or node.get("Sort Space Type") == "Disk":  # no index in order
                found.append(f"SORT({fed:,.0f} rows, {node.get('Sort Method', '?')})")
    return found


def render(node: dict, depth: int = 0) -> list[str]:
    what = node["Node Type"]
    if "Relation Name" in node:
        what += f" on {node['Relation Name']}"
    if "Index Name" in node:
        what += f" using {node['Index Name']}"
    details = [
        f"rows={node.get('Actual Rows', 0):,}×{node.get('Actual Loops', 1)}",
        f"{node.get('Actual Total Time', 0):.2f} ms",
        f"buffers hit={node.get('Shared Hit Blocks', 0)} read={node.get('Shared Read Blocks', 0)}",
    ]
    for key in ("Sort Key", "Sort Method", "Index Cond", "Filter", "Hash Cond", "Join Filter"):
        if key in node:
            value = node[key]
            details.append(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    lines = [f"{'  ' * depth}-> {what}  ({'; '.join(details)})"]
    for child in node.get("Plans", []):
        lines += render(child, depth + 1)
    return lines


def shorten(sql: str, limit: int = 220) -> str:
    sql = re.sub(r'"articles_article"\."\w+", ', "", sql)  # the long column lists
    sql = re.sub(r"\s+", " ", sql)
    return sql if len(sql) <= limit else sql[:limit] + " …"


if __name__ == "__main__":
    sys.exit(main())
