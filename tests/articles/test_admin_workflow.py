import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import revisions, workflow
from articles.models import Article, ArticleEvent, Revision
from tests.admin_forms import change_form_data
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    AuthorFactory,
    BylineFactory,
    ClaimFactory,
    SponsorFactory,
)

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def ready(article):
    """Give ``article`` a byline and a sourced claim so every publish gate passes."""
    BylineFactory(article=article, author=AuthorFactory())
    claim = ClaimFactory(article=article, text="Sony said its profit rose.")
    AttributionFactory(claim=claim)
    return article


def set_status(article, status, **fields):
    Article.objects.filter(pk=article.pk).update(status=status, **fields)
    article.refresh_from_db()


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


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


# -- preview --------------------------------------------------------------------------


def test_shared_preview_link_shows_the_draft_without_an_account(client, editor):
    article = ready(ArticleFactory(headline="Draft headline"))
    client.force_login(editor)
    response = client.post(reverse("admin:articles_article_preview_link", args=[article.pk]))
    message = messages_of(response)[0]
    url = message.split('href="')[1].split('"')[0]
    client.logout()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Draft headline" in html
    assert "Preview" in html and "not published" in html
    assert page["X-Robots-Tag"] == "noindex, nofollow"


def test_preview_link_expires(client, editor, settings):
    from articles.preview import preview_url

    article = ArticleFactory()
    url = preview_url(article)
    with time_machine.travel(
        timezone.now() + dt.timedelta(seconds=settings.PREVIEW_LINK_MAX_AGE + 60)
    ):
        assert client.get(url).status_code == 404


def test_tampered_preview_link_is_refused(client):
    article = ArticleFactory()
    from articles.preview import preview_url

    url = preview_url(article)
    assert client.get(url.replace("/preview/", "/preview/x")).status_code == 404


# -- query budgets -------------------------------------------------------------------


def grow(article, n):
    start = article.claims.count()
    numbers = range(start, start + n)
    for i in numbers:
        article.body += f"<p>Claim {i} of many.</p>"
    article.save()
    for i in numbers:
        AttributionFactory(claim=ClaimFactory(article=article, text=f"Claim {i} of many."))
        revisions.record(article)
        ArticleEvent.objects.create(article=article, action="note", note=str(i))


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_change_page_query_count_is_constant_as_claims_and_revisions_grow(editor_client):
    article = ready(ArticleFactory())
    grow(article, 2)
    few = count(editor_client, change_url(article))
    grow(article, 20)
    for _ in range(20):
        ready(ArticleFactory())
    assert count(editor_client, change_url(article)) == few


def test_dashboard_query_count_is_constant_as_articles_grow(editor_client):
    def make(n):
        for i in range(n):
            article = ready(ArticleFactory())
            status = [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.APPROVED][
                i % 3
            ]
            set_status(article, status)

    make(3)
    few = count(editor_client, reverse("admin:index"))
    make(30)
    assert count(editor_client, reverse("admin:index")) == few


def test_dashboard_shows_counts_queues_and_blocked_reasons(client, editor, reporter):
    draft = ready(ArticleFactory(created_by=editor, headline="My own draft"))
    waiting = ready(ArticleFactory(headline="Waiting piece"))
    set_status(waiting, Article.Status.IN_REVIEW)
    blocked = ArticleFactory(headline="Unsourced piece")
    ClaimFactory(article=blocked, text="Sony said its profit rose.")
    set_status(blocked, Article.Status.APPROVED)
    scheduled = ready(ArticleFactory(headline="Tomorrow's piece"))
    set_status(
        scheduled, Article.Status.SCHEDULED, scheduled_for=timezone.now() + dt.timedelta(days=1)
    )
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert draft.headline in html
    assert "Waiting piece" in html
    assert "Tomorrow&#x27;s piece" in html
    assert "Unsourced piece" in html
    assert "has no source." in html
    assert '<strong class="count-in_review">1</strong>' in html
    assert '<strong class="count-blocked">1</strong>' in html
