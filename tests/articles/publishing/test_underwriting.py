"""Sponsorship follows its kind: underwriting is newsroom work a funder pays for, attached
by the standards editor to newsroom pieces and never by the commercial desk; native
advertising stays on the commercial desk's pieces."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import Sponsor, Sponsorship
from articles.publishing import sponsorships, workflow
from articles.publishing.workflow import article_changed, publish_problems
from tests.articles.publishing.helpers import (
    COMMERCIAL,
    NEWSROOM,
    S,
    commercial_article,
    fresh,
    newsroom_article,
    put,
    refusal,
    status_of,
)
from tests.factories import ArticleFactory, SponsorFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db

UNDERWRITING = Sponsorship.Kind.UNDERWRITING
NATIVE = Sponsorship.Kind.NATIVE_ADVERTISING
COMMERCIAL_DESK_REFUSED = (
    "The commercial desk never handles the underwriting of newsroom journalism."
)
NOT_AN_UNDERWRITING_EDITOR = (
    "Only editors who manage underwriting (the standards editor) can change the "
    "underwriting of a newsroom piece."
)
NEVER_ON_COMMERCIAL = (
    "Underwriting (“Supported by …”) belongs only on newsroom journalism, never on a "
    "commercial-desk piece."
)
NEVER_ON_NEWSROOM = (
    "Native advertising (“Sponsored Advertising Content”) belongs only on commercial-desk "
    "pieces, never on newsroom journalism."
)


def funder(name="Tidewater Foundation") -> Sponsor:
    return Sponsor.objects.filter(name=name).first() or SponsorFactory(name=name)


def underwrite(article, *, by, **overrides):
    fields = {
        "sponsor": funder(),
        "kind": UNDERWRITING,
        "disclosure": "Rising Tides is supported by a grant from the Tidewater Foundation.",
        "campaign_starts_on": timezone.localdate() - dt.timedelta(days=1),
        "campaign_ends_on": timezone.localdate() + dt.timedelta(days=60),
    } | overrides
    return sponsorships.set_sponsorship(article, by=by, **fields)


def underwritten(reporter, status=S.DRAFT):
    article = newsroom_article(reporter)
    SponsorshipFactory(article=article, kind=UNDERWRITING, sponsor=funder())
    return put(article, status)


# -- who attaches it, and to what ----------------------------------------------------------


def test_standards_editor_attaches_underwriting_to_a_newsroom_draft_and_it_is_audited(
    standards, reporter
):
    article = newsroom_article(reporter)
    underwrite(article, by=standards)

    assert fresh(article).label == "Supported by Tidewater Foundation"
    assert not fresh(article).is_advertising
    event = article.events.get()
    assert (event.action, event.actor) == ("sponsorship_added", standards)
    assert event.note.startswith("Supported by Tidewater Foundation; campaign ")


def test_standards_editor_changes_the_underwriting_of_a_draft(standards, reporter):
    article = newsroom_article(reporter)
    underwrite(article, by=standards)
    underwrite(article, by=standards, sponsor=funder("Harbour Trust"))

    assert fresh(article).label == "Supported by Harbour Trust"
    assert list(article.events.values_list("action", flat=True)) == [
        "sponsorship_changed",
        "sponsorship_added",
    ]


@pytest.mark.parametrize("persona", ["commercial", "second_commercial"])
def test_the_commercial_desk_never_attaches_underwriting(persona, reporter, request):
    article = newsroom_article(reporter)
    assert refusal(underwrite, article, by=request.getfixturevalue(persona)) == [
        COMMERCIAL_DESK_REFUSED
    ]
    assert not Sponsorship.objects.exists()
    assert not article.events.exists()


@pytest.mark.parametrize("persona", ["editor", "reporter"])
def test_editors_and_reporters_do_not_manage_underwriting(persona, reporter, request):
    article = newsroom_article(reporter)
    assert refusal(underwrite, article, by=request.getfixturevalue(persona)) == [
        NOT_AN_UNDERWRITING_EDITOR
    ]
    assert not Sponsorship.objects.exists()


@pytest.mark.parametrize("persona", ["commercial", "standards", "administrator"])
def test_underwriting_can_never_go_on_a_commercial_piece(persona, commercial, request):
    article = ArticleFactory(created_by=commercial, desk=COMMERCIAL)
    assert refusal(underwrite, article, by=request.getfixturevalue(persona)) == [
        NEVER_ON_COMMERCIAL
    ]
    assert not Sponsorship.objects.exists()


@pytest.mark.parametrize("persona", ["standards", "administrator"])
def test_native_advertising_can_never_go_on_a_newsroom_piece(persona, reporter, request):
    article = newsroom_article(reporter)
    problems = refusal(underwrite, article, by=request.getfixturevalue(persona), kind=NATIVE)
    assert problems == [NEVER_ON_NEWSROOM]
    assert not Sponsorship.objects.exists()


@pytest.mark.parametrize("status", [S.IN_REVIEW, S.APPROVED, S.PUBLISHED, S.UNPUBLISHED])
def test_underwriting_is_attached_only_to_a_draft_that_never_ran(standards, reporter, status):
    article = newsroom_article(reporter, status)
    problems = refusal(underwrite, article, by=standards)
    assert problems == [
        "A sponsorship can only be attached or changed while the article is a draft that has "
        "never been published."
    ]
    assert not Sponsorship.objects.exists()


def test_underwriting_is_not_attached_to_a_reopened_piece_that_once_ran(
    standards, editor, reporter
):
    article = newsroom_article(reporter, S.UNPUBLISHED)
    workflow.reopen(article, by=editor)
    assert status_of(article) == S.DRAFT
    assert "never been published" in refusal(underwrite, article, by=standards)[0]


# -- publishing ----------------------------------------------------------------------------


def test_a_newsroom_piece_publishes_with_underwriting(editor, second_editor, reporter):
    article = underwritten(reporter)
    workflow.submit(article, by=reporter)
    workflow.approve(article, by=second_editor)

    assert publish_problems(fresh(article)) == []
    workflow.publish(article, by=editor)
    assert status_of(article) == S.PUBLISHED
    assert fresh(article).label == "Supported by Tidewater Foundation"


def test_a_newsroom_piece_publishes_without_underwriting(editor, reporter):
    article = newsroom_article(reporter, S.APPROVED)
    assert publish_problems(fresh(article)) == []
    workflow.publish(article, by=editor)
    assert status_of(article) == S.PUBLISHED


def test_native_advertising_on_a_newsroom_piece_blocks_publishing(editor, reporter):
    # Old data, from before sponsorship followed its kind.
    article = newsroom_article(reporter, S.APPROVED)
    SponsorshipFactory(article=article, kind=NATIVE)
    assert refusal(workflow.publish, fresh(article), by=editor) == [NEVER_ON_NEWSROOM]
    assert status_of(article) == S.APPROVED


def test_underwriting_on_a_commercial_piece_blocks_publishing(commercial):
    article = commercial_article(commercial, S.APPROVED)
    Sponsorship.objects.filter(article=article).update(kind=UNDERWRITING)
    assert refusal(workflow.publish, fresh(article), by=commercial) == [NEVER_ON_COMMERCIAL]
    assert status_of(article) == S.APPROVED


# -- taking it off -------------------------------------------------------------------------


def test_removing_underwriting_from_a_live_piece_takes_it_down_with_its_note(
    standards, reporter, django_capture_on_commit_callbacks
):
    article = underwritten(reporter, S.PUBLISHED)
    told = []
    article_changed.connect(receiver := lambda **kw: told.append(kw["action"]), weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            sponsorships.remove_sponsorship(
                article, by=standards, note="The foundation's grant ended."
            )
    finally:
        article_changed.disconnect(receiver)

    assert status_of(article) == S.UNPUBLISHED
    assert not Sponsorship.objects.filter(article=article).exists()
    taken_down, removed = article.events.order_by("pk")
    assert (taken_down.action, taken_down.from_status, taken_down.to_status) == (
        "unpublish",
        S.PUBLISHED,
        S.UNPUBLISHED,
    )
    assert taken_down.note == (
        "Its sponsorship (Supported by Tidewater Foundation) was removed: "
        "The foundation's grant ended."
    )
    assert (removed.action, removed.actor, removed.note) == (
        "sponsorship_removed",
        standards,
        "The foundation's grant ended.",
    )
    # The page cache and partners hear that the piece went down.
    assert told == ["unpublish"]


def test_removing_underwriting_on_the_way_to_readers_sends_the_piece_back(standards, reporter):
    article = underwritten(reporter, S.APPROVED)
    sponsorships.remove_sponsorship(article, by=standards, note="Wrong funder.")

    assert status_of(article) == S.DRAFT
    assert list(article.events.order_by("pk").values_list("action", flat=True)) == [
        "back_to_draft",
        "sponsorship_removed",
    ]


@pytest.mark.parametrize(
    ("persona", "refused"),
    [("commercial", COMMERCIAL_DESK_REFUSED), ("editor", NOT_AN_UNDERWRITING_EDITOR)],
)
def test_only_an_underwriting_editor_removes_underwriting(persona, refused, reporter, request):
    article = underwritten(reporter, S.PUBLISHED)
    problems = refusal(
        sponsorships.remove_sponsorship, article, by=request.getfixturevalue(persona)
    )
    assert problems == [refused]
    assert status_of(article) == S.PUBLISHED
    assert Sponsorship.objects.filter(article=article).exists()


def test_native_advertising_left_on_a_newsroom_piece_is_removed_by_the_standards_editor(
    standards, commercial, reporter
):
    article = newsroom_article(reporter, S.PUBLISHED)
    SponsorshipFactory(article=article, kind=NATIVE)
    # Not by the commercial desk: the piece is journalism, whatever it was labelled.
    assert refusal(sponsorships.remove_sponsorship, article, by=commercial) == [
        COMMERCIAL_DESK_REFUSED
    ]

    sponsorships.remove_sponsorship(article, by=standards, note="Mislabelled as advertising.")
    assert status_of(article) == S.UNPUBLISHED
    assert fresh(article).desk == NEWSROOM
    assert not fresh(article).is_sponsored
