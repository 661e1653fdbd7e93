"""The benchmark's PostgreSQL database: made, migrated, loaded once, reused after that.

Loading is the slow part (about 15 minutes for a million articles on two cores), so a
database already holding the same number of articles, loaded by this loader version
and with no migration pending, is used as it is; ``--reload`` starts again.

While loading, the secondary indexes of the big tables are dropped and rebuilt at the
end (the usual way to bulk-load; their definitions are read from the catalog, so the
schema ends up as migrations made it). Triggers stay on: whatever the database keeps
current itself, such as the article search vector, it computes as rows arrive.
"""

import random
import sys
import time
from contextlib import closing
from urllib.parse import urlsplit

import psycopg2

from bench import load
from bench.corpus import Corpus
from bench.seed import seed

LOADER_VERSION = 1
META = "bench_load"
BIG_TABLES = (
    "articles_article",
    "articles_byline",
    "sources_claim",
    "sources_attribution",
    "sources_sourcedocument",
    "taggit_taggeditem",
    "articles_sponsorship",
    "articles_humanreview",
    "articles_correction",
)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def admin_connection(url: str):
    connection = psycopg2.connect(url, dbname="postgres")
    connection.autocommit = True
    return connection


def exists(url: str) -> bool:
    with closing(admin_connection(url)) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)])
        return cursor.fetchone() is not None


def loaded(url: str) -> dict | None:
    """What the last completed load recorded, or None."""
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [META])
            if cursor.fetchone()[0] is None:
                return None
            cursor.execute(f"SELECT articles, loader, seconds, rows, loaded_at FROM {META}")  # nosec B608
            row = cursor.fetchone()
    finally:
        connection.close()
    if row is None:
        return None
    keys = ("articles", "loader", "seconds", "rows", "loaded_at")
    return dict(zip(keys, row, strict=True))


def pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _ in plan]


def prepare(url: str, articles: int, *, reload: bool) -> dict:
    """A migrated database holding ``articles`` articles; says whether it was reused."""
    if not reload and exists(url):
        meta = loaded(url)
        if meta and meta["articles"] == articles and meta["loader"] == LOADER_VERSION:
            pending = pending_migrations()
            if not pending:
                when = meta["loaded_at"]
                say(f"Reusing {database_name(url)}: {articles:,} articles loaded {when}")
                from django.db import connection

                connection.close()
                return {"reused": True, **meta, "loaded_at": str(meta["loaded_at"])}
            say(f"Migrations pending ({', '.join(pending)}): loading again.")
        elif meta:
            say(f"{database_name(url)} holds {meta['articles']:,} articles: loading again.")
    return create_and_load(url, articles)


