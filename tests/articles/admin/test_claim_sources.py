"""A claim's sources page belongs to its article: who may open it, and every save or
removal recorded as an edit of the article (audit event, revision, public pages and
partners told), with a live claim never left without a source."""

import re

import pytest
from django.urls import reverse

from articles.models import AIInvolvement, Article, ArticleEvent, HumanReview, Revision
from sources.models import Attribution, Claim
from tests.articles.admin.helpers import change_url
from tests.articles.admin.sources_forms import current_sources, sources_form, sources_url
from tests.articles.webhooks.helpers import endpoint_at
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    AuthorFactory,
    BylineFactory,
    ClaimFactory,
    PublisherFactory,
    SourceDocumentFactory,
)

pytestmark = pytest.mark.django_db

CLAIM = "Sony said its profit rose."


def live_claim(created_by=None) -> Claim:
    """A published article's claim, citing Sony's own release."""
    article = ArticleFactory(published=True, created_by=created_by)
    BylineFactory(article=article, author=AuthorFactory(user=created_by))
    claim = ClaimFactory(article=article, text=CLAIM)
    AttributionFactory(
        claim=claim,
        document__title="Sony quarterly results",
        document__publisher=PublisherFactory(name="Sony"),
    )
    return claim


def reuters_report():
    return SourceDocumentFactory(
        title="Sony profit beats forecasts", publisher=PublisherFactory(name="Reuters")
    )


# -- who may open the page --------------------------------------------------------------


