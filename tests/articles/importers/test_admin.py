"""The read-only list of where imported articles came from."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ImportRecord
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:articles_importrecord_changelist")


def imported(n: int, *, desk=Article.Desk.NEWSROOM, start: int = 0) -> None:
    for i in range(start, start + n):
        article = ArticleFactory(headline=f"Imported {desk} {i}", desk=desk)
        ImportRecord.objects.create(
            source="wordpress:https://gazette.example",
            external_id=f"{desk}-{i}",
            article=article,
            fingerprint="0" * 64,
        )


def test_the_list_links_each_record_to_its_article_and_changes_nothing(client, superuser):
    imported(2)
    client.force_login(superuser)

    page = client.get(LIST).content.decode()

    assert "Imported newsroom 0" in page and "wordpress:https://gazette.example" in page
    record = ImportRecord.objects.first()
    change = reverse("admin:articles_importrecord_change", args=[record.pk])
    assert client.post(change, {"source": "x"}).status_code == 403
    assert client.get(reverse("admin:articles_importrecord_add")).status_code == 403


def test_the_list_keeps_to_the_reading_firewall(client, commercial):
    commercial.user_permissions.add(Permission.objects.get(codename="view_importrecord"))
    imported(1)
    imported(1, desk=Article.Desk.COMMERCIAL)
    client.force_login(commercial)

    page = client.get(LIST).content.decode()

    assert "Imported commercial 0" in page and "Imported newsroom 0" not in page


def test_the_list_costs_the_same_for_5_and_50_records(client, superuser):
    client.force_login(superuser)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    imported(5)
    five = queries()
    imported(45, start=5)
    # Session and user, the count and the page of records with their articles (one
    # join), the source filter's choices and the date hierarchy: none per row.
    assert queries() == five
