"""Saves of a live piece's page that take it down (its sponsorship removed, a retraction
added) go through the workflow, and partners hear exactly that: it was unpublished, not
also "updated", and the audit trail records no "edited live" after it went down."""

import pytest

from articles.models import Article, Correction, Sponsorship
from tests.admin_forms import change_form_data
from tests.articles.admin.helpers import change_url
from tests.articles.publishing.helpers import S, commercial_article, newsroom_article, status_of
from tests.articles.webhooks.helpers import ALL_EVENTS, endpoint_at

pytestmark = pytest.mark.django_db


def remove_in_the_inline(client, article):
    page = client.get(change_url(article))
    data = change_form_data(page, **{"sponsorship-0-DELETE": "on"})
    return client.post(change_url(article), data)


def test_removing_a_live_sponsorship_sends_partners_only_the_unpublishing(
    client, commercial, receiver, django_capture_on_commit_callbacks
):
    endpoint_at(receiver.url, events=ALL_EVENTS)
    article = commercial_article(commercial, S.PUBLISHED, headline="Is your home network ready")
    label = article.sponsorship.full_label
    client.force_login(commercial)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = remove_in_the_inline(client, article)

    assert response.status_code == 302, response.context["errors"]
    assert status_of(article) == S.UNPUBLISHED
    assert not Sponsorship.objects.filter(article=article).exists()
    # One announcement: the piece is down (the site's cache hears the same one).
    assert len(callbacks) == 1
    assert receiver.events == ["article.unpublished"]
    assert receiver.payloads[0]["article"]["headline"] == "Is your home network ready"
    # The audit trail says what happened, and no "edited live" after the piece went down.
    events = list(article.events.order_by("pk").values_list("action", "note"))
    assert events == [
        ("unpublish", f"Its sponsorship ({label}) was removed."),
        ("sponsorship_removed", f"Removed: {label}"),
    ]


def test_the_editor_is_told_the_piece_was_taken_down(client, commercial):
    article = commercial_article(commercial, S.PUBLISHED)
    client.force_login(commercial)
    response = remove_in_the_inline(client, article)
    page = client.get(response.url).content.decode()
    assert "Its sponsorship was removed, so the piece was taken back: it is now unpublished." in (
        page
    )


def test_a_piece_in_review_goes_back_to_draft_and_partners_hear_nothing(
    client, commercial, receiver, django_capture_on_commit_callbacks
):
    endpoint_at(receiver.url, events=ALL_EVENTS)
    article = commercial_article(commercial, S.IN_REVIEW)
    client.force_login(commercial)
    with django_capture_on_commit_callbacks(execute=True):
        response = remove_in_the_inline(client, article)

    assert response.status_code == 302, response.context["errors"]
    assert status_of(article) == S.DRAFT
    assert receiver.events == []
    assert list(article.events.order_by("pk").values_list("action", flat=True)) == [
        "back_to_draft",
        "sponsorship_removed",
    ]


def test_a_live_edit_without_a_sponsorship_change_is_still_announced_once(
    client, commercial, receiver, django_capture_on_commit_callbacks
):
    endpoint_at(receiver.url, events=ALL_EVENTS)
    article = commercial_article(commercial, S.PUBLISHED)
    client.force_login(commercial)
    page = client.get(change_url(article))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(article), change_form_data(page, dek="New dek."))

    assert response.status_code == 302, response.context["errors"]
    assert receiver.events == ["article.updated"]
    assert (
        Article.objects.get(pk=article.pk).sponsorship.kind == Sponsorship.Kind.NATIVE_ADVERTISING
    )
    assert article.events.get().note == "Edited live: dek."


def test_a_retraction_added_on_the_page_is_not_announced_as_an_update(
    client, editor, reporter, receiver, django_capture_on_commit_callbacks
):
    endpoint_at(receiver.url, events=ALL_EVENTS)
    article = newsroom_article(reporter, S.PUBLISHED)
    client.force_login(editor)
    page = client.get(change_url(article))
    retraction = {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-kind": Correction.Kind.RETRACTION,
        "corrections-0-text": "The source was fake.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(article), change_form_data(page, **retraction))

    assert response.status_code == 302, response.context["errors"]
    assert status_of(article) == S.UNPUBLISHED
    assert receiver.events == ["article.unpublished", "article.corrected"]
    assert not article.events.filter(action="edit").exists()
