import datetime as dt
import io
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from articles.models import AIInvolvement, Article, ArticleEvent, Sponsorship
from articles.publishing import workflow
from articles.publishing.workflow import WorkflowError
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AttributionFactory,
    BylineFactory,
    ClaimFactory,
    SponsorshipFactory,
    make_publishable,
    verify_claims,
)

pytestmark = pytest.mark.django_db

S = Article.Status
# A Monday morning; every test starts here with the clock standing still.
MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def approved(**fields) -> Article:
    article = make_publishable(ArticleFactory(**fields))
    Article.objects.filter(pk=article.pk).update(status=S.APPROVED)
    article.refresh_from_db()
    return article


def sponsored(commercial, **campaign) -> Article:
    article = ArticleFactory(created_by=commercial, desk=Article.Desk.COMMERCIAL)
    SponsorshipFactory(article=article, kind=Sponsorship.Kind.NATIVE_ADVERTISING, **campaign)
    make_publishable(article)
    Article.objects.filter(pk=article.pk).update(status=S.APPROVED)
    article.refresh_from_db()
    return article


def scheduled(at: dt.datetime) -> Article:
    """A ready article put straight into the schedule, as a table row would be."""
    article = make_publishable(ArticleFactory())
    Article.objects.filter(pk=article.pk).update(status=S.SCHEDULED, scheduled_for=at)
    article.refresh_from_db()
    return article


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)


# -- scheduling ---------------------------------------------------------------------------


@pytest.mark.parametrize("when", [MONDAY - dt.timedelta(minutes=1), MONDAY])
def test_scheduling_for_a_moment_already_past_is_refused(editor, when):
    article = approved()
    with pytest.raises(WorkflowError) as exc:
        workflow.schedule(article, by=editor, at=when)
    assert exc.value.problems == ["Choose a time in the future, or publish now."]
    article.refresh_from_db()
    assert (article.status, article.scheduled_for) == (S.APPROVED, None)
    assert not article.events.exists()


def test_reporter_cannot_schedule(reporter):
    article = approved(created_by=reporter)
    with pytest.raises(WorkflowError, match="You do not have permission to schedule"):
        workflow.schedule(article, by=reporter, at=at(3, 9))


def test_scheduling_checks_the_campaign_on_the_chosen_day_not_today(commercial):
    article = sponsored(commercial, campaign_starts_on=dt.date(2026, 11, 10), campaign_ends_on=None)

    with pytest.raises(WorkflowError) as exc:
        workflow.schedule(article, by=commercial, at=at(9, 23, 59))
    assert exc.value.problems == [
        "The sponsor's campaign runs from 10 November 2026, so the piece cannot be published "
        "on 9 November 2026."
    ]
    assert Article.objects.get(pk=article.pk).status == S.APPROVED

    # Not publishable today, but it may be lined up for the campaign's first morning.
    assert workflow.publish_problems(article) != []
    workflow.schedule(article, by=commercial, at=at(10, 7))
    article.refresh_from_db()
    assert (article.status, article.scheduled_for) == (S.SCHEDULED, at(10, 7))


def test_unscheduling_takes_it_off_the_schedule(editor, clock):
    article = approved()
    workflow.schedule(article, by=editor, at=at(2, 11))
    workflow.unschedule(article, by=editor)
    article.refresh_from_db()
    assert (article.status, article.scheduled_for) == (S.APPROVED, None)

    clock.move_to(at(2, 12))
    assert workflow.publish_due() == []
    assert Article.objects.get(pk=article.pk).status == S.APPROVED


# -- publishing what is due -------------------------------------------------------------


def test_nothing_is_published_before_its_time(editor, clock):
    article = approved()
    workflow.schedule(article, by=editor, at=at(2, 11))

    clock.move_to(at(2, 10, 59))
    assert workflow.publish_due() == []
    article.refresh_from_db()
    assert (article.status, article.published_at) == (S.SCHEDULED, None)
    assert not article.events.filter(action="publish").exists()


def test_due_article_is_published_by_the_scheduler(editor, clock):
    article = approved()
    workflow.schedule(article, by=editor, at=at(2, 11))

    clock.move_to(at(2, 11, 1))
    assert [a.pk for a in workflow.publish_due()] == [article.pk]

    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    assert article.published_at == at(2, 11, 1)
    assert article.scheduled_for is None
    assert article in Article.objects.published()
    event = article.events.get(action="publish")
    assert (event.actor, event.actor_name, event.from_status, event.to_status) == (
        None,
        "",
        S.SCHEDULED,
        S.PUBLISHED,
    )
    assert str(event) == "publish by the scheduler at 2026-11-02 11:01"


