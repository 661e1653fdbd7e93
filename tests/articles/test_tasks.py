import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from articles.publishing import workflow
from tests.factories import ArticleFactory, AttributionFactory, BylineFactory, ClaimFactory

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def approved():
    article = ArticleFactory()
    BylineFactory(article=article)
    AttributionFactory(claim=ClaimFactory(article=article, text="Sony said its profit rose."))
    Article.objects.filter(pk=article.pk).update(status=Article.Status.APPROVED)
    article.refresh_from_db()
    return article


@pytest.fixture
def schedule_on_the_queue(approved, editor, settings, django_capture_on_commit_callbacks):
    """Schedule ``approved`` two hours ahead with the database queue; returns the time."""
    settings.TASKS = DATABASE_QUEUE
    at = timezone.now() + dt.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.schedule(approved, by=editor, at=at)
    return at


# The worker closes its database connection between tasks, as in production, so
# these tests cannot live inside a rolled-back transaction.
@pytest.mark.django_db(transaction=True)
def test_with_a_task_queue_a_scheduled_article_publishes_itself_on_time(
    approved, schedule_on_the_queue
):
    at = schedule_on_the_queue
    queued = DBTaskResult.objects.get()
    assert queued.run_after == at

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    approved.refresh_from_db()
    assert approved.status == Article.Status.SCHEDULED  # not yet: the task waits for its time

    with time_machine.travel(at + dt.timedelta(seconds=1)):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    approved.refresh_from_db()
    assert approved.status == Article.Status.PUBLISHED
    assert approved.events.get(action="publish").actor is None


def test_without_a_deferring_queue_nothing_is_enqueued_and_cron_publishes(
    approved, editor, django_capture_on_commit_callbacks
):
    at = timezone.now() + dt.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.schedule(approved, by=editor, at=at)
    assert not DBTaskResult.objects.exists()
    with time_machine.travel(at + dt.timedelta(minutes=1)):
        call_command("publish_due", verbosity=0)
    approved.refresh_from_db()
    assert approved.status == Article.Status.PUBLISHED


@pytest.mark.django_db(transaction=True)
def test_a_publication_queued_under_the_tasks_old_path_still_runs(approved, schedule_on_the_queue):
    # Rows queued before the task moved beside the workflow name articles.tasks.
    at = schedule_on_the_queue
    DBTaskResult.objects.update(task_path="articles.tasks.publish_due_articles")

    with time_machine.travel(at + dt.timedelta(seconds=1)):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    approved.refresh_from_db()
    assert approved.status == Article.Status.PUBLISHED
