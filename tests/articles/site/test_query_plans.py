"""The public lists read their page from an index, at a size where the planner would
otherwise scan: no sequential scan of the articles, no sort fed more than a page of rows
(an incremental sort over an index in date order, stopping at the page, is fine).

The SQL is what the views really run (captured), explained on PostgreSQL after a bulk
insert of a few thousand published articles and ANALYZE.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.site.views import SEARCH_CANDIDATES

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="query plans are PostgreSQL's; CI runs this"
    ),
    pytest.mark.django_db,
]

ARTICLES = 6000
# A sort fed at most this many rows is a page's worth: prefetches ordered by their
# article, the detail page's single row. A list sorting its matches gets hundreds here.
SMALL_SORT = 60

# One article in every 10 is in each section, has each tag, is by each author; one in
# 20 is sponsored by each sponsor; "ferry" is in one body in 300. (Constant SQL.)
ARCHIVE = """
INSERT INTO articles_section (name, slug, description, position)
    SELECT 'Section ' || s, 'section-' || s, '', s FROM generate_series(0, 9) s;
INSERT INTO articles_author (kind, name, slug, job_title, bio, beats, email, operator,
                             operator_url, system, disclosure)
    SELECT 'human', 'Author ' || a, 'author-' || a, '', '', '', '', '', '', '', ''
    FROM generate_series(0, 9) a;
INSERT INTO taggit_tag (name, slug) SELECT 'tag ' || t, 'tag-' || t FROM generate_series(0, 9) t;
INSERT INTO articles_sponsor (name, slug, website, logo, description)
    SELECT 'Sponsor ' || s, 'sponsor-' || s, '', '', '' FROM generate_series(0, 1) s;
INSERT INTO articles_article (headline, slug, dek, body, type_of_work, language, ai_involvement,
                              status, created_at, updated_at, published_at, version, section_id,
                              desk)
    SELECT 'Story ' || n, 'story-' || n, 'What happened.',
           '<p>The council met. ' || CASE WHEN n % 300 = 0 THEN 'A ferry sailed.' ELSE '' END
           || ' Tram ' || n || '.</p>', 'news', 'en', 'none',
           CASE WHEN n % 25 = 0 THEN 'draft' ELSE 'published' END, now(), now(),
           CASE WHEN n % 25 = 0 THEN NULL ELSE now() - n * interval '1 hour' END, 1,
           (SELECT id FROM articles_section WHERE slug = 'section-' || n % 10), 'newsroom'
    FROM generate_series(1, {articles}) n;
INSERT INTO taggit_taggeditem (object_id, content_type_id, tag_id)
    SELECT a.id, {content_type}, t.id FROM articles_article a
    JOIN taggit_tag t ON t.slug = 'tag-' || a.id % 10;
INSERT INTO articles_byline (article_id, author_id, role, position)
    SELECT a.id, au.id, 'by', 0 FROM articles_article a
    JOIN articles_author au ON au.slug = 'author-' || a.id % 10;
INSERT INTO articles_sponsorship (article_id, sponsor_id, kind, disclosure,
                                  campaign_starts_on, created_at)
    SELECT a.id, sp.id, 'underwriting', 'Paid for.', now(), now() FROM articles_article a
    JOIN articles_sponsor sp ON sp.slug = 'sponsor-' || a.id % 20 WHERE a.id % 20 < 2;
-- What autovacuum does in time; within the test's transaction it must be asked.
SELECT gin_clean_pending_list('article_search_vector'::regclass);
ANALYZE;
"""

SLUG = f"story-{ARTICLES // 2 + 1}"
LISTS = {
    "/": "home: every section's newest four and the latest",
    "/section/section-3/": "a section",
    "/tag/tag-4/": "a tag",
    "/author/author-7/": "an author",
    "/sponsor/sponsor-1/": "a sponsor",
    "/feeds/latest.rss": "the RSS feed",
    "/section/section-3/feed.rss": "a section's feed",
    "/author/author-7/feed.rss": "an author's feed",
    f"/articles/{SLUG}/": "an article and its section rail",
}


@pytest.fixture
def archive(settings):
    from django.contrib.contenttypes.models import ContentType

    from articles.models import Article

    settings.PUBLIC_CACHE_SECONDS = 0
    content_type = ContentType.objects.get_for_model(Article).pk
    with connection.cursor() as cursor:
        # No parameters: the SQL's own % signs are modulo, not placeholders.
        sql = ARCHIVE.format(articles=ARTICLES, content_type=int(content_type))
        cursor.execute(sql)


def plans_of(client, url: str) -> list[tuple[str, dict]]:
    """The plan of every query ``url`` runs that reads the articles table."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            # (Search's own EXPLAIN, asking for an estimate, reads no rows.)
            if '"articles_article"' not in query["sql"] or query["sql"].startswith("EXPLAIN"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0]
            plans.append((query["sql"], (json.loads(plan) if isinstance(plan, str) else plan)[0]))
    assert plans, url
    return plans


