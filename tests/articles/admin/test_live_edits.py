"""Gates hold after publication: saving a published piece (its page, a revision restore,
an editor's API key) keeps every publish check it passed, or nothing is saved."""

import pytest
from django.urls import reverse

from articles import labels
from articles.models import Article, HumanReview, Revision
from tests.admin_forms import change_form_data
from tests.articles.admin.helpers import change_url
from tests.articles.api.helpers import ARTICLES, patch
from tests.articles.publishing.helpers import S, ai_written, newsroom_article, put
from tests.factories import ClaimFactory, PartnerKeyFactory
from tests.wording import reviewed_on

pytestmark = pytest.mark.django_db

DETACHING_BODY = "<p>Analysts expect more.</p>"  # drops the sourced claim's sentence
REFUSED = "Not saved: readers can see this article"
DETACHED = "The claim “Sony said its profit rose.” no longer appears in the body."


@pytest.fixture
def live(reporter):
    return newsroom_article(reporter, S.PUBLISHED)


def save(client, article, **changes):
    page = client.get(change_url(article))
    return client.post(change_url(article), change_form_data(page, **changes))


def test_an_edit_that_breaks_a_live_gate_is_refused_and_nothing_changes(
    editor_client, live, django_capture_on_commit_callbacks
):
    revisions, events = live.revisions.count(), live.events.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = save(editor_client, live, section="", headline="New headline")

    html = response.content.decode()
    assert response.status_code == 200  # the form again, with the reasons
    assert REFUSED in html
    assert "Choose a section." in html
    assert "New headline" in html  # what the editor typed is still in the form
    article = Article.objects.get(pk=live.pk)
    assert (article.headline, article.version) == (live.headline, live.version)
    assert article.section_id == live.section_id
    assert (live.revisions.count(), live.events.count()) == (revisions, events)
    assert callbacks == []  # no cache purge, no webhook


def test_a_sound_edit_of_a_live_piece_is_saved_and_announced(
    editor_client, live, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = save(editor_client, live, headline="Sony's profit rose, it said")
    assert response.status_code == 302
    assert Article.objects.get(pk=live.pk).headline == "Sony's profit rose, it said"
    assert live.revisions.filter(kind=Revision.Kind.SAVED).exists()
    assert callbacks  # the page cache and partners hear of it after commit


def test_a_problem_the_piece_already_had_does_not_block_another_fix(editor_client, live):
    # An unsourced claim from before the gates held after publication.
    ClaimFactory(article=live, text="Analysts expect more.")
    response = save(editor_client, live, headline="A clearer headline")
    assert response.status_code == 302
    assert Article.objects.get(pk=live.pk).headline == "A clearer headline"


def test_a_live_ai_written_piece_changes_only_with_a_review_of_the_new_version(
    editor_client, editor, reporter
):
    article = ai_written(newsroom_article(reporter, S.IN_REVIEW))
    HumanReview.objects.create(
        article=article, reviewer=editor, reviewer_name="Maria Okafor", version=article.version
    )
    put(article, S.PUBLISHED)

    refused = save(editor_client, article, headline="Sharper headline")
    assert refused.status_code == 200
    assert "Maria Okafor reviewed version" in refused.content.decode()
    assert "I reviewed this version" in refused.content.decode()
    assert Article.objects.get(pk=article.pk).headline != "Sharper headline"

    saved = save(editor_client, article, headline="Sharper headline", review_change="on")
    assert saved.status_code == 302
    article = Article.objects.for_detail().get(pk=article.pk)
    assert article.headline == "Sharper headline"
    assert article.latest_review.version == article.version
    assert labels.reviewed_by(article) == (
        f"reviewed by Maria Okafor on {reviewed_on(article.latest_review)}"
    )


def test_restoring_a_revision_that_breaks_a_live_piece_is_refused(editor_client, live):
    save(editor_client, live, headline="Saved once")  # revision 1: as published
    Article.objects.filter(pk=live.pk).update(body=DETACHING_BODY)
    old = live.revisions.order_by("number").first()
    Revision.objects.filter(pk=old.pk).update(data={**old.data, "body": DETACHING_BODY})

    url = reverse("admin:articles_article_restore", args=[live.pk, old.number])
    Article.objects.filter(pk=live.pk).update(body=live.body)
    response = editor_client.post(url, follow=True)
    assert DETACHED in response.content.decode()
    assert "Sony said its profit rose." in Article.objects.get(pk=live.pk).body
    assert not live.revisions.filter(kind=Revision.Kind.RESTORED).exists()


def test_an_editors_key_cannot_break_a_live_piece_through_the_api(key_client, editor, live):
    key = PartnerKeyFactory(partner="", user=editor, can_draft=True, can_transition=True)
    client = key_client(key)
    url = f"{ARTICLES}{live.pk}/"
    etag = client.get(url)["ETag"]
    response = patch(client, url, {"bylines": []}, **{"If-Match": etag})
    assert response.status_code in (400, 409), response.content
    assert "Add at least one byline." in response.content.decode()
    assert live.bylines.count() == 1


def test_an_edit_readers_can_see_is_in_the_audit_trail(editor_client, editor, live):
    save(editor_client, live, headline="Sony's profit rose, it said")
    event = live.events.get(action="edit")
    assert event.actor == editor
    assert event.note == "Edited live: headline."


def test_a_restore_is_in_the_audit_trail(editor_client, editor, live):
    save(editor_client, live, headline="First")
    save(editor_client, live, headline="Second")
    first = live.revisions.order_by("number").first()
    editor_client.post(reverse("admin:articles_article_restore", args=[live.pk, first.number]))
    assert Article.objects.get(pk=live.pk).headline == "First"
    event = live.events.get(action="restore")
    assert event.actor == editor
    assert event.note.startswith(f"Restored revision {first.number} as revision ")
