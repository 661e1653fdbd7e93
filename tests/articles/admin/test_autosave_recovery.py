"""Recovery on the article page: reopening it offers the editor's newer autosaved text,
to restore into the form (then saved through the usual checks) or discard."""

import pytest

from articles.publishing import editing
from tests.admin_forms import change_form_data
from tests.articles.admin.helpers import change_url, ready
from tests.articles.admin.test_autosave import TYPED, autosave, autosaves, discard_url
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_reopening_the_page_offers_the_newer_autosaved_text(client, editor):
    article = ready(ArticleFactory())
    client.force_login(editor)
    autosave(client, article)
    at = autosaves(article).get().created_at

    html = client.get(change_url(article)).content.decode()

    assert f"Restore autosaved text from {at:%H:%M}" in html
    assert "that was never saved" in html
    assert "<ins>Chipmaker doubles output</ins>" in html  # what it changes
    assert "Typed but not saved." in html  # readable and copyable as it is
    assert "Others saved this article since" not in html


def test_restoring_puts_the_text_in_the_form_and_a_normal_save_keeps_it(client, editor):
    article = ready(ArticleFactory())
    client.force_login(editor)
    autosave(client, article)

    page = client.get(change_url(article) + "?autosave=restore")
    form = page.context["adminform"].form

    assert form["headline"].value() == TYPED["headline"]
    assert form["body"].value() == TYPED["body"]
    assert "is in the form below. It is not saved yet" in page.content.decode()
    assert "Restore autosaved text" not in page.content.decode()
    response = client.post(change_url(article), change_form_data(page))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.body) == (TYPED["headline"], TYPED["body"])
    assert not autosaves(article).exists()


def test_an_autosave_typed_before_others_saved_says_so_and_meets_the_conflict_check(
    client, editor, second_editor
):
    article = ready(ArticleFactory())
    client.force_login(editor)
    opened_on = article.version
    autosave(client, article, headline="Maria's typing")
    client.force_login(second_editor)
    other = client.get(change_url(article))
    client.post(change_url(article), change_form_data(other, headline="Sam's save"))

    client.force_login(editor)
    html = client.get(change_url(article)).content.decode()
    assert "Others saved this article since: it is now version" in html
    restored = client.get(change_url(article) + "?autosave=restore")
    assert restored.context["adminform"].form["base_version"].value() == opened_on
    response = client.post(change_url(article), change_form_data(restored))

    assert response.status_code == 200
    assert "Edit conflict: Sam Ng saved this article" in response.content.decode()
    article.refresh_from_db()
    assert article.headline == "Sam's save"


def test_no_offer_when_the_autosave_says_what_the_article_says(client, editor):
    article = ready(ArticleFactory())
    client.force_login(editor)
    autosave(client, article, headline=article.headline, dek=article.dek, body=article.body)

    html = client.get(change_url(article)).content.decode()

    assert "Restore autosaved text" not in html
    assert 'id="editing-panel"' in html


def test_discarding_the_autosave_removes_the_offer(client, editor):
    article = ready(ArticleFactory())
    client.force_login(editor)
    autosave(client, article)

    response = client.post(discard_url(article))

    assert response.json() == {"discarded": True}
    assert not autosaves(article).exists()
    assert "Restore autosaved text" not in client.get(change_url(article)).content.decode()


def test_someone_elses_autosave_is_never_offered_or_restored(client, editor, second_editor):
    article = ready(ArticleFactory())
    client.force_login(second_editor)
    autosave(client, article)
    client.force_login(editor)

    assert "Restore autosaved text" not in client.get(change_url(article)).content.decode()
    form = client.get(change_url(article) + "?autosave=restore").context["adminform"].form
    assert form["headline"].value() == article.headline


def test_discarding_costs_the_same_number_of_queries_however_many_autosaves(
    client, editor, django_assert_max_num_queries
):
    article = ready(ArticleFactory())
    client.force_login(editor)
    for others in (5, 50):
        for _ in range(others):
            editing.autosave(article, by=UserFactory(), base_version=1, fields=TYPED)
        autosave(client, article)
        # session, user, permissions (user's, groups'), the article, its bylines; the delete.
        with django_assert_max_num_queries(7):
            assert client.post(discard_url(article)).json() == {"discarded": True}
        assert autosaves(article).count() == article.revisions.count()
