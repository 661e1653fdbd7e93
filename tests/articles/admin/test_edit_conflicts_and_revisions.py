"""No lost edits in the admin: edit conflicts, revisions and restores, deletes, correction notes."""

import pytest
from django.urls import reverse

from articles.models import Article, Revision
from articles.publishing import revisions
from tests.admin_forms import change_form_data
from tests.articles.admin.helpers import change_url, ready
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


# -- no lost edits ---------------------------------------------------------------


def test_second_save_of_a_stale_version_is_refused_and_its_text_kept(client, editor, second_editor):
    article = ready(ArticleFactory(body="<p>Sony said its profit rose. First draft.</p>"))
    client.force_login(editor)
    maria_page = client.get(change_url(article))
    client.force_login(second_editor)
    sam_page = client.get(change_url(article))

    client.force_login(editor)
    maria = change_form_data(maria_page, headline="Maria's headline")
    assert client.post(change_url(article), maria).status_code == 302

    client.force_login(second_editor)
    sams_body = "<p>Sony said its profit rose. Sam's careful rewrite.</p>"
    response = client.post(change_url(article), change_form_data(sam_page, body=sams_body))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Edit conflict" in html
    assert "Maria Okafor saved this article" in html
    assert "They changed: headline" in html
    assert "<ins>Maria&#x27;s headline</ins>" in html  # what they changed, shown inline
    assert "Sam&#x27;s careful rewrite" in html  # still in the form for Sam
    article.refresh_from_db()
    assert article.headline == "Maria's headline"
    assert "Sam's careful rewrite" not in article.body
    refused = article.revisions.get(kind=Revision.Kind.REFUSED)
    assert refused.created_by == second_editor
    assert "Sam's careful rewrite" in refused.data["body"]


def test_after_a_conflict_the_editor_can_knowingly_save_over_it(client, editor, second_editor):
    article = ready(ArticleFactory())
    client.force_login(editor)
    page = client.get(change_url(article))
    client.force_login(second_editor)
    other = client.get(change_url(article))
    client.post(change_url(article), change_form_data(other, headline="Sam's"))
    client.force_login(editor)
    response = client.post(
        change_url(article), change_form_data(page, headline="Maria's", overwrite="on")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Maria's"
    # Sam's version is still in the history.
    assert any(r.data["headline"] == "Sam's" for r in article.revisions.all())


def test_every_admin_save_stores_a_full_revision(editor_client):
    article = ready(ArticleFactory(headline="One"))
    page = editor_client.get(change_url(article))
    editor_client.post(change_url(article), change_form_data(page, headline="Two"))
    revision = Article.objects.get(pk=article.pk).revisions.get()
    assert revision.data["headline"] == "Two"
    assert revision.data["bylines"][0]["role"] == "by"
    assert revision.data["claims"][0]["sources"][0]["document"]
    assert revision.created_by_name == "Maria Okafor"


def test_revision_restore_round_trip_loses_nothing(editor_client):
    article = ready(ArticleFactory(headline="Original", body="<p>Sony said its profit rose.</p>"))
    article.tags.add("consoles")
    first = revisions.record(article)
    article.headline = "Rewritten"
    article.body = "<p>Completely new text.</p>"
    article.save()
    article.tags.set(["other"])
    article.bylines.all().delete()
    revisions.record(article)

    response = editor_client.post(
        reverse("admin:articles_article_restore", args=[article.pk, first.number])
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Original"
    assert article.body_text == "Sony said its profit rose."
    assert set(article.tags.names()) == {"consoles"}
    assert len(article.bylines.all()) == 1
    assert article.detached_claims() == []
    assert article.claims.get().attributions.count() == 1
    kinds = [r.kind for r in article.revisions.all()]
    assert kinds == [Revision.Kind.RESTORED, Revision.Kind.SAVED, Revision.Kind.SAVED]


def test_revisions_page_shows_a_readable_diff(editor_client):
    article = ready(ArticleFactory(headline="Before"))
    revisions.record(article)
    article.headline = "After"
    article.save()
    revisions.record(article)
    html = editor_client.get(
        reverse("admin:articles_article_revisions", args=[article.pk])
    ).content.decode()
    assert "<del>Before</del>" in html
    assert "<ins>After</ins>" in html
    assert "Restore this revision" in html


def test_published_article_cannot_be_deleted_in_the_admin(editor_client):
    article = ArticleFactory(published=True)
    response = editor_client.get(reverse("admin:articles_article_delete", args=[article.pk]))
    assert response.status_code == 403
    editor_client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert Article.objects.filter(pk=article.pk).exists()


def test_never_published_draft_can_be_deleted_by_an_editor(editor_client):
    article = ArticleFactory()
    editor_client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()


def test_significant_change_to_a_published_body_needs_a_correction_note(editor_client):
    article = ready(ArticleFactory(published=True, body="<p>Sony said its profit rose.</p>"))
    page = editor_client.get(change_url(article))
    data = change_form_data(
        page, body="<p>Sony said its profit rose. It rose 9%.</p>", significant_change="on"
    )
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "add a correction or update note" in response.content.decode()

    data |= {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-kind": "correction",
        "corrections-0-text": "An earlier version gave no figure.",
    }
    assert editor_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.corrections.get().text == "An earlier version gave no figure."
    assert article.events.filter(action="correction:correction").exists()
