"""Embargoed copy in the partner API, ninjs and webhooks: only keys with the embargo
scope (and endpoints subscribed to "article.embargoed") receive it before it publishes,
marked with the time; anonymous and cached answers never hold it."""

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, WebhookDelivery
from articles.publishing import workflow
from tests.articles.api.helpers import ARTICLES, NINJS, ids, transition
from tests.articles.webhooks.helpers import endpoint_at
from tests.factories import ArticleFactory, PartnerKeyFactory, make_publishable

pytestmark = pytest.mark.django_db

S = Article.Status
MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
NOON = MONDAY.replace(hour=12)
NINJS_SCHEMA = json.loads(
    (Path(__file__).parents[2] / "standards/ninjs/ninjs-schema_3.1.json").read_text()
)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def embargo_key(db):
    """A wire partner cleared for embargoed copy."""
    return PartnerKeyFactory(partner="Kestrel Wire", can_read_embargoed=True)


def approved(**fields) -> Article:
    article = make_publishable(ArticleFactory(**fields))
    Article.objects.filter(pk=article.pk).update(status=S.APPROVED)
    article.refresh_from_db()
    return article


@pytest.fixture
def embargoed(editor) -> Article:
    return workflow.schedule(approved(headline="Budget figures"), by=editor, at=NOON, embargo=True)


@pytest.fixture
def live(editor) -> Article:
    return workflow.publish(approved(headline="Harbour reopens"), by=editor)


def ninjs_property(name: str) -> dict:
    return NINJS_SCHEMA["$defs"]["ninjsType"]["properties"][name]


def test_only_keys_with_the_embargo_scope_list_embargoed_articles(
    client, key_client, partner_key, embargo_key, embargoed, live
):
    assert ids(client.get(ARTICLES)) == [live.pk]
    assert ids(key_client(partner_key).get(ARTICLES)) == [live.pk]
    assert set(ids(key_client(embargo_key).get(ARTICLES))) == {live.pk, embargoed.pk}
    ninjs = key_client(partner_key).get(ARTICLES, headers={"Accept": NINJS}).json()
    assert [item["headlines"][0]["value"] for item in ninjs["results"]] == ["Harbour reopens"]


def test_only_keys_with_the_embargo_scope_open_an_embargoed_article(
    client, key_client, partner_key, embargo_key, editor_key, embargoed
):
    url = f"{ARTICLES}{embargoed.pk}/"
    assert client.get(url).status_code == 404
    assert key_client(partner_key).get(url).status_code == 404
    assert key_client(partner_key).get(url, headers={"Accept": NINJS}).status_code == 404

    response = key_client(embargo_key).get(url)
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["embargoed_until"], data["url"]) == (
        "scheduled",
        "2026-11-02T12:00:00Z",
        None,
    )
    # Private to the key: never kept by a shared cache.
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_ninjs_marks_embargoed_copy_usable_from_its_embargo_time(
    key_client, embargo_key, embargoed
):
    item = (
        key_client(embargo_key).get(f"{ARTICLES}{embargoed.pk}/", headers={"Accept": NINJS}).json()
    )
    assert item["embargoedUntil"] == "2026-11-02T12:00:00+00:00"
    assert item["pubStatus"] == "usable"
    for name in ("embargoedUntil", "pubStatus"):
        jsonschema.validate(
            item[name], ninjs_property(name), format_checker=jsonschema.FormatChecker()
        )


def test_published_articles_carry_no_embargo(key_client, embargo_key, live, clock, embargoed):
    clock.move_to(NOON)
    workflow.publish_due()
    client = key_client(embargo_key)
    for article in (live, embargoed):
        assert client.get(f"{ARTICLES}{article.pk}/").json()["embargoed_until"] is None
        assert (
            "embargoedUntil"
            not in client.get(f"{ARTICLES}{article.pk}/", headers={"Accept": NINJS}).json()
        )
    assert client.get(f"{ARTICLES}{embargoed.pk}/").json()["status"] == "published"
    # Now readers have it, anonymous and keyed alike.
    assert embargoed.pk in ids(key_client(PartnerKeyFactory()).get(ARTICLES))


def test_anonymous_cached_lists_never_hold_embargoed_copy(
    client, key_client, embargo_key, embargoed, live
):
    key_client(embargo_key).get(ARTICLES)  # the cleared partner reads first…
    response = client.get(ARTICLES)  # …the edge-cached anonymous list is still without it
    assert "public" in response["Cache-Control"]
    assert ids(response) == [live.pk]
    assert "Budget figures" not in client.get(f"{ARTICLES}?q=budget").content.decode()


def test_the_list_costs_the_same_with_embargoed_articles(key_client, embargo_key, editor, live):
    client = key_client(embargo_key)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{ARTICLES}?page_size=100").status_code == 200
        return len(captured)

    client.get(ARTICLES)  # the key's "last used" write happens once a minute
    before = queries()
    for n in range(5):
        workflow.schedule(approved(headline=f"Embargoed {n}"), by=editor, at=NOON, embargo=True)
    assert queries() == before
    assert len(client.get(f"{ARTICLES}?page_size=100").json()["results"]) == 6


def test_editors_keys_schedule_under_embargo(key_client, editor_key):
    article = approved()
    response = transition(
        key_client(editor_key),
        article,
        "schedule",
        scheduled_for="2026-11-02T12:00:00Z",
        embargo=True,
    )
    assert response.status_code == 200, response.content
    assert response.json()["embargoed_until"] == "2026-11-02T12:00:00Z"
    bad = transition(
        key_client(editor_key),
        approved(),
        "schedule",
        scheduled_for="2026-11-02T12:00:00Z",
        embargo="soon",
    )
    assert bad.status_code == 400


def test_webhooks_announce_embargoed_copy_only_to_endpoints_subscribed(
    receiver, editor, django_capture_on_commit_callbacks
):
    cleared = endpoint_at(receiver.url, events=["article.embargoed", "article.published"])
    other = endpoint_at(receiver.url, events=["article.published"], partner="Other")
    with django_capture_on_commit_callbacks(execute=True):
        article = workflow.schedule(approved(), by=editor, at=NOON, embargo=True)
        workflow.schedule(approved(), by=editor, at=NOON)  # no embargo: nothing to announce

    [delivery] = WebhookDelivery.objects.all()
    assert (delivery.endpoint, delivery.event, delivery.article_id) == (
        cleared,
        "article.embargoed",
        article.pk,
    )
    assert delivery.payload["article"]["embargoed_until"] == "2026-11-02T12:00:00Z"
    assert delivery.payload["article"]["body"]
    assert not WebhookDelivery.objects.filter(endpoint=other).exists()


def test_an_embargo_called_off_is_withdrawn_from_the_endpoints_that_had_it(
    receiver, editor, django_capture_on_commit_callbacks
):
    cleared = endpoint_at(receiver.url, events=["article.embargoed", "article.unpublished"])
    endpoint_at(receiver.url, events=["article.unpublished"], partner="Other")
    with django_capture_on_commit_callbacks(execute=True):
        article = workflow.schedule(approved(), by=editor, at=NOON, embargo=True)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unschedule(article, by=editor)
        workflow.unschedule(workflow.schedule(approved(), by=editor, at=NOON), by=editor)

    withdrawn = WebhookDelivery.objects.get(event="article.unpublished")
    assert (withdrawn.endpoint, withdrawn.article_id) == (cleared, article.pk)
    assert set(withdrawn.payload["article"]) == {"id", "slug", "headline", "label"}
