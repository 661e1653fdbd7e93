"""What an import costs the database: the same for every item, however long the file."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><link>https://budget.example</link><wp:wxr_version>1.2</wp:wxr_version>
"""
ITEM = """<item><title>Post {n}</title><dc:creator>ann</dc:creator>
<content:encoded><![CDATA[Paragraph one of {n}.

Paragraph two.]]></content:encoded><wp:post_id>{n}</wp:post_id>
<wp:status>draft</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="port"><![CDATA[Port]]></category>
<category domain="post_tag" nicename="ships"><![CDATA[ships]]></category></item>
"""


def export(tmp_path, first: int, count: int):
    path = tmp_path / f"export-{first}-{count}.xml"
    items = "".join(ITEM.format(n=n) for n in range(first, first + count))
    path.write_text(f"{HEAD}{items}</channel></rss>")
    return path


def queries(run_import, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert run_import("import_wordpress", path).error == ""
    return len(captured)


def test_each_post_costs_the_same_number_of_queries(run_import, tmp_path):
    # The author, section and tag exist after the first import; each later post then costs
    # its ImportRecord lookup, the article's row, slug and redirect checks, its tags, byline,
    # revision snapshot, audit event and record, whatever else the file holds.
    queries(run_import, export(tmp_path, 1, 1))
    two = queries(run_import, export(tmp_path, 10, 2))
    four = queries(run_import, export(tmp_path, 20, 4))
    six = queries(run_import, export(tmp_path, 30, 6))

    per_post = (four - two) // 2
    assert six - four == four - two == 2 * per_post
    assert per_post <= 60


def test_an_unchanged_post_costs_one_lookup(run_import, tmp_path):
    path = export(tmp_path, 1, 5)
    queries(run_import, path)

    # The user and their permissions (3), then per post: a savepoint, the record, release.
    assert queries(run_import, path) == 3 + 5 * 3
