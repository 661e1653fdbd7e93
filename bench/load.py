"""Load N articles shaped like a real archive with PostgreSQL's COPY, in chunks.

Per article: a ~5 KB body holding every claim, 1–2 bylines of 50 authors (AI agents
with a recorded human review), 3 tags of 200, 3–6 claims with 1–2 attributions each,
10% sponsored (native advertising from the commercial desk, underwriting on newsroom
pieces, each within its campaign), lead images on some, a few corrections; 97%
published over ten years, the rest drafts and withdrawn pieces. Every row respects the
database's constraints and the publish gates (``articles.publishing.gates``).

Columns this loader does not know (added by a later migration) get their model default;
ids of articles, claims and documents are set here and the sequences moved past them.
"""

import datetime as dt
import io
import itertools
import multiprocessing
import os
import random
import sys
import time
from pathlib import Path

from bench.corpus import Corpus
from bench.seed import Shared

CHUNK = 2000
SPAN = dt.timedelta(days=3650)
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def text(value) -> str:
    """One value in COPY's text format (the corpus never produces tabs or backslashes)."""
    if value is None:
        return r"\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


class Table:
    """A model's table for COPY: the columns we fill, plus every other column's default."""

    def __init__(self, model, columns: list[str]):
        from django.db import connection
        from django.db.models import GeneratedField

        self.name = model._meta.db_table
        self.columns = list(columns)
        extra = []
        for f in model._meta.concrete_fields:
            if f.column in columns or f.primary_key or isinstance(f, GeneratedField):
                continue
            if f.has_default():
                value = f.get_db_prep_save(f.get_default(), connection)
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = dt.datetime.now(dt.UTC)
            elif f.null:
                continue
            else:
                value = ""
            self.columns.append(f.column)
            extra.append(text(value))
        self.suffix = "".join("\t" + v for v in extra) + "\n"
        self.buffer = io.StringIO()
        self.rows = 0

    def add(self, *values) -> None:
        self.buffer.write("\t".join(map(text, values)) + self.suffix)
        self.rows += 1

    def flush(self, cursor) -> None:
        self.buffer.seek(0)
        cursor.copy_expert(f"COPY {self.name} ({', '.join(self.columns)}) FROM STDIN", self.buffer)
        self.buffer = io.StringIO()


def documents(cursor, shared: Shared, count: int, corpus: Corpus) -> list[int]:
    """The source documents claims cite; returns each document's publisher id (index = id-1)."""
    from sources.models import SourceDocument

    rng = random.Random(7)
    kinds = [k for k, _ in SourceDocument.Kind.choices]
    table = Table(
        SourceDocument,
        ["id", "title", "publisher_id", "kind", "url", "published_on", "accessed_on", "created_at"],
    )
    publisher_of = []
    now = dt.datetime.now(dt.UTC)
    for pk in range(1, count + 1):
        publisher = rng.choice(shared.publishers)
        published = (EPOCH + dt.timedelta(days=rng.randrange(9500))).date()
        title = corpus.claims(1)[0].removesuffix(".")
        table.add(
            pk, f"Report: {title}"[:500], publisher, rng.choice(kinds),
            f"https://source-{publisher}.example/documents/{pk}", published,
            published + dt.timedelta(days=rng.randrange(0, 30)), now,
        )  # fmt: skip
        publisher_of.append(publisher)
        if table.rows >= 50000:
            table.flush(cursor)
            table.rows = 0
    table.flush(cursor)
    return publisher_of


