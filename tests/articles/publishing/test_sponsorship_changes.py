"""The sponsorship firewall: who may attach, change or remove a sponsorship, and when."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import AIInvolvement, Sponsorship
from articles.publishing import sponsorships, workflow
from tests.articles.publishing.helpers import (
    COMMERCIAL,
    S,
    commercial_article,
    fresh,
    newsroom_article,
    put,
    refusal,
    status_of,
)
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AttributionFactory,
    BylineFactory,
    ClaimFactory,
    SponsorFactory,
    make_publishable,
    verify_claims,
)

pytestmark = pytest.mark.django_db


# -- the sponsorship firewall ---------------------------------------------------------


def sponsor_it(article, *, by, sponsor=None, **overrides):
    fields = {
        "sponsor": sponsor or SponsorFactory(),
        "kind": Sponsorship.Kind.NATIVE_ADVERTISING,
        "disclosure": "Paid for by Acme Robotics; produced by our commercial desk.",
        "campaign_starts_on": timezone.localdate() - dt.timedelta(days=1),
        "campaign_ends_on": timezone.localdate() + dt.timedelta(days=30),
    } | overrides
    return sponsorships.set_sponsorship(article, by=by, **fields)


@pytest.mark.parametrize("persona", ["commercial", "administrator", "standards", "editor"])
def test_native_advertising_can_never_go_on_journalism(persona, reporter, request):
    article = newsroom_article(reporter)
    problems = refusal(sponsor_it, article, by=request.getfixturevalue(persona))
    assert problems == [
        "Native advertising (“Sponsored Advertising Content”) belongs only on commercial-desk "
        "pieces, never on newsroom journalism."
    ]
    assert not Sponsorship.objects.exists()


def test_newsroom_editor_cannot_sponsor_a_commercial_draft(editor, commercial):
    article = ArticleFactory(created_by=commercial, desk=COMMERCIAL)
    assert refusal(sponsor_it, article, by=editor) == [
        "Only the commercial desk can change the sponsorship of a commercial-desk piece."
    ]
    assert not Sponsorship.objects.exists()


def test_commercial_desk_sponsors_its_draft_and_it_is_audited(commercial):
    article = ArticleFactory(created_by=commercial, desk=COMMERCIAL)
    sponsorship = sponsor_it(article, by=commercial, sponsor=SponsorFactory(name="Acme Robotics"))

    assert fresh(article).sponsorship_or_none == sponsorship
    assert fresh(article).is_advertising
    event = article.events.get()
    assert (event.action, event.actor) == ("sponsorship_added", commercial)
    assert "Acme Robotics" in event.note


def test_changing_a_sponsorship_is_audited_too(commercial):
    article = ArticleFactory(created_by=commercial, desk=COMMERCIAL)
    sponsor_it(article, by=commercial)
    sponsor_it(article, by=commercial, sponsor=SponsorFactory(name="Globex"))

    assert Sponsorship.objects.get().sponsor.name == "Globex"
    assert list(article.events.values_list("action", flat=True)) == [
        "sponsorship_changed",
        "sponsorship_added",
    ]


@pytest.mark.parametrize("status", [S.IN_REVIEW, S.APPROVED, S.PUBLISHED, S.UNPUBLISHED])
def test_sponsorship_cannot_change_once_past_the_draft(commercial, status):
    article = commercial_article(commercial, status)
    before = Sponsorship.objects.get()
    problems = refusal(sponsor_it, article, by=commercial)
    assert "while the article is a draft that has never been published" in problems[0]
    assert Sponsorship.objects.get().sponsor == before.sponsor


def test_sponsorship_cannot_change_on_a_reopened_piece_that_once_ran(commercial, administrator):
    article = commercial_article(commercial, S.UNPUBLISHED)
    workflow.reopen(article, by=administrator)
    assert status_of(article) == S.DRAFT
    problems = refusal(sponsor_it, article, by=commercial)
    assert "never been published" in problems[0]


def test_removing_a_live_sponsorship_takes_the_piece_down_first(commercial):
    article = commercial_article(commercial, S.PUBLISHED)
    sponsorships.remove_sponsorship(article, by=commercial, note="The sponsor withdrew.")

    assert status_of(article) == S.UNPUBLISHED
    assert not Sponsorship.objects.filter(article=article).exists()
    unpublished, removed = article.events.order_by("pk")
    assert (unpublished.action, unpublished.from_status, unpublished.to_status) == (
        "unpublish",
        S.PUBLISHED,
        S.UNPUBLISHED,
    )
    assert (removed.action, removed.note) == ("sponsorship_removed", "The sponsor withdrew.")


def test_an_edit_saved_with_the_removal_is_not_announced_as_an_update(
    commercial, django_capture_on_commit_callbacks
):
    # The admin saves a page in one go: the piece is taken down, then the edit recorded.
    article = commercial_article(commercial, S.PUBLISHED)
    heard = []

    def listen(sender, article, action, **kwargs):
        heard.append(action)

    workflow.article_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            sponsorships.remove_sponsorship(article, by=commercial, note="Campaign cancelled.")
            workflow.record_edit(article, by=commercial, note="Edited live: dek.")
    finally:
        workflow.article_changed.disconnect(listen)

    assert article.status == S.UNPUBLISHED  # the caller's copy says so too
    assert heard == ["unpublish"]
    assert "edit" not in article.events.values_list("action", flat=True)
    assert article.events.get(action="unpublish").note.endswith(": Campaign cancelled.")


@pytest.mark.parametrize("status", [S.IN_REVIEW, S.APPROVED, S.SCHEDULED])
def test_removing_a_sponsorship_on_the_way_to_readers_sends_the_piece_back_to_draft(
    commercial, status
):
    fields = (
        {"scheduled_for": timezone.now() + dt.timedelta(days=1)} if status == S.SCHEDULED else {}
    )
    article = commercial_article(commercial, status, **fields)
    sponsorships.remove_sponsorship(article, by=commercial)

    article.refresh_from_db()
    assert (article.status, article.scheduled_for) == (S.DRAFT, None)
    back, removed = article.events.order_by("pk")
    assert (back.action, back.from_status, back.to_status) == ("back_to_draft", status, S.DRAFT)
    assert removed.action == "sponsorship_removed"


def test_commercial_desk_piece_without_its_sponsorship_cannot_be_published(
    commercial, administrator
):
    article = ArticleFactory(created_by=commercial, desk=COMMERCIAL)
    make_publishable(article)
    put(article, S.APPROVED)
    problems = refusal(workflow.publish, fresh(article), by=commercial)
    assert problems == [
        "This is a commercial-desk piece: it needs its sponsorship (and so its label) before "
        "it can be published."
    ]
    assert status_of(article) == S.APPROVED


def test_newsroom_editor_cannot_remove_a_sponsorship(editor, commercial):
    article = commercial_article(commercial, S.PUBLISHED)
    assert refusal(sponsorships.remove_sponsorship, article, by=editor) == [
        "Only the commercial desk can change the sponsorship of a commercial-desk piece."
    ]
    assert status_of(article) == S.PUBLISHED
    assert Sponsorship.objects.filter(article=article).exists()


def test_commercial_desk_publishes_its_ai_written_sponsored_piece(
    commercial, second_commercial, administrator, editor
):
    article = ArticleFactory(
        created_by=second_commercial, desk=COMMERCIAL, ai_involvement=AIInvolvement.GENERATED
    )
    sponsor_it(article, by=commercial)
    BylineFactory(
        article=article, author=AIAgentFactory(name="Ledger", supervising_editor=commercial)
    )
    AttributionFactory(claim=ClaimFactory(article=article, text="Sony said its profit rose."))
    verify_claims(article)

    # The administrator submits, so the commercial editor is a different person reviewing.
    workflow.submit(article, by=administrator)
    assert refusal(workflow.record_review, article, by=editor) == [
        "You do not have permission to review this article."
    ]
    workflow.record_review(article, by=commercial, note="Checked against the brief.")
    workflow.approve(article, by=commercial)
    assert refusal(workflow.publish, article, by=editor) == [
        "Only the commercial desk works on sponsored content."
    ]
    assert status_of(article) == S.APPROVED

    workflow.publish(article, by=commercial)
    published = fresh(article)
    assert published.status == S.PUBLISHED
    assert published.is_advertising
    assert [a.name for a in published.ai_agents] == ["Ledger"]
    assert list(article.events.order_by("pk").values_list("action", "actor_name")) == [
        ("sponsorship_added", "Lena Park"),
        ("submit", "Ada Admin"),
        ("review", "Lena Park"),
        ("approve", "Lena Park"),
        ("publish", "Lena Park"),
    ]
