"""What a shared preview link shows a reader without an account, and when it stops."""

import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from articles.models import PreviewLink
from articles.publishing import preview, workflow
from tests.articles.publishing.helpers import S, newsroom_article

pytestmark = pytest.mark.django_db

BODY = "Analysts expect more."


@pytest.fixture
def approved(reporter):
    return newsroom_article(reporter, status=S.APPROVED, headline="Port strike ends")


def shared(article, by) -> str:
    _, token = preview.create_link(article, by=by)
    return preview.path(token)


def test_a_link_shows_the_draft_with_the_preview_banner_and_counts_the_visit(
    client, editor, approved
):
    url = shared(approved, editor)

    page = client.get(url)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Port strike ends" in html and BODY in html
    assert "not published" in html
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert page["Cache-Control"] == "private, no-store"
    link = PreviewLink.objects.get()
    assert link.use_count == 1 and link.last_used_at is not None


def test_a_revoked_link_stops_working_at_once(client, editor, approved):
    url = shared(approved, editor)
    assert client.get(url).status_code == 200

    preview.revoke(PreviewLink.objects.get(), by=editor)

    page = client.get(url)
    assert page.status_code == 404
    assert BODY not in page.content.decode()


def test_an_expired_link_stops_working(client, editor, approved, settings):
    url = shared(approved, editor)
    later = timezone.now() + dt.timedelta(seconds=settings.PREVIEW_LINK_MAX_AGE + 1)
    with time_machine.travel(later):
        assert client.get(url).status_code == 404


def test_a_link_to_a_published_article_leads_to_its_public_page(client, editor, approved):
    url = shared(approved, editor)
    workflow.publish(approved, by=editor)

    page = client.get(url)

    assert page.status_code == 302
    assert page["Location"] == approved.get_absolute_url()


def test_a_link_to_an_unpublished_article_answers_410_without_its_text(client, editor, approved):
    url = shared(approved, editor)
    workflow.publish(approved, by=editor)
    workflow.unpublish(approved, by=editor, note="Legal hold.")

    page = client.get(url)

    assert page.status_code == 410
    html = page.content.decode()
    assert "This article has been withdrawn" in html
    assert BODY not in html and "Port strike ends" not in html
    assert page["Cache-Control"] == "private, no-store"
    # The same answer the public page gives.
    assert client.get(approved.get_absolute_url()).status_code == 410


def test_a_link_to_a_retracted_article_answers_410(client, editor, approved):
    url = shared(approved, editor)
    workflow.publish(approved, by=editor)
    workflow.add_correction(approved, by=editor, kind="retraction", text="The figures were wrong.")

    page = client.get(url)

    assert page.status_code == 410
    assert BODY not in page.content.decode()


def test_a_link_made_before_a_withdrawal_stays_dead_after_the_piece_is_reopened(
    client, editor, approved
):
    old = shared(approved, editor)
    workflow.publish(approved, by=editor)
    workflow.unpublish(approved, by=editor, note="Legal hold.")
    workflow.reopen(approved, by=editor)

    page = client.get(old)
    assert page.status_code == 404
    assert BODY not in page.content.decode()
    # A link made for the reworked draft shows it.
    assert BODY in client.get(shared(approved, editor)).content.decode()


def test_a_link_shows_only_its_own_article(client, editor, other_reporter, approved):
    other = newsroom_article(other_reporter, headline="Another draft entirely")
    url = shared(approved, editor)
    shared(other, editor)

    html = client.get(url).content.decode()

    assert "Port strike ends" in html and "Another draft entirely" not in html


def test_tampered_forged_and_old_signed_links_open_nothing(client, editor, approved):
    _, token = preview.create_link(approved, by=editor)
    old_style = signing.TimestampSigner(salt="articles.publishing.preview").sign_object(
        {"article": approved.pk}
    )
    swapped = ("A" if token[0] != "A" else "B") + token[1:]
    for bad in [swapped, token[:-1], token + "x", "x" * 5000, old_style, "%C3%A9t%C3%A9"]:
        page = client.get(f"/preview/{bad}/")
        assert page.status_code == 404, bad
        assert BODY not in page.content.decode()
    assert PreviewLink.objects.get().use_count == 0
