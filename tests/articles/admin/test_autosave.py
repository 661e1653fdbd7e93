"""Autosave and recovery on the article page: what an editor types is kept in the
background as their one autosave, never as the article, and offered back on reopening."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles.models import Article, ArticleEvent, Revision, WebhookDelivery
from articles.publishing import editing, revisions
from tests.admin_forms import change_form_data
from tests.articles.admin.helpers import change_url, ready, set_status
from tests.factories import ArticleFactory, BylineFactory, UserFactory

pytestmark = pytest.mark.django_db

TYPED = {
    "headline": "Chipmaker doubles output",
    "dek": "A second plant opens in spring.",
    "body": "<p>Sony said its profit rose. Typed but not saved.</p>",
}


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def discard_url(article):
    return reverse("admin:articles_article_discard_autosave", args=[article.pk])


def autosave(client, article, *, base_version=None, **fields):
    data = {"base_version": article.version if base_version is None else base_version}
    return client.post(autosave_url(article), data | TYPED | fields)


def autosaves(article):
    return article.revisions.filter(kind=Revision.Kind.AUTOSAVE)


# -- autosave --------------------------------------------------------------------------


def test_autosave_keeps_the_typed_text_without_saving_the_article(client, editor):
    article = ready(ArticleFactory(headline="Old headline"))
    before = Article.objects.values("headline", "body", "version", "updated_at").get()
    client.force_login(editor)

    response = autosave(client, article)

    assert response.status_code == 200
    answer = response.json()
    assert answer["saved"] is True
    assert answer["version"] == article.version
    assert len(answer["at"]) == 5  # "HH:MM", for "Autosaved at 14:02"
    assert Article.objects.values("headline", "body", "version", "updated_at").get() == before
    kept = autosaves(article).get()
    assert kept.created_by == editor
    assert kept.version == article.version
    assert kept.data == TYPED


def test_autosaving_again_updates_the_one_autosave_instead_of_adding_revisions(client, editor):
    article = ready(ArticleFactory())
    client.force_login(editor)
    for word in ["one", "two", "three"]:
        autosave(client, article, headline=f"Headline {word}")

    assert autosaves(article).get().data["headline"] == "Headline three"
    assert article.revisions.count() == 1


def test_each_editor_has_an_autosave_of_their_own(client, editor, second_editor):
    article = ready(ArticleFactory())
    client.force_login(editor)
    autosave(client, article, headline="Maria's")
    client.force_login(second_editor)
    autosave(client, article, headline="Sam's")

    mine = {r.created_by: r.data["headline"] for r in autosaves(article)}
    assert mine == {editor: "Maria's", second_editor: "Sam's"}


def test_autosave_is_refused_after_someone_else_saved_and_keeps_the_text(
    client, editor, second_editor
):
    article = ready(ArticleFactory(headline="First"))
    client.force_login(editor)
    page = client.get(change_url(article))
    opened_on = article.version
    client.force_login(second_editor)
    other = client.get(change_url(article))
    client.post(change_url(article), change_form_data(other, headline="Sam's headline"))

    client.force_login(editor)
    response = autosave(client, article, base_version=opened_on, headline="Maria's typing")

    assert page.status_code == 200
    assert response.status_code == 409
    answer = response.json()
    assert (answer["saved"], answer["kept"]) == (False, True)
    assert answer["saved_by"] == "Sam Ng"
    assert answer["reason"].startswith("Not autosaved: Sam Ng saved this article at ")
    assert f"after you opened it on version {opened_on}" in answer["reason"]
    article.refresh_from_db()
    assert article.headline == "Sam's headline"  # theirs stands
    kept = autosaves(article).get()
    assert (kept.data["headline"], kept.version) == ("Maria's typing", opened_on)


def test_an_autosave_that_arrives_after_the_editors_own_save_is_not_kept(client, editor):
    article = ready(ArticleFactory())
    client.force_login(editor)
    page = client.get(change_url(article))
    client.post(change_url(article), change_form_data(page, headline="Saved"))

    # Sent a moment before the save, answered a moment after it.
    response = autosave(client, article, base_version=1, headline="Typed")

    assert response.status_code == 409
    assert response.json()["kept"] is False
    assert response.json()["reason"].startswith("Not autosaved: You saved this article at ")
    assert not autosaves(article).exists()


def test_autosave_of_a_live_piece_changes_nothing_readers_see_and_runs_no_gates(client, editor):
    article = ready(ArticleFactory(body="<p>Sony said its profit rose. Live text.</p>"))
    set_status(article, Article.Status.PUBLISHED, published_at=article.created_at)
    client.force_login(editor)

    # Without the claim's quoted sentence, a save of this live piece would be refused.
    response = autosave(client, article, body="<p>Something else entirely.</p>")

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.body == "<p>Sony said its profit rose. Live text.</p>"
    assert "Live text." in client.get(article.get_absolute_url()).content.decode()
    assert not ArticleEvent.objects.filter(article=article).exists()
    assert not WebhookDelivery.objects.exists()


def test_an_autosave_is_never_listed_or_counted_as_a_saved_revision(client, editor):
    article = ready(ArticleFactory())
    client.force_login(editor)
    page = client.get(change_url(article))
    client.post(change_url(article), change_form_data(page, headline="Saved once"))
    autosave(client, article.__class__.objects.get(), headline="Typed after it")

    history = client.get(reverse("admin:articles_article_revisions", args=[article.pk]))
    page = client.get(change_url(article))

    assert [r.kind for r in history.context["history"]] == [Revision.Kind.SAVED]
    assert "Typed after it" not in history.content.decode()
    assert page.context["revision_count"] == 1
    number = autosaves(article).get().number
    restore = reverse("admin:articles_article_restore", args=[article.pk, number])
    assert client.post(restore).status_code == 404


def test_saves_keep_their_numbers_in_sequence_around_autosaves(client, editor, second_editor):
    article = ready(ArticleFactory())
    client.force_login(second_editor)
    autosave(client, article, headline="Sam's typing")  # holds a number above the saves
    client.force_login(editor)
    for headline in ["First save", "Second save"]:
        page = client.get(change_url(article))
        client.post(change_url(article), change_form_data(page, headline=headline))

    saved = list(revisions.history(article).values_list("number", flat=True))
    assert saved == [2, 1]
    assert autosaves(article).get().data["headline"] == "Sam's typing"


def test_saving_normally_drops_the_editors_autosave_but_not_others(client, editor, second_editor):
    article = ready(ArticleFactory())
    client.force_login(second_editor)
    autosave(client, article, headline="Sam's typing")
    client.force_login(editor)
    autosave(client, article, headline="Maria's typing")
    page = client.get(change_url(article))

    client.post(change_url(article), change_form_data(page, headline="Maria's save"))

    assert [r.created_by for r in autosaves(article)] == [second_editor]


# -- who may, and bad requests -------------------------------------------------------------


def test_those_who_may_not_change_the_article_are_refused(client, reporter, commercial, standards):
    article = ready(ArticleFactory())
    for user, status in [(reporter, 403), (standards, 403), (commercial, 404)]:
        client.force_login(user)
        assert autosave(client, article).status_code == status, user
        assert client.post(discard_url(article)).status_code == status, user
    assert not autosaves(article).exists()
    html = client.get(change_url(article)).content.decode()
    assert 'id="editing-panel"' not in html


def test_a_reporter_autosaves_their_own_draft(client, reporter):
    article = ready(ArticleFactory(created_by=reporter))
    client.force_login(reporter)
    assert autosave(client, article).status_code == 200


def test_unknown_articles_wrong_methods_and_strangers_get_no_500(client, editor):
    article = ArticleFactory()
    assert autosave(client, article).status_code == 302  # to the login page
    client.force_login(UserFactory(username="reader"))  # no staff status
    assert autosave(client, article).status_code == 302
    client.force_login(editor)
    assert client.post(reverse("admin:articles_article_autosave", args=[999999])).status_code == 404
    assert client.get(autosave_url(article)).status_code == 405


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"base_version": "seven"}, "base_version", "Enter a whole number."),
        ({"base_version": "0"}, "base_version", "greater than or equal to 1"),
        ({"base_version": "99"}, "base_version", "has no version 99 yet"),
        ({"headline": "x" * 251}, "headline", "at most 250 characters"),
        ({"dek": "x" * 401}, "dek", "at most 400 characters"),
        ({"body": "<p>" + "x" * editing.BODY_MAX_LENGTH + "</p>"}, "body", "at most 200000"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, editor, fields, field, message):
    article = ArticleFactory()
    client.force_login(editor)
    response = client.post(
        autosave_url(article), {"base_version": article.version} | TYPED | fields
    )

    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert not autosaves(article).exists()


def test_a_field_left_out_is_refused_rather_than_blanked(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    response = client.post(autosave_url(article), {"base_version": article.version, "body": ""})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"headline", "dek"}


def test_text_is_cleaned_as_a_save_would_clean_it(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    response = autosave(
        client,
        article,
        headline="Vertical\x0btab",
        body='<p onclick="steal()">Hi<script>alert(1)</script></p>',
    )

    assert response.status_code == 200
    data = autosaves(article).get().data
    assert data["headline"] == "Verticaltab"
    assert data["body"] == "<p>Hi</p>"
    # PostgreSQL cannot store U+0000 at all: refused by name, not a 500.
    response = autosave(client, article, headline="Null\x00")
    assert response.status_code == 400
    assert response.json()["errors"]["headline"] == ["Null characters are not allowed."]


def test_autosave_needs_the_csrf_token(editor):
    article = ArticleFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert autosave(client, article).status_code == 403
    assert not autosaves(article).exists()


def test_autosave_costs_the_same_number_of_queries_however_much_history(
    client, editor, second_editor, django_assert_max_num_queries
):
    article = ready(ArticleFactory())
    client.force_login(editor)
    autosave(client, article)

    def measure(extra_bylines: int) -> None:
        for _ in range(extra_bylines):
            BylineFactory(article=article)
            revisions.record(article, by=second_editor)
        article.refresh_from_db()
        # session, user, permissions (user's, groups'), the article, its bylines; savepoint,
        # the article's version (locked), the autosave read and updated, savepoint released.
        with django_assert_max_num_queries(11):
            assert autosave(client, article).status_code == 200

    measure(5)
    measure(50)


# -- PostgreSQL: autosaves at the same instant -----------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="truly simultaneous writes need PostgreSQL; CI runs this on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_autosaves_from_several_tabs_and_a_save_stay_in_order(
    editor, second_editor, monkeypatch
):
    article = ready(ArticleFactory())
    tabs = [editor, editor, editor, second_editor, second_editor]
    # Every autosave reaches the article's lock at the same instant, as open tabs would.
    together = threading.Barrier(len(tabs) + 1, timeout=30)
    real_autosave = editing.autosave

    def autosave_together(*args, **kwargs):
        together.wait()
        return real_autosave(*args, **kwargs)

    monkeypatch.setattr(editing, "autosave", autosave_together)
    statuses, errors = [], []

    def type_in(user, n: int) -> None:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        try:
            statuses.append(autosave(client, article, headline=f"Tab {n}").status_code)
        except BaseException as exc:  # reported in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=type_in, args=(u, n)) for n, u in enumerate(tabs)]
    for thread in threads:
        thread.start()
    together.wait()
    revisions.record(article, by=editor)  # a save, at the same instant
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert statuses == [200] * len(tabs)
    assert sorted(r.created_by_id for r in autosaves(article)) == [editor.pk, second_editor.pk]
    assert list(revisions.history(article).values_list("number", flat=True)) == [1]
    numbers = list(article.revisions.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 3
