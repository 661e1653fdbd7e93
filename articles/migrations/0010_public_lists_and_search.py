"""Indexes in the order public lists read (newest first), and a stored search vector.

On PostgreSQL a trigger keeps ``search_vector`` current on every insert and update
(the ORM, bulk writes and raw SQL alike), a GIN index serves ``@@`` queries, and
existing rows are filled here. SQLite gets the nullable column only: its search
matches words with ``icontains``.
"""

import django.contrib.postgres.search
from django.db import migrations, models

# Headline over standfirst over body, as ArticleQuerySet.search ranks them.
VECTOR = """
    setweight(to_tsvector('pg_catalog.english', coalesce({row}headline, '')), 'A')
    || setweight(to_tsvector('pg_catalog.english', coalesce({row}dek, '')), 'B')
    || setweight(to_tsvector('pg_catalog.english', coalesce({row}body, '')), 'C')
"""

CREATE = [
    f"""
    CREATE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector := {VECTOR.format(row="NEW.")};
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    # Also on writes to search_vector itself, so nothing can store a stale vector.
    """
    CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE OF headline, dek, body, search_vector ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector()
    """,
    # VECTOR is this module's constant SQL: no input reaches it.
    f"UPDATE articles_article SET search_vector = {VECTOR.format(row='')}",  # noqa: S608 # nosec B608
    "CREATE INDEX article_search_vector ON articles_article USING gin (search_vector)",
]

DROP = [
    "DROP INDEX IF EXISTS article_search_vector",
    "DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_search_vector()",
]


def create_search_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop_search_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_desk_help_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True, serialize=False
            ),
        ),
        migrations.RunPython(create_search_trigger, drop_search_trigger),
        # (status, published_at) becomes (status, published_at, id): the public order.
        migrations.RemoveIndex(model_name="article", name="article_status_pub"),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["status", "-published_at", "-id"], name="article_status_newest"
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["section", "-published_at", "-id"],
                name="article_section_newest",
            ),
        ),
    ]
