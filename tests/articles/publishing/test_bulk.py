"""Bulk changes (articles.publishing.bulk) beyond what the admin's tests show: live gates,
the cost of each article, real commits announced once, and a row being saved meanwhile."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.models import Article, ArticleEvent
from articles.publishing import bulk, workflow
from tests.articles.publishing.helpers import S, put
from tests.factories import ArticleFactory, ImageFactory, SectionFactory, make_publishable

pytestmark = pytest.mark.django_db


@pytest.fixture
def technology():
    return SectionFactory(name="Technology", slug="technology")


def piece(user, status=S.DRAFT, **fields) -> Article:
    """A newsroom piece ``user`` made, passing every publish gate, in ``status``."""
    article = ArticleFactory(created_by=user, desk=Article.Desk.NEWSROOM, **fields)
    return put(make_publishable(article), status)


def test_a_change_that_would_fail_a_live_gate_is_refused_and_undone(
    editor, technology, monkeypatch
):
    # A stand-in for a section rule (the gates have none yet): whatever gate fails after
    # the change refuses it, and nothing of it is kept.
    gates = workflow.publish_problems

    def with_a_section_rule(article, **kwargs):
        problems = gates(article, **kwargs)
        if article.section_id == technology.pk and article.headline.startswith("Blocked"):
            problems.append("Blocked pieces may not be in Technology.")
        return problems

    monkeypatch.setattr(workflow, "publish_problems", with_a_section_rule)
    blocked = piece(editor, S.PUBLISHED, headline="Blocked piece")
    fine = piece(editor, S.PUBLISHED, headline="Fine piece")

    outcome = bulk.move_to_section([blocked, fine], by=editor, section=technology)

    assert outcome.refused == [
        bulk.Refusal("Blocked piece", "Blocked pieces may not be in Technology.")
    ]
    assert [article.pk for article in outcome.done] == [fine.pk]
    stored = Article.objects.get(pk=blocked.pk)
    assert (stored.section_id, stored.version) == (blocked.section_id, blocked.version)
    assert not blocked.events.exists()
    assert not blocked.revisions.exists()


def test_a_problem_a_live_piece_already_had_does_not_block_the_change(editor, technology):
    article = piece(editor, S.PUBLISHED, lead_image=ImageFactory(alt_text=""))
    assert workflow.live_problems(article) == ["The lead image needs alt text."]
    outcome = bulk.add_tags([article], by=editor, names=["energy"])
    assert [a.pk for a in outcome.done] == [article.pk]
    assert list(article.tags.names()) == ["energy"]


def test_each_article_costs_a_fixed_number_of_queries(editor, technology):
    def run(n):
        made = [piece(editor).pk for _ in range(n)]
        articles = list(Article.objects.for_listing().filter(pk__in=made))
        with CaptureQueriesContext(connection) as ctx:
            outcome = bulk.move_to_section(articles, by=editor, section=technology)
        assert len(outcome.done) == n
        return len(ctx.captured_queries)

    run(1)  # the editor's permissions are read once, then kept on the user
    two, four, six = run(2), run(4), run(6)
    assert six - four == four - two
    assert ArticleEvent.objects.filter(action="section_moved").count() == 13


@pytest.mark.django_db(transaction=True)
def test_with_real_commits_the_batch_is_announced_once_after_the_last_change(
    editor, commercial, technology
):
    live = [piece(editor, S.PUBLISHED) for _ in range(3)]
    theirs = ArticleFactory(desk=Article.Desk.COMMERCIAL, headline="An advertiser's piece")
    told = []
    receiver = lambda **kw: told.append((kw["action"], sorted(a.pk for a in kw["articles"])))  # noqa: E731
    workflow.articles_changed.connect(receiver, weak=False)
    try:
        outcome = bulk.move_to_section([*live, theirs], by=editor, section=technology)
    finally:
        workflow.articles_changed.disconnect(receiver)
    assert [refusal.headline for refusal in outcome.refused] == ["An advertiser's piece"]
    assert told == [("updated", sorted(a.pk for a in live))]


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL (SQLite ignores select_for_update); CI runs this there",
)
@pytest.mark.django_db(transaction=True)
def test_a_piece_being_saved_meanwhile_is_waited_for_then_refused_as_changed(editor, technology):
    busy, other = piece(editor, headline="Busy piece"), piece(editor, headline="Quiet piece")
    seen = {article.pk: article.version for article in (busy, other)}
    locked, errors = threading.Event(), []

    def save_slowly():
        try:
            with transaction.atomic():
                article = Article.objects.select_for_update().get(pk=busy.pk)
                locked.set()
                time.sleep(0.5)
                article.headline = "Busy piece, rewritten"
                article.save()
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=save_slowly)
    thread.start()
    assert locked.wait(10)
    started = time.monotonic()
    outcome = bulk.move_to_section([busy, other], by=editor, section=technology, versions=seen)
    waited = time.monotonic() - started
    thread.join(10)

    assert errors == []
    assert waited >= 0.3  # it waited for the other save's row lock, never overwrote it
    [refusal] = outcome.refused
    assert refusal.headline == "Busy piece"
    assert refusal.reason.startswith("Someone saved it after you chose it")
    assert [article.pk for article in outcome.done] == [other.pk]
    stored = Article.objects.get(pk=busy.pk)
    assert (stored.headline, stored.section == technology) == ("Busy piece, rewritten", False)
