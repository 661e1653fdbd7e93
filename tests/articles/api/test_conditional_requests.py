"""Conditional requests: ETags and Last-Modified answer 304 on reads, and writes need a
current If-Match (428 without one, 412 when stale, one winner in a race)."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Correction
from articles.publishing import workflow
from tests.articles.api.helpers import ARTICLES, NINJS, patch
from tests.factories import ArticleFactory, BylineFactory

pytestmark = pytest.mark.django_db

# -- reads: ETag and Last-Modified ---------------------------------------------------------


def test_article_etag_and_last_modified_answer_304_until_a_correction(client, editor):
    article = ArticleFactory(published=True)
    url = f"{ARTICLES}{article.pk}/"
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and last_modified.endswith("GMT")

    unchanged = client.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged["ETag"] == etag
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304

    workflow.add_correction(
        article, by=editor, kind=Correction.Kind.CORRECTION, text="It was Tuesday."
    )
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["corrections"][0]["text"] == "It was Tuesday."


def test_list_etag_answers_304_until_something_on_the_page_changes(client, editor):
    article = ArticleFactory(published=True)
    first = client.get(ARTICLES)
    etag = first["ETag"]
    # No Last-Modified on lists: a page's newest time cannot tell that an article left it.
    assert "Last-Modified" not in first
    assert client.get(ARTICLES, headers={"If-None-Match": etag}).status_code == 304
    # Another page, filter or format is another representation.
    assert client.get(f"{ARTICLES}?format=ninjs", headers={"If-None-Match": etag}).status_code == (
        200
    )

    workflow.add_correction(article, by=editor, kind=Correction.Kind.UPDATE, text="Updated.")
    changed = client.get(ARTICLES, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_list_etag_changes_when_an_article_leaves_the_page(client, editor):
    kept = ArticleFactory(published=True, published_at=timezone.now() - dt.timedelta(days=1))
    leaving = ArticleFactory(published=True)
    etag = client.get(ARTICLES)["ETag"]
    Article.objects.filter(pk=leaving.pk).update(status=Article.Status.UNPUBLISHED)
    changed = client.get(ARTICLES, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert [item["id"] for item in changed.json()["results"]] == [kept.pk]


def test_a_304_on_the_list_reads_only_the_page(client):
    ArticleFactory.create_batch(3, published=True)
    etag = client.get(ARTICLES)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ARTICLES, headers={"If-None-Match": etag})
    assert response.status_code == 304
    # 1. the page's rows (ids, versions, states, update times): no count, no related rows
    assert len(queries) == 1
    assert "COUNT" not in queries[0]["sql"].upper()


def test_json_and_ninjs_of_one_version_have_different_etags(client):
    article = ArticleFactory(published=True)
    url = f"{ARTICLES}{article.pk}/"
    as_json = client.get(url)["ETag"]
    as_ninjs = client.get(url, headers={"Accept": NINJS})["ETag"]
    assert as_json != as_ninjs
    assert client.get(url, headers={"Accept": NINJS, "If-None-Match": as_json}).status_code == 200
    assert client.get(url, headers={"Accept": NINJS, "If-None-Match": as_ninjs}).status_code == 304


# -- writes: If-Match ---------------------------------------------------------------------


def test_agent_updates_its_draft_with_if_match(key_client, agent_key, filed):
    sift = key_client(agent_key)
    url = f"{ARTICLES}{filed.pk}/"
    etag = sift.get(url)["ETag"]

    response = patch(sift, url, {"headline": "Sony widens cloud streaming"}, **{"If-Match": etag})

    assert response.status_code == 200, response.content
    assert response.json()["headline"] == "Sony widens cloud streaming"
    assert response["ETag"] != etag
    assert response["ETag"] == sift.get(url)["ETag"]
    filed.refresh_from_db()
    assert filed.version == 2
    assert filed.revisions.count() == 2


def test_patch_without_if_match_is_refused_with_428(key_client, agent_key, filed):
    response = patch(key_client(agent_key), f"{ARTICLES}{filed.pk}/", {"headline": "Changed"})
    assert response.status_code == 428
    assert response["Content-Type"] == "application/problem+json"
    assert "If-Match" in response.json()["detail"]
    assert Article.objects.get(pk=filed.pk).headline == filed.headline


def test_stale_if_match_is_refused_with_412_and_changes_nothing(key_client, agent_key, filed):
    sift = key_client(agent_key)
    url = f"{ARTICLES}{filed.pk}/"
    stale = sift.get(url)["ETag"]
    assert patch(sift, url, {"dek": "First edit."}, **{"If-Match": stale}).status_code == 200

    response = patch(sift, url, {"headline": "Lost update"}, **{"If-Match": stale})

    assert response.status_code == 412
    assert response.json()["title"] == "Precondition failed"
    filed.refresh_from_db()
    assert (filed.headline, filed.dek, filed.version) == (
        "Sony takes cloud streaming to more countries",
        "First edit.",
        2,
    )


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; CI runs this on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_clients_holding_the_same_etag_cannot_both_win(key_client, agent, agent_key):
    draft = BylineFactory(author=agent).article
    url = f"{ARTICLES}{draft.pk}/"
    etag = key_client(agent_key).get(url)["ETag"]
    start = threading.Barrier(2, timeout=10)
    statuses: dict = {}
    errors: list[BaseException] = []

    def edit(headline: str) -> None:
        try:
            client = key_client(agent_key)
            start.wait()
            statuses[headline] = patch(client, url, {"headline": headline}, **{"If-Match": etag})
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(name,)) for name in ("Ours", "Theirs")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(r.status_code for r in statuses.values()) == [200, 412]
    [winner] = [name for name, response in statuses.items() if response.status_code == 200]
    draft.refresh_from_db()
    assert (draft.headline, draft.version) == (winner, 2)
