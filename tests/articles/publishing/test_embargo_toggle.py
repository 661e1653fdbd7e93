"""An embargo put on or taken off a piece already scheduled, keeping its time: cleared
partners get the copy at once, or are told to withdraw it; the trail records who did it;
only those who may schedule the piece can."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from articles.models import Article, WebhookDelivery
from articles.publishing import expiry, workflow
from articles.publishing.transitions import WorkflowError
from tests.articles.webhooks.helpers import endpoint_at
from tests.factories import ArticleFactory, PartnerKeyFactory, make_publishable

pytestmark = pytest.mark.django_db

S = Article.Status
MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
NOON = MONDAY.replace(hour=12)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def scheduled(editor, *, embargo=False) -> Article:
    article = make_publishable(ArticleFactory(headline="Budget figures"))
    Article.objects.filter(pk=article.pk).update(status=S.APPROVED)
    article.refresh_from_db()
    return workflow.schedule(article, by=editor, at=NOON, embargo=embargo)


def test_an_embargo_put_on_keeps_the_time_and_reaches_cleared_keys(editor, key_client):
    article = scheduled(editor)
    cleared = PartnerKeyFactory(partner="Kestrel Wire", can_read_embargoed=True)
    url = f"/api/v1/articles/{article.pk}/"
    assert key_client(cleared).get(url).status_code == 404

    expiry.set_embargo(article, by=editor, embargo=True)

    article.refresh_from_db()
    assert (article.status, article.scheduled_for, article.embargoed_until) == (
        S.SCHEDULED,
        NOON,
        NOON,
    )
    assert key_client(cleared).get(url).json()["embargoed_until"] == "2026-11-02T12:00:00Z"
    event = article.events.get(action="embargo_set")
    assert event.actor == editor
    assert "Embargoed until 2 November 2026 12:00" in event.note


def test_lifting_an_embargo_keeps_the_schedule_and_hides_it_again(editor, key_client):
    article = scheduled(editor, embargo=True)
    cleared = PartnerKeyFactory(partner="Kestrel Wire", can_read_embargoed=True)

    expiry.set_embargo(article, by=editor, embargo=False)

    article.refresh_from_db()
    assert (article.status, article.scheduled_for, article.embargo) == (S.SCHEDULED, NOON, False)
    assert key_client(cleared).get(f"/api/v1/articles/{article.pk}/").status_code == 404
    assert article.events.filter(action="embargo_cleared").count() == 1


def test_webhooks_announce_the_embargo_and_withdraw_it_from_those_sent_it(
    editor, receiver, django_capture_on_commit_callbacks
):
    cleared = endpoint_at(receiver.url, events=["article.embargoed", "article.unpublished"])
    endpoint_at(receiver.url, events=["article.unpublished"], partner="Not cleared")
    article = scheduled(editor)
    with django_capture_on_commit_callbacks(execute=True):
        expiry.set_embargo(article, by=editor, embargo=True)
    sent = WebhookDelivery.objects.get()
    assert (sent.endpoint, sent.event) == (cleared, "article.embargoed")
    assert sent.payload["article"]["embargoed_until"] == "2026-11-02T12:00:00Z"

    with django_capture_on_commit_callbacks(execute=True):
        expiry.set_embargo(article, by=editor, embargo=False)
    withdrawn = WebhookDelivery.objects.get(event="article.unpublished")
    assert withdrawn.endpoint == cleared


@pytest.mark.parametrize(
    ("status", "embargo", "message"),
    [
        (S.APPROVED, True, "Only a scheduled article can be put under embargo."),
        (S.PUBLISHED, True, "Only a scheduled article can be put under embargo."),
        (S.SCHEDULED, False, "It is not under embargo."),
    ],
)
def test_refused_where_it_means_nothing(editor, status, embargo, message):
    article = scheduled(editor)
    Article.objects.filter(pk=article.pk).update(status=status, published_at=MONDAY)
    with pytest.raises(WorkflowError, match=message):
        expiry.set_embargo(article, by=editor, embargo=embargo)
    assert not article.events.filter(action__startswith="embargo").exists()


def test_a_reporter_cannot_change_an_embargo(editor, reporter):
    article = scheduled(editor)
    with pytest.raises(WorkflowError, match="permission"):
        expiry.set_embargo(article, by=reporter, embargo=True)
    article.refresh_from_db()
    assert article.embargo is False


def test_the_admin_button_toggles_it_and_reports_refusals(editor, editor_client, client, reporter):
    article = scheduled(editor)
    url = reverse("admin:articles_article_embargo", args=[article.pk])
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "Put under embargo until 2 Nov 12:00" in page.content.decode()
    assert editor_client.get(url).status_code == 404

    response = editor_client.post(url, {"embargo": "1"}, follow=True)
    assert "Embargo set: cleared partners receive it now." in response.content.decode()
    article.refresh_from_db()
    assert article.embargo is True

    assert "Lift the embargo (keeps 2 Nov 12:00)" in response.content.decode()
    response = editor_client.post(url, {"embargo": "1"}, follow=True)
    assert "already under embargo" in response.content.decode()

    response = editor_client.post(url, {}, follow=True)
    assert "Embargo lifted." in response.content.decode()
    article.refresh_from_db()
    assert article.embargo is False