def nodes(plan: dict, *, into_subplans: bool = True):
    """Every node of a plan; a sub-plan's own nodes only when ``into_subplans``."""
    yield plan
    for child in plan.get("Plans", []):
        if into_subplans or child.get("Parent Relationship") not in ("SubPlan", "InitPlan"):
            yield from nodes(child, into_subplans=into_subplans)


def reads_articles(node: dict) -> bool:
    return node.get("Relation Name") == "articles_article"


def by_date(node: dict) -> bool:
    """An index read of the articles in publication order (the planner may pick the
    composite newest-first indexes or the one on published_at alone)."""
    index = node.get("Index Name", "")
    return "newest" in index or "published_at" in index


def big_sorts(plan: dict) -> list[dict]:
    """Sorts fed more than a page of rows that read the articles table below them (not
    in a sub-plan: a section's rail, evaluated per section, is its own plan)."""
    found = []
    for node in nodes(plan):
        if "Sort" not in node["Node Type"]:
            continue
        fed = node["Plans"][0]
        if fed["Actual Rows"] * fed["Actual Loops"] > SMALL_SORT and any(
            reads_articles(n) for n in nodes(node, into_subplans=False)
        ):
            found.append(node)
    return found


def test_public_lists_read_their_page_from_an_index(client, archive):
    # One archive for every list: loading it is most of this module's time.
    for url, name in LISTS.items():
        used_index = False
        for sql, explained in plans_of(client, url):
            plan = explained["Plan"]
            scans = [n for n in nodes(plan) if n["Node Type"] == "Seq Scan" and reads_articles(n)]
            assert not scans, f"{name} scans every article:\n{sql}"
            assert not big_sorts(plan), f"{name} sorts its matches:\n{sql}"
            used_index |= any(reads_articles(n) and by_date(n) for n in nodes(plan))
        assert used_index, f"{name} never reads articles in date order from an index"

    # A page deep in a section: the same plan, no OFFSET.
    html = client.get("/section/section-3/").content.decode()
    for _ in range(5):
        older = html.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
        older = older.replace("&amp;", "&")
        html = client.get("/section/section-3/" + older).content.decode()
    for sql, explained in plans_of(client, "/section/section-3/" + older):
        assert "OFFSET" not in sql
        assert not big_sorts(explained["Plan"]), sql


def test_a_common_word_is_searched_by_walking_the_date_index(client, archive, monkeypatch):
    # "council" is in every body: testing the newest articles finds enough at once. (The
    # threshold, made for a big archive, scaled down to this one.)
    monkeypatch.setattr("articles.querysets.SEARCH_SORT_MATCHES", ARTICLES // 10)
    sql, explained = plans_of(client, "/search/?q=council")[0]
    everything = list(nodes(explained["Plan"]))
    # The candidates: the newest matches, read from a date index, no more than needed.
    candidates = next(n for n in everything if n["Node Type"] == "Limit" and n is not everything[0])
    assert candidates["Actual Rows"] == SEARCH_CANDIDATES
    below = list(nodes(candidates))
    assert any(reads_articles(n) and by_date(n) for n in below), sql
    assert not [n for n in below if n["Node Type"] == "Seq Scan" and reads_articles(n)], sql
    # Only they are ranked and sorted, never every match. (At this size the planner may
    # join them to the table by hashing; in a big archive it looks each up by its key.)
    for node in everything:
        if "Sort" in node["Node Type"]:
            assert node["Plans"][0]["Actual Rows"] <= SEARCH_CANDIDATES + SMALL_SORT, sql


def test_search_matches_through_the_gin_index_and_ranks_a_bounded_set(client, archive):
    plans = plans_of(client, "/search/?q=ferry")
    sql, explained = plans[0]
    everything = list(nodes(explained["Plan"]))
    assert not [n for n in everything if n["Node Type"] == "Seq Scan" and reads_articles(n)]
    assert any(n.get("Index Name") == "article_search_vector" for n in everything), sql
    # Ranking reads at most the newest SEARCH_CANDIDATES matches, whatever matches.
    assert f"LIMIT {SEARCH_CANDIDATES}" in sql
    assert "COUNT(" not in " ".join(s for s, _ in plans).upper()