def parallel(url: str, shared: Shared, n: int, publisher_of: list[int], workers: int = 2):
    """Articles 1..n loaded by ``workers`` processes, each with its own connection (the
    database computes each article's search vector as it arrives: that is most of the
    work, and it runs on as many cores as there are loaders); returns row counts."""
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    bounds = [n * w // workers for w in range(workers + 1)]
    parts = [(bounds[w] + 1, bounds[w + 1]) for w in range(workers) if bounds[w + 1] > bounds[w]]
    progress = Progress(n)
    with context.Pool(len(parts), initializer=_share, initargs=(counter,)) as pool:
        pending = [
            pool.apply_async(articles, (url, shared, part, n, now, publisher_of, 11 + w))
            for w, part in enumerate(parts)
        ]
        while not all(p.ready() for p in pending):
            progress.update(counter.value)
            time.sleep(1)
        totals = [p.get() for p in pending]
    progress.update(n)
    progress.done()
    return {key: sum(t[key] for t in totals) for key in totals[0]}


_counter = None  # articles loaded so far, shared by the loader processes


def _share(counter) -> None:
    global _counter
    _counter = counter


def articles(url, shared, part, n, now, publisher_of, seed) -> dict[str, int]:
    """Articles ``part`` (first, last id) of ``n`` and what hangs off them, COPY'd in
    chunks of ``CHUNK``; returns row counts."""
    import psycopg2
    from django.utils.text import slugify
    from taggit.models import TaggedItem

    from articles import labels
    from articles.models import (
        EDITORIAL_WORK_TYPES,
        Article,
        Byline,
        Correction,
        HumanReview,
        Sponsorship,
    )
    from sources.models import Attribution, Claim

    rng = random.Random(seed)
    corpus = Corpus(seed=seed)
    work_types = [w for w, _ in EDITORIAL_WORK_TYPES]
    relations = [r for r, _ in Attribution.Relation.choices]
    tag_weights = list(itertools.accumulate(1 / (r + 1) ** 0.8 for r in range(len(shared.tags))))
    tables = {
        "article": Table(Article, [
            "id", "headline", "slug", "dek", "body", "section_id", "type_of_work", "language",
            "ai_involvement", "lead_image_id", "desk", "status", "created_at", "updated_at",
            "published_at", "version",
        ]),
        "byline": Table(Byline, ["article_id", "author_id", "role", "position"]),
        "tag": Table(TaggedItem, ["object_id", "content_type_id", "tag_id"]),
        "sponsorship": Table(Sponsorship, [
            "article_id", "sponsor_id", "kind", "disclosure", "campaign_starts_on",
            "campaign_ends_on", "created_at",
        ]),
        "review": Table(HumanReview, [
            "article_id", "reviewer_id", "reviewer_name", "version", "note", "reviewed_at",
        ]),
        "correction": Table(Correction, ["article_id", "kind", "text", "created_at"]),
        "claim": Table(Claim, ["id", "article_id", "text", "position"]),
        "attribution": Table(Attribution, [
            "claim_id", "document_id", "via_id", "relation", "via_url", "position",
        ]),
    }  # fmt: skip
    totals = dict.fromkeys(tables, 0)
    start = now - SPAN
    step = SPAN / n
    first, last = part
    connection = psycopg2.connect(url)
    cursor = connection.cursor()
    cursor.execute("SET synchronous_commit TO off")
    cursor.execute("SELECT pg_backend_pid()")
    backend = cursor.fetchone()[0]
    cpu = (time.process_time(), cpu_seconds(backend))
    for pk in range(first, last + 1):
        published_at = start + step * (pk - 1) + dt.timedelta(seconds=rng.random() * 0.5)
        created = published_at - dt.timedelta(hours=rng.randrange(1, 72))
        roll = rng.random()
        status = "published" if roll < 0.97 else ("draft" if roll < 0.99 else "unpublished")
        sponsored = status == "published" and rng.random() < 0.10
        native = sponsored and rng.random() < 0.7
        desk = "commercial" if native else "newsroom"
        bylines, ai = _bylines(rng, shared, desk)
        headline = corpus.headline()
        claims = corpus.claims(rng.randrange(3, 7))
        body, positions = corpus.body(claims, size=rng.randrange(4200, 5800))
        image = rng.choice(shared.images) if shared.images and rng.random() < 0.4 else None
        tables["article"].add(
            pk, headline, f"{slugify(headline)[:180]}-{pk}", corpus.dek(), body,
            rng.choice(shared.sections), rng.choice(work_types), "en", ai, image, desk, status,
            created, published_at + dt.timedelta(seconds=30),
            None if status == "draft" else published_at, 1,
        )  # fmt: skip
        for position, (author, role) in enumerate(bylines):
            tables["byline"].add(pk, author, role, position)
        tags: set[int] = set()
        while len(tags) < 3:  # popular tags are far more common, as in a real archive
            tags.add(rng.choices(shared.tags, cum_weights=tag_weights)[0])
        for tag in tags:
            tables["tag"].add(pk, shared.content_type, tag)
        if sponsored:
            sponsor, name = rng.choice(shared.sponsors)
            kind = "native_advertising" if native else "underwriting"
            template = (
                labels.NATIVE_ADVERTISING_DEFAULT_DISCLOSURE
                if native
                else labels.UNDERWRITING_DISCLAIMER
            )
            day = published_at.date()
            tables["sponsorship"].add(
                pk, sponsor, kind, template.format(sponsor=name), day - dt.timedelta(days=10),
                day + dt.timedelta(days=30) if rng.random() < 0.5 else None, created,
            )  # fmt: skip
        agent = next((a for a, _ in bylines if a in shared.reviewer_of), None)
        if agent is not None and status != "draft":
            editor, name = shared.reviewer_of[agent]
            reviewed = published_at - dt.timedelta(minutes=10)
            tables["review"].add(pk, editor, name, 1, "Checked figures against sources.", reviewed)
        if status == "published" and rng.random() < 0.01:
            when = min(published_at + dt.timedelta(days=1), now)
            note = f"An earlier version misstated a figure attributed to {claims[0][:60]}"
            tables["correction"].add(pk, "correction", note.strip() + ".", when)
        for k, (text_, position) in enumerate(zip(claims, positions, strict=True)):
            claim_id = pk * 8 + k  # at most 6 claims: ids never collide between loaders
            tables["claim"].add(claim_id, pk, text_, position)
            for order, document in enumerate(rng.sample(range(1, len(publisher_of) + 1), 2)):
                if order and rng.random() < 0.5:
                    break
                via, relation, via_url = None, "", ""
                if rng.random() < 0.2:
                    via = rng.choice(shared.publishers)
                    if via != publisher_of[document - 1]:
                        relation = rng.choice(relations)
                        via_url = f"https://carrier-{via}.example/{document}"
                    else:
                        via = None
                tables["attribution"].add(claim_id, document, via, relation, via_url, order)
        if (pk - first + 1) % CHUNK == 0 or pk == last:
            for name, table in tables.items():
                totals[name] += table.rows
                table.rows = 0
                table.flush(cursor)
            connection.commit()
            with _counter.get_lock():
                _counter.value += (pk - first) % CHUNK + 1
    totals["cpu_loader_s"] = round(time.process_time() - cpu[0], 1)
    totals["cpu_database_s"] = round(cpu_seconds(backend) - cpu[1], 1)
    connection.close()
    return totals


def cpu_seconds(pid: int) -> float:
    """CPU time of a process on this machine (a database backend), 0 when unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _bylines(rng: random.Random, shared: Shared, desk: str) -> tuple[list, str]:
    """1–2 bylines as (author id, role), and the AI involvement they imply."""
    if desk == "commercial":
        return [(rng.choice(shared.commercial), "by")], "none"
    roll = rng.random()
    human = rng.choice(shared.reporters)
    if roll < 0.05:  # written by an agent, sometimes with a human co-author
        agent = rng.choice(shared.agents)
        return ([(agent, "by"), (human, "by")] if rng.random() < 0.5 else [(agent, "by")]), (
            "generated"
        )
    if roll < 0.08:  # a human piece researched by an agent
        return [(human, "by"), (rng.choice(shared.agents), "research")], "assisted"
    if roll < 0.38:
        other = rng.choice([r for r in shared.reporters if r != human])
        return [(human, "by"), (other, rng.choice(["by", "additional_reporting"]))], "none"
    return [(human, "by")], "none"


class Progress:
    """A progress line on stderr: done/total, rate and time left (a line every 30 s when
    stderr is not a terminal)."""

    def __init__(self, total: int, what: str = "articles"):
        self.total, self.what, self.started = total, what, time.monotonic()
        self.tty, self.last = sys.stderr.isatty(), 0.0

    def update(self, done: int) -> None:
        elapsed = time.monotonic() - self.started
        if not self.tty and elapsed - self.last < 30 and done < self.total:
            return
        self.last = elapsed
        rate = done / elapsed if elapsed else 0
        left = (self.total - done) / rate if rate else 0
        bar = "#" * int(30 * done / self.total)
        sys.stderr.write(
            f"{'\r' if self.tty else ''}  [{bar:30}] {done:,}/{self.total:,} {self.what}  "
            f"{rate:,.0f}/s  {elapsed:,.0f} s, ~{left:,.0f} s left {'' if self.tty else '\n'}"
        )
        sys.stderr.flush()

    def done(self) -> None:
        if self.tty:
            sys.stderr.write("\n")
