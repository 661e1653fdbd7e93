"""Shared preview links in the admin: who may make and revoke them, and the list of them on
the article page. What a link shows is tested in tests/articles/site/test_preview_links.py."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PreviewLink
from articles.publishing import preview, workflow
from tests.articles.admin.helpers import change_url, ready
from tests.articles.publishing.helpers import commercial_article, newsroom_article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
S = Article.Status
BUTTON = "Create a shareable preview link"


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def mint_url(article):
    return reverse("admin:articles_article_preview_link", args=[article.pk])


def revoke_url(link, article=None):
    return reverse(
        "admin:articles_article_revoke_preview_link",
        args=[(article or link.article).pk, link.pk],
    )


def shared_url(response) -> str:
    """The link in the success message, the only place the raw token is ever shown."""
    message = messages_of(response)[0]
    return message.split('href="')[1].split('"')[0]


def rows(html: str) -> dict[str, str]:
    """The rows of the "Preview links" list, by what the "For" column says."""
    found = {}
    for chunk in html.split('<tr class="preview-link ')[1:]:
        chunk = chunk.split("</tr>")[0]
        note = chunk.split('<td class="preview-link-note">')[1].split("</td>")[0]
        found[note] = chunk
    return found


# -- preview --------------------------------------------------------------------------


def test_shared_preview_link_shows_the_draft_without_an_account(client, editor):
    article = ready(ArticleFactory(headline="Draft headline"))
    client.force_login(editor)
    response = client.post(mint_url(article), {"note": "Kestrel Wire approval"})
    url = shared_url(response)
    assert "not shown again" in messages_of(response)[0]
    link = PreviewLink.objects.get(article=article)
    assert (link.note, link.created_by, link.created_by_name) == (
        "Kestrel Wire approval",
        editor,
        "Maria Okafor",
    )
    client.logout()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Draft headline" in html
    assert "Preview" in html and "not published" in html
    assert page["X-Robots-Tag"] == "noindex, nofollow"


# -- who may make and revoke links --------------------------------------------------


@pytest.mark.parametrize("status", [S.DRAFT, S.IN_REVIEW, S.PUBLISHED])
def test_reporter_cannot_share_a_commercial_piece(client, reporter, commercial, status):
    article = commercial_article(commercial, status=status)
    client.force_login(reporter)
    response = client.post(mint_url(article), {"note": "for a friend"})
    # 404 while the reading firewall hides the piece from the newsroom, 403 once it is out.
    assert response.status_code in (403, 404)
    assert not PreviewLink.objects.exists()
    assert not article.events.filter(action="preview_link_created").exists()


def test_commercial_desk_cannot_share_newsroom_work(client, commercial, reporter):
    article = newsroom_article(reporter)
    client.force_login(commercial)
    assert client.post(mint_url(article)).status_code == 404
    assert not PreviewLink.objects.exists()


def test_reporter_cannot_share_a_colleagues_draft_and_sees_no_button(
    client, reporter, other_reporter
):
    article = newsroom_article(other_reporter)
    client.force_login(reporter)
    assert BUTTON not in client.get(change_url(article)).content.decode()
    assert client.post(mint_url(article)).status_code == 403
    assert not PreviewLink.objects.exists()


def test_reporter_shares_a_preview_of_their_own_draft(client, reporter):
    article = newsroom_article(reporter)
    client.force_login(reporter)
    assert BUTTON in client.get(change_url(article)).content.decode()
    response = client.post(mint_url(article), {"note": "my source, to check quotes"})
    assert "/preview/" in shared_url(response)
    event = article.events.get(action="preview_link_created")
    assert event.actor == reporter
    assert "my source, to check quotes" in event.note


def test_reporter_cannot_revoke_links_to_a_colleagues_piece(
    client, editor, reporter, other_reporter
):
    article = newsroom_article(other_reporter)
    link, _ = preview.create_link(article, by=editor)
    client.force_login(reporter)
    assert client.post(revoke_url(link)).status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None
    assert "Revoke</button>" not in client.get(change_url(article)).content.decode()


def test_a_link_cannot_be_revoked_through_another_article(client, editor):
    article, other = ready(ArticleFactory()), ready(ArticleFactory())
    link, _ = preview.create_link(article, by=editor)
    client.force_login(editor)
    assert client.post(revoke_url(link, article=other)).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_sharing_and_revoking_take_a_post_with_its_csrf_token(editor):
    article = ready(ArticleFactory())
    link, _ = preview.create_link(article, by=editor)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    assert browser.get(mint_url(article)).status_code == 404
    assert browser.get(revoke_url(link)).status_code == 404
    assert browser.post(mint_url(article)).status_code == 403
    assert browser.post(revoke_url(link)).status_code == 403
    assert PreviewLink.objects.count() == 1
    link.refresh_from_db()
    assert link.revoked_at is None


def test_a_too_long_note_is_refused_with_a_message(client, editor):
    article = ready(ArticleFactory())
    client.force_login(editor)
    response = client.post(mint_url(article), {"note": "x" * 201}, follow=True)
    assert response.status_code == 200
    assert "Sharing a preview was refused" in messages_of(response)[0]
    assert "at most 200 characters" in messages_of(response)[0]
    assert not PreviewLink.objects.exists()


@pytest.mark.parametrize(
    ("status", "hint"),
    [(S.PUBLISHED, "share its public address"), (S.UNPUBLISHED, "reopen it as a draft")],
)
def test_published_or_withdrawn_pieces_offer_no_new_link(client, editor, reporter, status, hint):
    article = newsroom_article(reporter, status=status)
    client.force_login(editor)
    html = client.get(change_url(article)).content.decode()
    assert BUTTON not in html
    assert hint in html
    response = client.post(mint_url(article))
    assert hint in messages_of(response)[0]
    assert not PreviewLink.objects.exists()


# -- the list on the article page -----------------------------------------------------


def test_article_page_lists_links_with_who_when_for_whom_use_and_state(client, editor, settings):
    article = ready(ArticleFactory())
    with time_machine.travel(timezone.now() - dt.timedelta(seconds=settings.PREVIEW_LINK_MAX_AGE)):
        preview.create_link(article, by=editor, note="an old sponsor")
    _, token = preview.create_link(article, by=editor, note="Kestrel Wire approval")
    revoked, _ = preview.create_link(article, by=editor, note="the lawyer")
    preview.revoke(revoked, by=editor)
    client.get(preview.path(token))
    client.get(preview.path(token))

    client.force_login(editor)
    listed = rows(client.get(change_url(article)).content.decode())

    assert set(listed) == {"an old sponsor", "Kestrel Wire approval", "the lawyer"}
    active = listed["Kestrel Wire approval"]
    assert "Maria Okafor" in active and "2 times" in active and "Active" in active
    assert "Revoke</button>" in active
    assert "Revoked by Maria Okafor" in listed["the lawyer"]
    assert "Expired" in listed["an old sponsor"] and "Never" in listed["an old sponsor"]
    for row in (listed["the lawyer"], listed["an old sponsor"]):
        assert "Revoke</button>" not in row


def test_revoke_button_stops_the_link_at_once(client, editor):
    article = ready(ArticleFactory(headline="Draft headline"))
    client.force_login(editor)
    url = shared_url(client.post(mint_url(article), {"note": "Kestrel Wire approval"}))
    link = PreviewLink.objects.get(article=article)

    response = client.post(revoke_url(link))

    assert "is revoked" in messages_of(response)[-1]
    assert (
        "Revoked by Maria Okafor"
        in rows(client.get(change_url(article)).content.decode())["Kestrel Wire approval"]
    )
    event = article.events.get(action="preview_link_revoked")
    assert event.actor == editor
    assert "Kestrel Wire approval" in event.note
    client.logout()
    assert client.get(url).status_code == 404


def test_links_die_when_the_article_is_withdrawn_and_the_list_says_so(client, editor, reporter):
    article = newsroom_article(reporter, status=S.APPROVED)
    preview.create_link(article, by=editor, note="Kestrel Wire approval")
    workflow.publish(article, by=editor)
    workflow.unpublish(article, by=editor, note="Legal hold.")
    workflow.reopen(article, by=editor)
    client.force_login(editor)
    row = rows(client.get(change_url(article)).content.decode())["Kestrel Wire approval"]
    assert "the article was withdrawn" in row
    assert "Revoke</button>" not in row


def test_change_page_query_count_is_constant_as_preview_links_grow(
    client, editor, django_assert_max_num_queries
):
    article = ready(ArticleFactory())

    def share(n):
        for i in range(PreviewLink.objects.count(), n):
            link, token = preview.create_link(article, by=editor, note=f"reader {i}")
            client.get(preview.path(token))
            if i % 2:
                preview.revoke(link, by=editor)

    share(5)
    client.force_login(editor)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(change_url(article)).status_code == 200
    few = len(captured.captured_queries)
    share(50)
    with django_assert_max_num_queries(few):
        assert len(rows(client.get(change_url(article)).content.decode())) == 50