def test_reporter_cannot_open_or_post_the_sources_page_of_another_reporters_live_claim(
    client, reporter, other_reporter
):
    claim = live_claim(created_by=other_reporter)
    rows = current_sources(claim)
    rows[0]["document"] = reuters_report().pk
    client.force_login(reporter)

    assert client.get(sources_url(claim)).status_code == 403
    assert client.post(sources_url(claim), sources_form(claim, rows)).status_code == 403
    delete_url = reverse("admin:sources_claim_delete", args=[claim.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403

    assert [str(a.document) for a in claim.attributions.all()] == ["Sony: Sony quarterly results"]
    assert not claim.article.events.exists()
    assert not claim.article.revisions.exists()


def test_reporter_cannot_change_sources_of_own_piece_once_published(client, reporter):
    claim = live_claim(created_by=reporter)
    client.force_login(reporter)
    assert client.get(sources_url(claim)).status_code == 403


def test_the_article_page_links_to_the_sources_page_only_for_who_may_edit_it(
    client, editor, reporter, other_reporter
):
    claim = live_claim(created_by=other_reporter)
    client.force_login(reporter)
    page = client.get(change_url(claim.article)).content.decode()
    assert CLAIM in page
    assert sources_url(claim) not in page
    client.force_login(editor)
    assert sources_url(claim) in client.get(change_url(claim.article)).content.decode()


# -- saving through it ------------------------------------------------------------------


def test_editor_changing_a_live_claims_source_is_recorded_and_reaches_readers_and_partners(
    client, editor, receiver, django_capture_on_commit_callbacks
):
    claim = live_claim()
    article = claim.article
    endpoint_at(receiver.url)
    public_url = article.get_absolute_url()
    assert "Sony quarterly results" in client.get(public_url).content.decode()  # now cached
    version = article.version
    rows = current_sources(claim)
    rows[0]["document"] = reuters_report().pk

    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(sources_url(claim), sources_form(claim, rows))

    assert response.status_code == 302
    assert response.url == change_url(article)  # back to the article it belongs to
    event = article.events.get()
    assert (event.action, event.actor) == ("sources_changed", editor)
    assert CLAIM in event.note
    assert "Reuters" in event.note
    article.refresh_from_db()
    assert article.version == version + 1
    revision = article.revisions.get()
    assert (revision.created_by, revision.version) == (editor, article.version)
    assert (
        revision.data["claims"][0]["sources"][0]["title"] == "Reuters: Sony profit beats forecasts"
    )

    client.logout()
    page = client.get(public_url).content.decode()
    assert "Sony profit beats forecasts" in page
    assert "Sony quarterly results" not in page

    assert receiver.events == ["article.updated"]
    sent = receiver.payloads[0]["article"]
    assert sent["claims"][0]["citation"].startswith("Reuters")


def test_editor_adds_a_wire_report_via_a_portal_to_a_draft_claim(client, editor):
    claim = ClaimFactory(text=CLAIM)
    reuters, yahoo = reuters_report(), PublisherFactory(name="Yahoo Finance")
    source = {
        "document": reuters.pk,
        "via": yahoo.pk,
        "relation": "carried_by",
        "via_url": "https://portal.example/reuters-story",
    }
    client.force_login(editor)
    response = client.post(sources_url(claim), sources_form(claim, new=[source]))

    assert response.status_code == 302
    attribution = claim.attributions.get()
    assert str(attribution).startswith("Reuters via Yahoo Finance")
    assert attribution.link == "https://portal.example/reuters-story"
    assert claim.article.events.get().action == "sources_changed"
    assert claim.article.revisions.count() == 1


def test_reporter_edits_the_sources_of_a_claim_on_own_draft(client, reporter):
    article = ArticleFactory(created_by=reporter)
    claim = ClaimFactory(article=article, text=CLAIM)
    client.force_login(reporter)
    response = client.post(
        sources_url(claim), sources_form(claim, new=[{"document": reuters_report().pk}])
    )
    assert response.status_code == 302
    assert claim.attributions.count() == 1
    assert article.events.get().actor == reporter


def test_intermediary_without_relation_is_a_form_error(client, editor):
    claim = ClaimFactory(text=CLAIM)
    source = {"document": SourceDocumentFactory().pk, "via": PublisherFactory().pk}
    client.force_login(editor)
    response = client.post(sources_url(claim), sources_form(claim, new=[source]))
    assert response.status_code == 200
    assert "An intermediary needs its relation" in response.content.decode()
    assert not claim.attributions.exists()
    assert not claim.article.events.exists()


def test_saving_the_page_unchanged_records_nothing(client, editor):
    claim = live_claim()
    client.force_login(editor)
    assert client.post(sources_url(claim), sources_form(claim)).status_code == 302
    assert not claim.article.events.exists()
    assert not claim.article.revisions.exists()


# -- a live claim keeps a source ---------------------------------------------------------


def test_removing_the_only_source_of_a_live_claim_is_refused_and_changes_nothing(
    client, editor, receiver, django_capture_on_commit_callbacks
):
    claim = live_claim()
    endpoint_at(receiver.url)
    version = claim.article.version
    rows = current_sources(claim)
    rows[0]["DELETE"] = "on"

    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(sources_url(claim), sources_form(claim, rows))

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors == [
        "Nothing was saved: readers can see this article, so it must keep passing its "
        "publish checks.",
        f"The claim “{CLAIM}” has no source.",
    ]
    assert re.search(r'name="attributions-0-DELETE"[^>]*checked', response.content.decode())
    assert claim.attributions.count() == 1
    claim.article.refresh_from_db()
    assert claim.article.version == version
    assert not claim.article.events.exists()
    assert not claim.article.revisions.exists()
    assert receiver.requests == []


def test_replacing_the_only_source_of_a_live_claim_in_one_save_is_allowed(client, editor):
    claim = live_claim()
    rows = current_sources(claim)
    rows[0]["DELETE"] = "on"
    client.force_login(editor)
    response = client.post(
        sources_url(claim), sources_form(claim, rows, new=[{"document": reuters_report().pk}])
    )
    assert response.status_code == 302
    assert [a.document.title for a in claim.attributions.all()] == ["Sony profit beats forecasts"]


def test_a_draft_claim_may_be_left_without_a_source(client, editor):
    claim = ClaimFactory(text=CLAIM)
    AttributionFactory(claim=claim)
    rows = current_sources(claim)
    rows[0]["DELETE"] = "on"
    client.force_login(editor)
    assert client.post(sources_url(claim), sources_form(claim, rows)).status_code == 302
    assert not claim.attributions.exists()


def test_changing_a_live_ai_written_claims_sources_needs_the_editors_review(client, editor, agent):
    claim = live_claim()
    article = claim.article
    BylineFactory(article=article, author=agent)
    Article.objects.filter(pk=article.pk).update(ai_involvement=AIInvolvement.GENERATED)
    HumanReview.objects.create(
        article=article, reviewer=editor, reviewer_name="Maria Okafor", version=article.version
    )
    rows = current_sources(claim)
    rows[0]["document"] = reuters_report().pk
    client.force_login(editor)
    assert "I reviewed this version" in client.get(sources_url(claim)).content.decode()

    response = client.post(sources_url(claim), sources_form(claim, rows))
    assert response.status_code == 200
    assert f"Maria Okafor reviewed version {article.version}, but" in response.content.decode()
    assert claim.attributions.get().document.title == "Sony quarterly results"
    assert not article.events.exists()

    form = sources_form(claim, rows) | {"review_change": "on"}
    assert client.post(sources_url(claim), form).status_code == 302
    assert claim.attributions.get().document.title == "Sony profit beats forecasts"
    review = article.reviews.order_by("-pk").first()
    assert (review.reviewer, review.version) == (editor, article.version + 1)


# -- removing a claim --------------------------------------------------------------------


def test_editor_removing_a_live_claim_is_recorded_as_an_edit_of_the_article(
    client, editor, django_capture_on_commit_callbacks
):
    claim = live_claim()
    article = claim.article
    delete_url = reverse("admin:sources_claim_delete", args=[claim.pk])
    client.force_login(editor)
    assert client.get(delete_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.post(delete_url, {"post": "yes"}).status_code == 302

    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert not Attribution.objects.filter(claim_id=claim.pk).exists()
    event = ArticleEvent.objects.get(article=article)
    assert (event.action, event.actor) == ("claim_removed", editor)
    assert CLAIM in event.note
    assert Revision.objects.get(article=article).data["claims"] == []
    assert callbacks  # the public pages and partners are told
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_a_claim_the_body_no_longer_contains_is_an_error_on_the_page(client, editor):
    claim = ClaimFactory(text=CLAIM)
    Article.objects.filter(pk=claim.article_id).update(body="<p>Sony said little.</p>")
    client.force_login(editor)
    response = client.post(
        sources_url(claim), sources_form(claim, new=[{"document": reuters_report().pk}])
    )
    assert response.status_code == 200
    assert "This text does not appear in the article body" in response.content.decode()
    assert not claim.attributions.exists()
