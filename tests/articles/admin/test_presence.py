"""Presence on the article page: each open page pings; the answer names the other editors
who have the article open and warns when someone saved it while this editor was editing."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, EditingSession
from articles.publishing import editing
from tests.admin_forms import change_form_data
from tests.articles.admin.helpers import change_url, ready
from tests.factories import ArticleFactory, EditingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def presence_url(article):
    return reverse("admin:articles_article_presence", args=[article.pk])


def leave_url(article):
    return reverse("admin:articles_article_leave", args=[article.pk])


def ping(client, article, *, base_version=None, is_editing=False):
    data = {"base_version": article.version if base_version is None else base_version}
    if is_editing:
        data["is_editing"] = "on"
    return client.post(presence_url(article), data)


def test_each_editor_sees_the_others_who_have_the_article_open(client, editor, second_editor):
    article = ready(ArticleFactory())
    client.force_login(editor)
    assert ping(client, article).json()["others"] == []
    client.force_login(second_editor)

    answer = ping(client, article, is_editing=True).json()

    assert answer == {
        "others": [{"name": "Maria Okafor", "editing": False}],
        "version": 1,
        "changed": False,
    }
    client.force_login(editor)
    assert ping(client, article).json()["others"] == [{"name": "Sam Ng", "editing": True}]


def test_one_row_per_editor_and_article_however_many_pings(client, editor):
    article = ready(ArticleFactory())
    client.force_login(editor)
    ping(client, article)
    ping(client, article, is_editing=True)

    session = EditingSession.objects.get()
    assert (session.user, session.is_editing, session.base_version) == (editor, True, 1)


def test_an_editor_whose_page_stopped_pinging_is_no_longer_listed(client, editor, second_editor):
    article = ready(ArticleFactory())
    gone = timezone.now() - dt.timedelta(seconds=editing.PRESENCE_TIMEOUT + 1)
    EditingSessionFactory(article=article, user=second_editor, last_seen_at=gone)
    EditingSessionFactory(article=article, user=UserFactory(first_name="Ana", last_name="Lee"))
    client.force_login(editor)

    assert ping(client, article).json()["others"] == [{"name": "Ana Lee", "editing": False}]


def test_rows_left_by_crashed_pages_are_swept_by_the_next_ping_on_any_article(
    client, editor, second_editor
):
    crashed = ready(ArticleFactory())
    long_ago = timezone.now() - editing.PRESENCE_SWEEP_AFTER - dt.timedelta(seconds=1)
    EditingSessionFactory(article=crashed, user=second_editor, last_seen_at=long_ago)
    recent = timezone.now() - dt.timedelta(seconds=editing.PRESENCE_TIMEOUT + 1)
    EditingSessionFactory(article=crashed, user=UserFactory(), last_seen_at=recent)
    client.force_login(editor)

    ping(client, ready(ArticleFactory()))

    # The hour-old row is gone; a row only just timed out stays (its page may come back).
    assert sorted(EditingSession.objects.values_list("last_seen_at", flat=True)) == [
        recent,
        EditingSession.objects.get(user=editor).last_seen_at,
    ]


def test_leaving_the_page_removes_the_editor_at_once(client, editor, second_editor):
    article = ready(ArticleFactory())
    client.force_login(second_editor)
    ping(client, article)
    assert client.post(leave_url(article)).json() == {"left": True}

    client.force_login(editor)
    assert ping(client, article).json()["others"] == []
    assert list(EditingSession.objects.values_list("user", flat=True)) == [editor.pk]


def test_other_articles_pages_are_not_listed(client, editor, second_editor):
    article, other = ready(ArticleFactory()), ready(ArticleFactory())
    EditingSessionFactory(article=other, user=second_editor)
    client.force_login(editor)
    assert ping(client, article).json()["others"] == []


def test_a_save_by_someone_else_is_announced_before_this_editor_saves(
    client, editor, second_editor
):
    article = ready(ArticleFactory())
    opened_on = article.version
    client.force_login(second_editor)
    page = client.get(change_url(article))
    client.post(change_url(article), change_form_data(page, headline="Sam's headline"))
    saved_at = article.revisions.get().created_at

    client.force_login(editor)
    answer = ping(client, article, base_version=opened_on, is_editing=True).json()

    assert answer["changed"] is True
    assert answer["version"] == opened_on + 1
    assert answer["saved_by"] == "Sam Ng"
    assert answer["saved_at"] == f"{saved_at:%H:%M}"
    assert answer["warning"] == (
        f"Sam Ng saved this article at {saved_at:%H:%M} (now version {opened_on + 1}) while "
        "you were editing. Saving now will ask you to resolve the conflict."
    )


def test_a_save_in_the_editors_own_other_window_is_told_as_theirs(client, editor):
    article = ready(ArticleFactory())
    client.force_login(editor)
    page = client.get(change_url(article))
    client.post(change_url(article), change_form_data(page, headline="From the other tab"))

    answer = ping(client, article, base_version=1).json()

    assert answer["warning"].startswith("You saved this article at ")
    assert "in another window (now version 2)" in answer["warning"]


def test_a_version_made_without_a_recorded_save_still_warns(client, editor):
    article = ready(ArticleFactory())
    Article.objects.filter(pk=article.pk).update(version=F("version") + 1)
    client.force_login(editor)

    answer = ping(client, article, base_version=1).json()

    assert answer["warning"] == (
        "Someone saved this article (now version 2) while you were editing. Saving now will "
        "ask you to resolve the conflict."
    )


def test_the_change_page_carries_the_panel_for_those_who_may_change_it(client, editor):
    article = ready(ArticleFactory())
    client.force_login(editor)
    html = client.get(change_url(article)).content.decode()

    assert 'id="editing-panel"' in html
    assert f'data-presence-url="{presence_url(article)}"' in html
    assert f'data-ping-seconds="{editing.PING_SECONDS}"' in html
    assert 'role="status"' in html
    assert "articles/editing.js" in html
    # Not on the add page: there is nothing to autosave against yet.
    assert (
        'id="editing-panel"'
        not in client.get(reverse("admin:articles_article_add")).content.decode()
    )


# -- who may, and bad requests -------------------------------------------------------------


def test_those_who_may_not_change_the_article_are_refused(client, reporter, commercial, standards):
    article = ready(ArticleFactory())
    for user, status in [(reporter, 403), (standards, 403), (commercial, 404)]:
        client.force_login(user)
        assert ping(client, article).status_code == status, user
        assert client.post(leave_url(article)).status_code == status, user
    assert not EditingSession.objects.exists()


def test_the_desk_firewall_holds_for_presence(client, editor, commercial, second_commercial):
    sponsored = ArticleFactory(desk="commercial")
    client.force_login(second_commercial)
    ping(client, sponsored, is_editing=True)
    client.force_login(editor)
    assert ping(client, sponsored).status_code == 404  # not even who is working on it
    client.force_login(commercial)
    assert ping(client, sponsored).json()["others"] == [{"name": "Omar Sayed", "editing": True}]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "This field is required."),
        ({"base_version": "x"}, "Enter a whole number."),
        ({"base_version": "-3"}, "greater than or equal to 1"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, editor, data, message):
    article = ArticleFactory()
    client.force_login(editor)
    response = client.post(presence_url(article), data)

    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"]["base_version"])


def test_unknown_articles_wrong_methods_and_missing_tokens_get_no_500(editor):
    article = ArticleFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert ping(client, article).status_code == 403  # no CSRF token
    assert client.post(leave_url(article)).status_code == 403
    client = Client()
    client.force_login(editor)
    assert client.get(presence_url(article)).status_code == 405
    missing = reverse("admin:articles_article_presence", args=[999999])
    assert client.post(missing, {"base_version": 1}).status_code == 404


def test_a_ping_costs_the_same_number_of_queries_however_many_are_present(
    client, editor, second_editor, django_assert_max_num_queries
):
    article = ready(ArticleFactory())
    client.force_login(second_editor)
    page = client.get(change_url(article))
    client.post(change_url(article), change_form_data(page, headline="Sam's"))
    client.force_login(editor)

    def measure(present: int) -> None:
        for _ in range(present):
            EditingSessionFactory(article=article, is_editing=True)
        # session, user, permissions (user's, groups'), the article, its bylines; the upsert;
        # the sweep of crashed pages' rows; who else is present (with their names); the
        # save that made this version.
        with django_assert_max_num_queries(10):
            answer = ping(client, article, base_version=1).json()
        assert answer["changed"] is True
        assert len(answer["others"]) == EditingSession.objects.count() - 1

    measure(5)
    measure(50)


# -- PostgreSQL: pings at the same instant --------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="truly simultaneous upserts need PostgreSQL; CI runs this on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_pings_of_two_editors_and_their_tabs_never_fail_or_duplicate(
    editor, second_editor, monkeypatch
):
    article = ready(ArticleFactory())
    users = [editor, editor, editor, second_editor, second_editor, second_editor]
    # Every ping reaches the upsert at the same instant, as several tabs would.
    together = threading.Barrier(len(users), timeout=30)
    real_ping = editing.ping

    def ping_together(*args, **kwargs):
        together.wait()
        return real_ping(*args, **kwargs)

    statuses, errors = [], []

    def open_page(user) -> None:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        try:
            statuses.append(ping(client, article, is_editing=True).status_code)
        except BaseException as exc:  # reported in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    monkeypatch.setattr(editing, "ping", ping_together)
    threads = [threading.Thread(target=open_page, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert statuses == [200] * len(users)
    assert sorted(EditingSession.objects.values_list("user", flat=True)) == sorted(
        [editor.pk, second_editor.pk]
    )


def test_leaving_costs_the_same_number_of_queries_however_many_are_present(
    client, editor, django_assert_max_num_queries
):
    article = ready(ArticleFactory())
    client.force_login(editor)

    for present in (5, 50):
        EditingSessionFactory.create_batch(present, article=article)
        ping(client, article)
        # session, user, permissions (user's, groups'), the article, its bylines; the delete.
        with django_assert_max_num_queries(7):
            assert client.post(leave_url(article)).status_code == 200
        assert EditingSession.objects.count() == EditingSession.objects.exclude(user=editor).count()