def create_and_load(url: str, articles: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    name = database_name(url)
    connection.close()
    with closing(admin_connection(url)) as admin, admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    started = time.monotonic()
    say(f"Creating {name}: migrate")
    call_command("migrate", verbosity=0, interactive=False, skip_checks=True)
    corpus = Corpus()
    shared = seed(corpus)
    connection.close()
    raw = psycopg2.connect(url)
    try:
        indexes = drop_indexes(raw)
        with raw.cursor() as cursor:
            count = max(2000, articles // 4)
            say(f"Loading {count:,} source documents")
            publisher_of = load.documents(cursor, shared, count, corpus)
        raw.commit()
        say(f"Loading {articles:,} articles")
        copied = time.monotonic()
        rows = load.parallel(url, shared, articles, publisher_of)
        rows["documents"] = count
        copy_seconds = time.monotonic() - copied
        say(f"Rebuilding {len(indexes)} indexes and foreign keys, VACUUM ANALYZE")
        finish(raw, indexes)
        seconds = time.monotonic() - started
        record(raw, articles, seconds, rows)
    finally:
        raw.close()
    cpu = rows.pop("cpu_loader_s") + rows.pop("cpu_database_s")
    say(
        f"Loaded {articles:,} articles in {seconds:,.0f} s (COPY {copy_seconds:,.0f} s, "
        f"using {cpu:,.0f} CPU-seconds: {cpu / copy_seconds:.1f} cores busy)"
    )
    return {
        "reused": False,
        "articles": articles,
        "seconds": round(seconds, 1),
        "copy_seconds": round(copy_seconds, 1),
        "copy_cpu_seconds": round(cpu, 1),
        "rows": rows,
    }


def drop_indexes(raw) -> list[str]:
    """Drop the big tables' foreign keys and the indexes that back no constraint; returns
    the statements that make them again (from the catalog: the schema comes back as is)."""
    with raw.cursor() as cursor:
        cursor.execute(
            """
            SELECT 'DROP INDEX ' || i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relname = ANY(%(big)s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            UNION ALL
            SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', c.conrelid::regclass, c.conname),
                   format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', c.conrelid::regclass,
                          c.conname, pg_get_constraintdef(c.oid))
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE c.contype = 'f' AND t.relname = ANY(%(big)s)
            """,
            {"big": list(BIG_TABLES)},
        )
        found = cursor.fetchall()
        for drop, _ in found:
            cursor.execute(drop)
    raw.commit()
    # Indexes first: they speed up checking the foreign keys as they come back.
    return sorted((make for _, make in found), key=lambda make: make.startswith("ALTER"))


def finish(raw, indexes: list[str]) -> None:
    raw.autocommit = True
    with raw.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for definition in indexes:
            cursor.execute(definition)
        for table in ("articles_article", "sources_claim", "sources_sourcedocument"):
            # Table names and META are this module's constants.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # nosec B608
                f"(SELECT coalesce(max(id), 1) FROM {table}))",
                [table],
            )
        fill_search_vector(cursor)
        cursor.execute("VACUUM (ANALYZE)")
    raw.autocommit = False


def fill_search_vector(cursor) -> None:
    """Fill a stored search vector the database left empty (no trigger or generated column)."""
    cursor.execute(
        "SELECT is_generated FROM information_schema.columns "
        "WHERE table_name = 'articles_article' AND column_name = 'search_vector'"
    )
    row = cursor.fetchone()
    if row is None or row[0] == "ALWAYS":
        return
    cursor.execute(
        "SELECT 1 FROM articles_article WHERE search_vector IS NULL AND status = 'published' "
        "LIMIT 1"
    )
    if cursor.fetchone() is None:
        return
    say("search_vector is empty after loading: filling it")
    vector = " || ".join(
        f"setweight(to_tsvector('pg_catalog.english', coalesce({column}, '')), '{weight}')"
        for column, weight in (("headline", "A"), ("dek", "B"), ("body", "C"))
    )
    cursor.execute(f"UPDATE articles_article SET search_vector = {vector}")  # nosec B608


def record(raw, articles: int, seconds: float, rows: dict) -> None:
    from psycopg2.extras import Json

    with raw.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META} (articles integer, loader integer, "
            "seconds double precision, rows jsonb, loaded_at timestamptz DEFAULT now())"
        )
        cursor.execute(f"DELETE FROM {META}")  # nosec B608
        cursor.execute(
            f"INSERT INTO {META} (articles, loader, seconds, rows) VALUES (%s, %s, %s, %s)",  # nosec B608
            [articles, LOADER_VERSION, seconds, Json(rows)],
        )
    raw.commit()


def sample_paths(url: str, count: int, seed_: int = 1) -> dict[str, list[str]]:
    """URLs to rotate over: published articles spread over the archive, sections, tags,
    authors, article ids; and the cursor of the API page 10,000 items deep."""
    connection = psycopg2.connect(url)
    rng = random.Random(seed_)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, slug FROM articles_article WHERE status = 'published' "
                "AND published_at <= now() ORDER BY id"
            )
            rows = cursor.fetchall()
            picked = rng.sample(rows, min(count, len(rows)))
            cursor.execute("SELECT slug FROM articles_section ORDER BY position")
            sections = [r[0] for r in cursor.fetchall()]
            cursor.execute("SELECT slug FROM taggit_tag ORDER BY id")
            tags = [r[0] for r in cursor.fetchall()]
            cursor.execute("SELECT slug FROM articles_author ORDER BY id")
            authors = [r[0] for r in cursor.fetchall()]
    finally:
        connection.close()
    return {
        "article": [f"/articles/{slug}/" for _, slug in picked],
        "api_detail": [f"/api/v1/articles/{pk}/" for pk, _ in picked],
        "ninjs_detail": [f"/api/v1/articles/{pk}/?format=ninjs" for pk, _ in picked],
        "section": [f"/section/{s}/" for s in sections],
        "tag": [f"/tag/{t}/" for t in tags],
        "author": [f"/author/{a}/" for a in authors],
    }
