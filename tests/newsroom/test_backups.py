"""`manage.py backup` and `manage.py restore`: a backup restored into a fresh database
holds every article, revision, audit event and image, and the pictures' files."""

import os
import sqlite3
import subprocess
import sys
import uuid
from contextlib import closing
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from articles.models import Article, ArticleEvent, Image, Revision
from articles.publishing import revisions, workflow
from newsroom import backups
from tests.articles.media.helpers import halves, stored
from tests.factories import ArticleFactory, BylineFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def newsroom(editor):
    image = stored(halves((640, 360)), alt_text="Ferries at the quay")
    articles = []
    for i in range(3):
        article = ArticleFactory(published=True, headline=f"Backed up story {i}", lead_image=image)
        BylineFactory(article=article)
        revisions.record(article, by=editor, note="First save.")
        workflow.add_correction(article, by=editor, kind="correction", text=f"Fixed {i}.")
        articles.append(article)
    return {"image": image, "articles": articles}


class FreshDatabase:
    """An empty database of the suite's engine, outside Django's test connections."""

    def __init__(self, tmp_path):
        default = connections.settings["default"]
        self.postgresql = connection.vendor == "postgresql"
        if self.postgresql:
            self.name = f"newsroom_restore_{uuid.uuid4().hex[:8]}"
            self.params = {k.lower(): default[k] for k in ("HOST", "PORT", "USER") if default[k]}
            self.url = "postgres://{user}@{host}:{port}/".format(**self.params) + self.name
            with closing(psycopg2.connect(dbname="postgres", **self.params)) as admin:
                admin.autocommit = True
                admin.cursor().execute(f'CREATE DATABASE "{self.name}"')
        else:
            self.name = str(tmp_path / "restored.sqlite3")
            self.url = f"sqlite:///{self.name}"

    def query(self, sql: str) -> list[tuple]:
        opened = (
            psycopg2.connect(dbname=self.name, **self.params)
            if self.postgresql
            else sqlite3.connect(self.name)
        )
        with closing(opened) as db:
            cursor = db.cursor()
            cursor.execute(sql)
            return cursor.fetchall()

    def count(self, model) -> int:
        return self.query(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')[0][0]  # noqa: S608

    def drop(self) -> None:
        if self.postgresql:
            with closing(psycopg2.connect(dbname="postgres", **self.params)) as admin:
                admin.autocommit = True
                admin.cursor().execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def fresh_database(tmp_path):
    database = FreshDatabase(tmp_path)
    yield database
    database.drop()


def manage(*args: str, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    """``manage.py`` in a new process, as an operator runs it, on another database."""
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_backup_restores_into_a_fresh_database_with_everything(
    newsroom, fresh_database, tmp_path, settings
):
    path = backups.backup(tmp_path / "backups")
    picture = newsroom["image"].file.name
    media = tmp_path / "restored-media"

    done = manage("restore", str(path), database_url=fresh_database.url, media_root=media)

    assert done.returncode == 0, done.stderr
    assert "Restored" in done.stdout
    for model in (Article, Revision, ArticleEvent, Image):
        assert fresh_database.count(model) == model.objects.count() > 0, model.__name__
    headlines = {row[0] for row in fresh_database.query("SELECT headline FROM articles_article")}
    assert headlines == {a.headline for a in newsroom["articles"]}
    assert (media / picture).read_bytes() == (Path(settings.MEDIA_ROOT) / picture).read_bytes()


def test_restore_refuses_a_database_that_is_not_empty(newsroom, tmp_path):
    path = backups.backup(tmp_path / "backups")
    with pytest.raises(CommandError, match=r"already holds \d+ tables"):
        call_command("restore", str(path))
    assert Article.objects.count() == 3  # nothing was touched


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, fresh_database):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file at all")
    done = manage("restore", str(junk), database_url=fresh_database.url, media_root=tmp_path)
    assert done.returncode == 1 and "is not a backup file" in done.stderr
    assert "Traceback" not in done.stderr
    with pytest.raises(CommandError, match="is not a backup file"):
        call_command("restore", str(tmp_path / "missing.tar"))


def test_the_backup_command_says_where_it_wrote(newsroom, tmp_path, capsys):
    call_command("backup", "--output", str(tmp_path / "out"))
    [written] = list((tmp_path / "out").glob("newsroom-*.tar"))
    assert f"Backed up to {written}" in capsys.readouterr().out