def test_running_the_scheduler_again_publishes_nothing_new(editor, clock):
    article = approved()
    workflow.schedule(article, by=editor, at=at(2, 11))
    clock.move_to(at(2, 11, 1))
    workflow.publish_due()

    clock.move_to(at(2, 11, 2))
    assert workflow.publish_due() == []
    article.refresh_from_db()
    assert article.published_at == at(2, 11, 1)
    assert article.events.filter(action="publish").count() == 1


def test_only_the_due_articles_are_published(clock):
    due = [scheduled(at(2, 10)), scheduled(at(2, 11))]
    later = scheduled(at(2, 12))

    clock.move_to(at(2, 11))
    assert {a.pk for a in workflow.publish_due()} == {a.pk for a in due}
    assert Article.objects.get(pk=later.pk).status == S.SCHEDULED


def test_campaign_ended_before_the_scheduler_ran_sends_it_back_to_approved(commercial, clock):
    article = sponsored(
        commercial, campaign_starts_on=dt.date(2026, 10, 1), campaign_ends_on=dt.date(2026, 11, 2)
    )
    workflow.schedule(article, by=commercial, at=at(2, 23, 50))

    # The scheduler ran late, past midnight: the campaign has ended.
    clock.move_to(at(3, 0, 5))
    assert workflow.publish_due() == []

    article.refresh_from_db()
    assert (article.status, article.scheduled_for, article.published_at) == (
        S.APPROVED,
        None,
        None,
    )
    failed = article.events.get(action="schedule_failed")
    assert (failed.actor, failed.from_status, failed.to_status) == (None, S.SCHEDULED, S.APPROVED)
    assert failed.note == (
        "The sponsor's campaign runs from 1 October 2026 to 2 November 2026, so the piece "
        "cannot be published on 3 November 2026."
    )
    assert not article.events.filter(action="publish").exists()
    # It is not retried on the next run.
    assert workflow.publish_due() == []
    assert article.events.filter(action="schedule_failed").count() == 1


def test_ai_piece_edited_after_its_review_is_not_published_by_the_scheduler(
    editor, second_editor, clock
):
    article = ArticleFactory(ai_involvement=AIInvolvement.GENERATED)
    BylineFactory(article=article, author=AIAgentFactory(name="Ledger"))
    AttributionFactory(claim=ClaimFactory(article=article, text="Sony said its profit rose."))
    verify_claims(article)
    Article.objects.filter(pk=article.pk).update(status=S.APPROVED)
    workflow.record_review(article, by=second_editor)
    workflow.schedule(article, by=editor, at=at(2, 18))

    article.refresh_from_db()
    article.headline = "Sony's profit soars"
    article.save()

    clock.move_to(at(2, 18))
    assert workflow.publish_due() == []
    article.refresh_from_db()
    assert article.status == S.APPROVED
    assert "record a new review" in article.events.get(action="schedule_failed").note


def test_one_failing_article_does_not_hold_up_the_others(clock):
    broken = scheduled(at(2, 10))
    broken.claims.get().attributions.all().delete()
    fine = scheduled(at(2, 10))

    clock.move_to(at(2, 10, 30))
    assert [a.pk for a in workflow.publish_due()] == [fine.pk]
    assert Article.objects.get(pk=broken.pk).status == S.APPROVED
    assert Article.objects.get(pk=fine.pk).status == S.PUBLISHED


# -- the cron command -------------------------------------------------------------------


def test_publish_due_command_says_what_it_published(clock):
    article = scheduled(at(2, 10))
    scheduled(at(2, 12))
    clock.move_to(at(2, 10, 1))

    out = io.StringIO()
    call_command("publish_due", stdout=out)

    assert out.getvalue().splitlines() == [
        f"Published: {article.headline} (#{article.pk})",
        "1 scheduled article(s) published.",
    ]
    assert Article.objects.get(pk=article.pk).status == S.PUBLISHED


def test_publish_due_command_with_nothing_due():
    scheduled(at(2, 12))
    out = io.StringIO()
    call_command("publish_due", stdout=out)
    assert out.getvalue() == "0 scheduled article(s) published.\n"


# -- two schedulers at once (PostgreSQL) --------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; CI runs this on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_scheduler_runs_publish_each_article_once(clock):
    articles = [scheduled(at(2, 8, minute)) for minute in range(5)]
    start = threading.Barrier(2, timeout=10)
    results: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def run(name: str) -> None:
        try:
            start.wait()
            results[name] = [a.pk for a in workflow.publish_due()]
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(results["first"] + results["second"]) == sorted(a.pk for a in articles)
    for article in articles:
        assert ArticleEvent.objects.filter(article=article, action="publish").count() == 1
    # Neither run mistook the other's work for a failed gate and sent it back.
    assert Article.objects.filter(status=S.PUBLISHED).count() == 5
    assert not ArticleEvent.objects.filter(action="schedule_failed").exists()
