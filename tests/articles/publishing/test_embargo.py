"""Embargo and expiry as the newsroom sees them: an embargoed schedule publishes at its
time through the same gates and stays off every public surface until then; an expiry
takes a piece down through the workflow, on the audit trail, and the page answers 410."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from articles.models import Article, ArticleEvent, Byline
from articles.publishing import expiry, workflow
from articles.publishing.gates import publish_problems
from tests.articles.publishing.helpers import fresh, refusal, status_of
from tests.factories import ArticleFactory, SectionFactory, make_publishable

pytestmark = pytest.mark.django_db

S = Article.Status
MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
NOON = MONDAY.replace(hour=12)
HEADLINE = "Central bank cuts rates in surprise move"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def approved(**fields) -> Article:
    article = make_publishable(ArticleFactory(**fields))
    Article.objects.filter(pk=article.pk).update(status=S.APPROVED)
    article.refresh_from_db()
    return article


def embargoed(editor, at=NOON, **fields) -> Article:
    return workflow.schedule(approved(**fields), by=editor, at=at, embargo=True)


def published(editor, **fields) -> Article:
    return workflow.publish(approved(**fields), by=editor)


# -- embargo ---------------------------------------------------------------------------


def test_an_embargoed_article_publishes_itself_at_the_embargo_time(editor, clock):
    article = embargoed(editor)
    assert fresh(article).embargoed_until == NOON

    clock.move_to(NOON - dt.timedelta(minutes=1))
    assert workflow.publish_due() == []
    clock.move_to(NOON)
    out = io.StringIO()
    call_command("publish_due", stdout=out)

    article = fresh(article)
    assert article.status == S.PUBLISHED
    assert article.published_at == NOON
    assert (article.embargo, article.embargoed_until) == (False, None)
    assert "1 scheduled article(s) published." in out.getvalue()


def test_an_embargoed_article_whose_gates_fail_at_its_time_does_not_publish(editor, clock):
    article = embargoed(editor)
    Byline.objects.filter(article=article).delete()

    clock.move_to(NOON)
    assert workflow.publish_due() == []

    article = fresh(article)
    assert (article.status, article.embargo, article.scheduled_for) == (S.APPROVED, False, None)
    event = article.events.get(action="schedule_failed")
    assert "Add at least one byline." in event.note


def test_embargo_is_checked_against_the_gates_when_scheduled(editor):
    article = approved()
    Byline.objects.filter(article=article).delete()
    problems = refusal(workflow.schedule, article, by=editor, at=NOON, embargo=True)
    assert "Add at least one byline." in problems
    assert status_of(article) == S.APPROVED


def test_unscheduling_lifts_the_embargo(editor):
    article = workflow.unschedule(embargoed(editor), by=editor)
    article = fresh(article)
    assert (article.status, article.embargo, article.embargoed_until) == (S.APPROVED, False, None)


def test_a_plain_schedule_is_not_an_embargo(editor):
    article = workflow.schedule(approved(), by=editor, at=NOON)
    assert fresh(article).embargoed_until is None


def test_the_database_refuses_an_embargo_on_an_unscheduled_article():
    article = approved()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(embargo=True)


def test_readers_never_see_an_embargoed_article_anywhere(client, editor):
    section = SectionFactory(name="Economy", slug="economy")
    article = embargoed(editor, headline=HEADLINE, section=section)
    published(editor, headline="Harbour reopens after storm", section=section)

    assert client.get(article.get_absolute_url()).status_code == 404
    for url in ["/feeds/latest.rss", "/section/economy/", "/api/v1/articles/"]:
        assert "Harbour reopens after storm" in client.get(url).content.decode(), url
    for url in [
        "/",
        "/section/economy/",
        "/section/economy/feed.rss",
        "/feeds/latest.rss",
        "/feeds/latest.atom",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/search/?q=central+bank",
        "/api/v1/articles/",
        "/api/v1/articles/?format=ninjs",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert HEADLINE not in response.content.decode(), url
    assert client.get(f"/api/v1/articles/{article.pk}/").status_code == 404


def test_the_admin_shows_embargoed_articles_distinctly(editor_client, editor):
    embargoed(editor, headline=HEADLINE)
    workflow.schedule(approved(headline="An ordinary schedule"), by=editor, at=NOON)

    html = editor_client.get("/admin/articles/article/").content.decode()
    assert html.count("Embargoed until 2 Nov 12:00") == 1
    assert "Scheduled" in html


def test_editors_embargo_from_the_article_page(editor_client):
    article = approved()
    url = f"/admin/articles/article/{article.pk}/transition/schedule/"
    response = editor_client.post(url, {"scheduled_for": "2026-11-02 12:00", "embargo": "1"})
    assert response.status_code == 302
    assert fresh(article).embargoed_until == NOON

    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "embargoed until 2 Nov 2026 12:00" in page


# -- expiry ----------------------------------------------------------------------------


def test_an_expired_article_unpublishes_itself_with_an_audit_event_and_answers_410(
    client, editor, clock
):
    article = published(editor, headline=HEADLINE)
    expiry.set_expiry(article, by=editor, at=NOON)
    assert client.get(article.get_absolute_url()).status_code == 200

    clock.move_to(NOON + dt.timedelta(seconds=30))
    out = io.StringIO()
    call_command("publish_due", stdout=out)

    assert status_of(article) == S.UNPUBLISHED
    assert "1 expired article(s) unpublished." in out.getvalue()
    event = ArticleEvent.objects.filter(article=article).latest("pk")
    assert (event.action, event.from_status, event.to_status) == (
        "unpublish",
        "published",
        "unpublished",
    )
    assert event.actor is None
    assert event.note == "Expired: its unpublish time (2 November 2026 12:00) came."
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert HEADLINE not in client.get("/feeds/latest.rss").content.decode()


def test_expiry_runs_once_however_often_the_scheduler_runs(editor, clock):
    article = published(editor)
    expiry.set_expiry(article, by=editor, at=NOON)
    clock.move_to(NOON)
    assert len(expiry.unpublish_expired()) == 1
    assert expiry.unpublish_expired() == []
    assert article.events.filter(action="unpublish").count() == 1


def test_setting_and_clearing_the_unpublish_time_is_audited(editor, clock):
    article = published(editor)
    expiry.set_expiry(article, by=editor, at=NOON)
    expiry.set_expiry(article, by=editor, at=None)
    assert fresh(article).expires_at is None
    notes = list(
        article.events.filter(action="expiry").order_by("pk").values_list("note", flat=True)
    )
    assert notes == ["Unpublishes itself at 2 November 2026 12:00.", "Unpublish time cleared."]
    clock.move_to(NOON + dt.timedelta(days=1))
    assert expiry.unpublish_expired() == []


def test_an_expiry_cannot_come_before_publication(editor):
    scheduled = workflow.schedule(approved(), by=editor, at=NOON)
    problems = refusal(expiry.set_expiry, scheduled, by=editor, at=NOON - dt.timedelta(hours=1))
    assert problems == [
        "The unpublish time must be after its scheduled publication (2 Nov 2026 12:00)."
    ]
    assert refusal(expiry.set_expiry, published(editor), by=editor, at=MONDAY) == [
        "Choose an unpublish time in the future."
    ]


def test_reporters_cannot_set_an_unpublish_time(reporter, editor):
    problems = refusal(expiry.set_expiry, published(editor), by=reporter, at=NOON)
    assert problems == ["You do not have permission to set when this article unpublishes."]


def test_a_piece_cannot_be_scheduled_past_its_unpublish_time(editor):
    article = approved()
    expiry.set_expiry(article, by=editor, at=NOON)
    problems = refusal(workflow.schedule, article, by=editor, at=NOON + dt.timedelta(hours=1))
    assert any("unpublish time" in problem for problem in problems)
    assert publish_problems(fresh(article)) == []


def test_the_model_and_database_refuse_an_expiry_before_publication(editor):
    article = published(editor)
    article.expires_at = article.published_at - dt.timedelta(minutes=1)
    with pytest.raises(ValidationError) as exc:
        article.full_clean()
    assert "expires_at" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(expires_at=article.expires_at)


def test_a_bad_unpublish_time_in_the_admin_is_a_message_not_an_error(editor_client, editor):
    article = published(editor)
    url = f"/admin/articles/article/{article.pk}/expiry/"
    response = editor_client.post(url, {"expires_at": "not a date"}, follow=True)
    assert response.status_code == 200
    assert "Setting the unpublish time was refused" in response.content.decode()
    response = editor_client.post(url, {"expires_at": "2026-11-01 12:00"}, follow=True)
    assert "Choose an unpublish time in the future." in response.content.decode()
    response = editor_client.post(url, {"expires_at": "2026-11-02 12:00"}, follow=True)
    assert "Unpublish time saved." in response.content.decode()
    assert fresh(article).expires_at == NOON


# The worker closes its database connection between tasks, as in production.
@pytest.mark.django_db(transaction=True)
def test_with_a_task_queue_an_expiry_unpublishes_on_time_without_cron(
    editor, settings, django_capture_on_commit_callbacks, clock
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    article = published(editor)
    with django_capture_on_commit_callbacks(execute=True):
        expiry.set_expiry(article, by=editor, at=NOON)
    assert DBTaskResult.objects.get().run_after == NOON

    clock.move_to(NOON + dt.timedelta(seconds=1))
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert status_of(article) == S.UNPUBLISHED
