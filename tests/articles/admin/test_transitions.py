"""Transition buttons on the article page, refusals on screen, and the sponsorship inline."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.publishing import workflow
from tests.admin_forms import change_form_data
from tests.articles.admin.helpers import change_url, ready, set_status
from tests.factories import ArticleFactory, ClaimFactory, SponsorFactory

pytestmark = pytest.mark.django_db


# -- transitions in the admin ------------------------------------------------------


def test_reporter_sees_only_submit_on_own_draft(client, reporter):
    article = ready(ArticleFactory(created_by=reporter))
    client.force_login(reporter)
    html = client.get(change_url(article)).content.decode()
    assert 'value="submit"' in html
    for name in ("approve", "publish", "request_changes", "schedule"):
        assert f'value="{name}"' not in html


def test_editor_requests_changes_and_the_reporter_sees_the_note(client, reporter, editor):
    article = ready(ArticleFactory(created_by=reporter))
    workflow.submit(article, by=reporter)
    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_transition", args=[article.pk, "request_changes"]),
        {"note": "Name the second source."},
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    client.force_login(reporter)
    html = client.get(change_url(article)).content.decode()
    assert "Changes requested by Maria Okafor" in html
    assert "Name the second source." in html


def test_blocked_publish_lists_every_reason_on_screen(client, editor):
    article = ArticleFactory(section=None)
    ClaimFactory(article=article, text="Sony said its profit rose.")
    set_status(article, Article.Status.APPROVED)
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_transition", args=[article.pk, "publish"]), follow=True
    )
    html = response.content.decode()
    assert "Publish now was refused" in html
    assert "has no source." in html
    assert "Choose a section." in html
    assert "Add at least one byline." in html
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED


def test_editor_publishes_an_approved_article_from_its_page(client, editor):
    article = ready(ArticleFactory())
    set_status(article, Article.Status.APPROVED)
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_transition", args=[article.pk, "publish"]), follow=True
    )
    assert "Publish now: done." in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    event = article.events.get(action="publish")
    assert (event.actor_name, event.from_status) == ("Maria Okafor", "approved")


def test_transition_by_get_is_not_possible(editor_client):
    article = ready(ArticleFactory())
    set_status(article, Article.Status.APPROVED)
    url = reverse("admin:articles_article_transition", args=[article.pk, "publish"])
    assert editor_client.get(url).status_code == 404


def test_schedule_with_a_bad_time_is_a_clear_message(editor_client):
    article = ready(ArticleFactory())
    set_status(article, Article.Status.APPROVED)
    response = editor_client.post(
        reverse("admin:articles_article_transition", args=[article.pk, "schedule"]),
        {"scheduled_for": "next tuesday-ish"},
        follow=True,
    )
    assert "Schedule was refused" in response.content.decode()
    assert "Enter a valid date/time." in response.content.decode()


def test_commercial_desk_attaches_a_sponsorship_in_the_admin_and_it_is_audited(client, commercial):
    client.force_login(commercial)
    sponsor = SponsorFactory(name="Kestrel Networks")
    add = client.get(reverse("admin:articles_article_add"))
    data = change_form_data(
        add,
        headline="Networks for the next decade",
        body="<p>Text.</p>",
        section=ArticleFactory().section_id,
        **{
            "sponsorship-TOTAL_FORMS": "1",
            "sponsorship-0-sponsor": sponsor.pk,
            "sponsorship-0-kind": "native_advertising",
            "sponsorship-0-disclosure": "Paid for by Kestrel Networks.",
            "sponsorship-0-campaign_starts_on": timezone.localdate().isoformat(),
        },
    )
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["errors"]
    article = Article.objects.get(headline="Networks for the next decade")
    assert article.desk == Article.Desk.COMMERCIAL
    assert article.label == "Sponsored Advertising Content"
    assert article.events.get(action="sponsorship_added").actor == commercial


def test_newsroom_article_page_offers_no_sponsorship(editor_client):
    article = ArticleFactory()
    html = editor_client.get(change_url(article)).content.decode()
    assert "sponsorship-TOTAL_FORMS" not in html


def test_commercial_desk_cannot_open_newsroom_article_for_editing(client, commercial):
    article = ArticleFactory()
    client.force_login(commercial)
    response = client.get(change_url(article))
    # Read-only at most: no save button, no transitions.
    assert 'name="_save"' not in response.content.decode()
    assert 'value="submit"' not in response.content.decode()
