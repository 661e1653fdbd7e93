import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from articles import workflow
from articles.models import AIInvolvement, Article, ArticleEvent, Byline, Correction, Sponsorship
from articles.workflow import WorkflowError, publish_problems
from sources.models import Claim
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AttributionFactory,
    AuthorFactory,
    BylineFactory,
    ClaimFactory,
    ImageFactory,
    SectionFactory,
    SponsorFactory,
    SponsorshipFactory,
    make_publishable,
)

pytestmark = pytest.mark.django_db

S = Article.Status
NEWSROOM, COMMERCIAL = Article.Desk.NEWSROOM, Article.Desk.COMMERCIAL
ROLES = ["reporter", "other_reporter", "editor", "commercial", "administrator"]

# Who may take each transition, written out by hand rather than read from the code.
# On newsroom articles the reporter is the one who created the piece.
MAY = {
    NEWSROOM: {
        "submit": {"reporter", "editor", "administrator"},
        "request_changes": {"editor", "administrator"},
        "approve": {"editor", "administrator"},
        "schedule": {"editor", "administrator"},
        "unschedule": {"editor", "administrator"},
        "publish": {"editor", "administrator"},
        "unpublish": {"editor", "administrator"},
        "reopen": {"editor", "administrator"},
    },
    COMMERCIAL: {
        name: {"commercial", "administrator"}
        for name in [
            "submit",
            "request_changes",
            "approve",
            "schedule",
            "unschedule",
            "publish",
            "unpublish",
            "reopen",
        ]
    },
}

# Every way out of every state: (transition, from, to).
MOVES = [
    ("submit", S.DRAFT, S.IN_REVIEW),
    ("request_changes", S.IN_REVIEW, S.DRAFT),
    ("request_changes", S.APPROVED, S.DRAFT),
    ("approve", S.IN_REVIEW, S.APPROVED),
    ("schedule", S.APPROVED, S.SCHEDULED),
    ("unschedule", S.SCHEDULED, S.APPROVED),
    ("publish", S.APPROVED, S.PUBLISHED),
    ("publish", S.SCHEDULED, S.PUBLISHED),
    ("unpublish", S.PUBLISHED, S.UNPUBLISHED),
    ("reopen", S.UNPUBLISHED, S.DRAFT),
]

NOTE = "The second source does not say this; please check."


def take(name: str, article: Article, user) -> Article:
    """Call the workflow function for transition ``name`` with what it needs."""
    if name in {"request_changes", "unpublish"}:
        return getattr(workflow, name)(article, by=user, note=NOTE)
    if name == "schedule":
        return workflow.schedule(article, by=user, at=timezone.now() + dt.timedelta(hours=2))
    return getattr(workflow, name)(article, by=user)


def put(article: Article, status: str) -> Article:
    """Put ``article`` in ``status`` directly, with the times that state needs."""
    now = timezone.now()
    fields = {"status": status}
    if status == S.SCHEDULED:
        fields["scheduled_for"] = now + dt.timedelta(hours=1)
    if status in {S.PUBLISHED, S.UNPUBLISHED}:
        fields["published_at"] = now - dt.timedelta(hours=1)
    Article.objects.filter(pk=article.pk).update(**fields)
    article.refresh_from_db()
    return article


def newsroom_article(reporter, status=S.DRAFT, **fields) -> Article:
    article = ArticleFactory(created_by=reporter, desk=NEWSROOM, **fields)
    make_publishable(article, author=AuthorFactory(user=reporter, name="Priya Raman"))
    return put(article, status)


def commercial_article(commercial, status=S.DRAFT, **fields) -> Article:
    article = ArticleFactory(created_by=commercial, desk=COMMERCIAL, **fields)
    SponsorshipFactory(article=article, kind=Sponsorship.Kind.NATIVE_ADVERTISING)
    make_publishable(article)
    return put(article, status)


def fresh(article: Article) -> Article:
    """The article as the workflow reads it, with nothing cached from before."""
    return Article.objects.for_detail().get(pk=article.pk)


def status_of(article: Article) -> str:
    return Article.objects.values_list("status", flat=True).get(pk=article.pk)


def refusal(call, *args, **kwargs) -> list[str]:
    with pytest.raises(WorkflowError) as exc:
        call(*args, **kwargs)
    return exc.value.problems


# -- the role × transition matrix -----------------------------------------------------


def test_the_matrix_below_covers_every_transition_and_source_state():
    assert {(name, source) for name, source, _ in MOVES} == {
        (t.name, source) for t in workflow.TRANSITIONS.values() for source in t.sources
    }
    assert set(MAY[NEWSROOM]) == set(MAY[COMMERCIAL]) == set(workflow.TRANSITIONS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "source", "target"), MOVES, ids=[f"{n}-from-{s}" for n, s, _ in MOVES]
)
@pytest.mark.parametrize("desk", [NEWSROOM, COMMERCIAL])
def test_only_the_right_roles_move_an_article_through_each_transition(
    desk, name, source, target, role, request
):
    reporter = request.getfixturevalue("reporter")
    commercial = request.getfixturevalue("commercial")
    user = request.getfixturevalue(role)
    if desk == NEWSROOM:
        article = newsroom_article(reporter, source)
    else:
        article = commercial_article(commercial, source)
    assert publish_problems(fresh(article)) == []

    if role in MAY[desk][name]:
        take(name, article, user)

        article.refresh_from_db()
        assert article.status == target
        assert (article.scheduled_for is not None) == (target == S.SCHEDULED)
        assert (article.published_at is not None) == (
            target == S.PUBLISHED or source in {S.PUBLISHED, S.UNPUBLISHED}
        )
        event = article.events.get()
        assert (event.action, event.actor, event.from_status, event.to_status) == (
            name,
            user,
            source,
            target,
        )
    else:
        refusal(take, name, article, user)

        assert status_of(article) == source
        assert not article.events.exists()


# -- refusals say why ------------------------------------------------------------------


def test_reporter_cannot_publish(reporter):
    article = newsroom_article(reporter, S.APPROVED)
    assert refusal(workflow.publish, article, by=reporter) == [
        "You do not have permission to publish now."
    ]
    assert status_of(article) == S.APPROVED


def test_reporter_cannot_submit_another_reporters_article(reporter, other_reporter):
    article = newsroom_article(reporter)
    assert refusal(workflow.submit, article, by=other_reporter) == [
        "Reporters can only submit their own articles."
    ]


def test_newsroom_editor_cannot_touch_a_commercial_piece(editor, commercial):
    article = commercial_article(commercial, S.APPROVED)
    assert refusal(workflow.publish, article, by=editor) == [
        "Only the commercial desk works on sponsored content."
    ]


def test_commercial_desk_cannot_touch_a_newsroom_article(commercial, reporter):
    article = newsroom_article(reporter, S.APPROVED)
    assert refusal(workflow.publish, article, by=commercial) == [
        "The commercial desk cannot work on newsroom articles."
    ]


def test_commercial_editor_bylined_on_a_newsroom_article_cannot_publish_it(commercial, reporter):
    article = newsroom_article(reporter, S.APPROVED)
    BylineFactory(article=article, author=AuthorFactory(user=commercial), role=Byline.Role.RESEARCH)
    assert refusal(workflow.publish, article, by=commercial) == [
        "The commercial desk cannot work on newsroom articles."
    ]
    assert status_of(article) == S.APPROVED


@pytest.mark.parametrize(
    ("name", "status", "said"),
    [
        ("publish", S.DRAFT, "a draft"),
        ("approve", S.APPROVED, "approved"),
        ("submit", S.IN_REVIEW, "in review"),
        ("unpublish", S.DRAFT, "a draft"),
        ("reopen", S.PUBLISHED, "published"),
        ("unschedule", S.APPROVED, "approved"),
    ],
)
def test_transition_from_the_wrong_state_is_refused_naming_the_state(
    editor, reporter, name, status, said
):
    article = newsroom_article(reporter, status)
    [problem] = refusal(take, name, article, editor)
    assert f"while the article is {said}" in problem
    assert status_of(article) == status
    assert not article.events.exists()


@pytest.mark.parametrize(
    ("name", "status"), [("request_changes", S.IN_REVIEW), ("unpublish", S.PUBLISHED)]
)
@pytest.mark.parametrize("note", ["", "   "])
def test_a_note_is_required_to_send_back_or_take_down(editor, reporter, name, status, note):
    article = newsroom_article(reporter, status)
    [problem] = refusal(getattr(workflow, name), article, by=editor, note=note)
    assert "needs a note" in problem
    assert status_of(article) == status


def test_requested_changes_reach_the_author_as_a_note(editor, reporter):
    article = newsroom_article(reporter)
    workflow.submit(article, by=reporter)
    workflow.request_changes(article, by=editor, note="Name the analyst you quote.")

    assert status_of(article) == S.DRAFT
    latest = Article.objects.get(pk=article.pk).events.first()
    assert (latest.action, latest.actor_name, latest.note) == (
        "request_changes",
        "Maria Okafor",
        "Name the analyst you quote.",
    )
    # Back to a draft, the author can rework it and send it again.
    workflow.submit(article, by=reporter)
    assert status_of(article) == S.IN_REVIEW


def test_publishing_stamps_the_first_publication_time_and_keeps_it(editor, reporter):
    article = newsroom_article(reporter, S.APPROVED)
    first = timezone.now() - dt.timedelta(days=3)
    with time_machine.travel(first, tick=False):
        workflow.publish(article, by=editor)
    workflow.unpublish(article, by=editor, note="Legal asked us to check a quote.")
    workflow.reopen(article, by=editor)
    workflow.submit(article, by=editor)
    workflow.approve(article, by=editor)
    workflow.publish(article, by=editor)

    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    assert article.published_at == first


def test_a_state_change_is_not_a_content_edit(editor, reporter):
    article = newsroom_article(reporter, S.IN_REVIEW)
    version = article.version
    workflow.approve(article, by=editor)
    workflow.publish(article, by=editor)
    article.refresh_from_db()
    assert article.version == version


# -- publish gates: one per condition, each listed and then fixed ---------------------


def assert_blocks_publishing(article: Article, editor, message: str) -> None:
    assert message in publish_problems(fresh(article))
    problems = refusal(workflow.publish, article, by=editor)
    assert message in problems
    assert status_of(article) == S.APPROVED
    assert not article.events.filter(action="publish").exists()


def assert_publishes(article: Article, editor) -> None:
    assert publish_problems(fresh(article)) == []
    workflow.publish(article, by=editor)
    assert status_of(article) == S.PUBLISHED


def test_missing_headline_blocks_publishing(editor, reporter):
    article = newsroom_article(reporter, S.APPROVED, headline="   ")
    assert_blocks_publishing(article, editor, "Add a headline.")

    article.headline = "Sony's profit rises"
    article.save()
    assert_publishes(article, editor)


def test_empty_body_blocks_publishing(editor, reporter):
    article = newsroom_article(reporter, S.APPROVED)
    article.body = "<p></p>"
    article.save()
    assert_blocks_publishing(article, editor, "Write the body.")

    article.body = "<p>Sony said its profit rose. Shares gained.</p>"
    article.save()
    assert_publishes(article, editor)


def test_missing_section_blocks_publishing(editor, reporter):
    article = newsroom_article(reporter, S.APPROVED, section=None)
    assert_blocks_publishing(article, editor, "Choose a section.")

    article.section = SectionFactory(name="Business", slug="business")
    article.save()
    assert_publishes(article, editor)


def test_missing_byline_blocks_publishing(editor, reporter):
    article = newsroom_article(reporter, S.APPROVED)
    priya = article.bylines.get().author
    article.bylines.all().delete()
    assert_blocks_publishing(article, editor, "Add at least one byline.")

    BylineFactory(article=article, author=priya)
    assert_publishes(article, editor)


def test_claim_without_a_source_blocks_publishing(editor, reporter):
    article = newsroom_article(
        reporter, S.APPROVED, body="<p>Sony said its profit rose. Analysts expect more.</p>"
    )
    claim = ClaimFactory(article=article, text="Analysts expect more.")
    assert_blocks_publishing(article, editor, "The claim “Analysts expect more.” has no source.")

    AttributionFactory(claim=claim)
    assert_publishes(article, editor)


def test_claim_no_longer_in_the_body_blocks_publishing(editor, reporter):
    article = newsroom_article(reporter, S.APPROVED)
    article.body = "<p>Profit at Sony rose, the company said.</p>"
    article.save()
    assert_blocks_publishing(
        article, editor, "The claim “Sony said its profit rose.” no longer appears in the body."
    )

    Claim.objects.filter(article=article).update(text="Profit at Sony rose")
    assert_publishes(article, editor)


def ai_written(article: Article, *, involvement=AIInvolvement.GENERATED, role=Byline.Role.BY):
    article.bylines.all().delete()
    BylineFactory(article=article, author=AIAgentFactory(name="Ledger"), role=role)
    article.ai_involvement = involvement
    article.save()
    return article


def test_ai_written_piece_needs_a_human_review_to_publish(editor, second_editor, reporter):
    article = ai_written(newsroom_article(reporter, S.APPROVED))
    assert_blocks_publishing(
        article,
        editor,
        "An AI agent is in the byline: a human editor must record a review before it is published.",
    )

    workflow.record_review(article, by=second_editor)
    assert_publishes(article, editor)


def test_edit_after_the_review_needs_a_new_review(editor, second_editor, reporter):
    article = ai_written(newsroom_article(reporter, S.APPROVED))
    review = workflow.record_review(article, by=second_editor)
    article.body += "<p>Sony said its profit rose again in the spring.</p>"
    article.save()
    assert article.version == review.version + 1
    assert_blocks_publishing(
        article,
        editor,
        f"Sam Ng reviewed version {review.version}, but the article has changed since "
        f"(version {article.version}): record a new review.",
    )

    workflow.record_review(article, by=second_editor)
    assert_publishes(article, editor)


def test_understated_ai_involvement_blocks_publishing(editor, second_editor, reporter):
    article = ai_written(newsroom_article(reporter, S.APPROVED), involvement=AIInvolvement.NONE)
    workflow.record_review(article, by=second_editor)
    assert_blocks_publishing(
        article,
        editor,
        "Ledger is an AI agent in the byline, so AI involvement must be at least “AI-generated”.",
    )

    # Declaring it is an edit, so the reviewer signs off the corrected version too.
    article.ai_involvement = AIInvolvement.GENERATED
    article.save()
    workflow.record_review(article, by=second_editor)
    assert_publishes(article, editor)


def test_ai_research_byline_needs_at_least_ai_assisted(editor, second_editor, reporter):
    article = newsroom_article(reporter, S.APPROVED)
    BylineFactory(article=article, author=AIAgentFactory(name="Ledger"), role=Byline.Role.RESEARCH)
    workflow.record_review(article, by=second_editor)
    assert_blocks_publishing(
        article,
        editor,
        "Ledger is an AI agent in the byline, so AI involvement must be at least “AI-assisted”.",
    )


@time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC), tick=False)
def test_sponsored_piece_cannot_run_outside_its_campaign(commercial, administrator):
    article = ArticleFactory(created_by=commercial, desk=COMMERCIAL)
    make_publishable(article)
    workflow.set_sponsorship(
        article,
        by=commercial,
        sponsor=SponsorFactory(name="Acme Robotics"),
        kind=Sponsorship.Kind.NATIVE_ADVERTISING,
        disclosure="Paid for by Acme Robotics; produced by our commercial desk.",
        campaign_starts_on=dt.date(2026, 10, 1),
        campaign_ends_on=dt.date(2026, 10, 31),
    )
    workflow.submit(article, by=commercial)
    workflow.approve(article, by=administrator)
    assert_blocks_publishing(
        article,
        commercial,
        "The sponsor's campaign runs from 1 October 2026 to 31 October 2026, so the piece "
        "cannot be published on 2 November 2026.",
    )

    # The sponsorship is fixed on a draft, and the piece goes through review again.
    workflow.request_changes(article, by=administrator, note="The campaign was extended.")
    workflow.set_sponsorship(
        article,
        by=commercial,
        sponsor=SponsorFactory(name="Acme Robotics Ltd"),
        kind=Sponsorship.Kind.NATIVE_ADVERTISING,
        disclosure="Paid for by Acme Robotics; produced by our commercial desk.",
        campaign_starts_on=dt.date(2026, 10, 1),
        campaign_ends_on=dt.date(2026, 11, 30),
    )
    workflow.submit(article, by=commercial)
    workflow.approve(article, by=administrator)
    assert_publishes(article, commercial)


def test_lead_image_without_alt_text_blocks_publishing(editor, reporter):
    image = ImageFactory(alt_text="")
    article = newsroom_article(reporter, S.APPROVED, lead_image=image)
    assert_blocks_publishing(article, editor, "The lead image needs alt text.")

    image.alt_text = "Sony's headquarters in Tokyo at dusk."
    image.save()
    assert_publishes(article, editor)


def test_every_failing_gate_is_listed_at_once(editor, reporter):
    image = ImageFactory(alt_text="")
    article = ArticleFactory(
        created_by=reporter, headline="", section=None, lead_image=image, body="<p>Draft.</p>"
    )
    ClaimFactory(article=article, text="Draft.")
    put(article, S.APPROVED)
    expected = [
        "Add a headline.",
        "Choose a section.",
        "Add at least one byline.",
        "The claim “Draft.” has no source.",
        "The lead image needs alt text.",
    ]

    assert publish_problems(fresh(article)) == expected
    with pytest.raises(WorkflowError) as exc:
        workflow.publish(article, by=editor)
    assert exc.value.problems == expected
    assert str(exc.value) == " ".join(expected)


# -- human review -----------------------------------------------------------------------


def test_editor_who_submitted_cannot_review_it(editor, reporter):
    article = ai_written(newsroom_article(reporter))
    workflow.submit(article, by=editor)
    assert refusal(workflow.record_review, article, by=editor) == [
        "You submitted this article; another editor must review it."
    ]
    assert not article.reviews.exists()


def test_another_editor_reviews_and_is_named_with_the_version(editor, second_editor, reporter):
    article = ai_written(newsroom_article(reporter))
    workflow.submit(article, by=editor)
    review = workflow.record_review(article, by=second_editor, note="Checked every figure.")

    article.refresh_from_db()
    assert (review.reviewer, review.reviewer_name, review.version, review.note) == (
        second_editor,
        "Sam Ng",
        article.version,
        "Checked every figure.",
    )
    assert fresh(article).latest_review == review
    event = article.events.get(action="review")
    assert (event.actor, event.note) == (second_editor, "Checked every figure.")


def test_review_is_refused_on_a_draft(editor, reporter):
    article = ai_written(newsroom_article(reporter))
    assert refusal(workflow.record_review, article, by=editor) == [
        "Only a submitted article can be reviewed."
    ]


def test_reporter_cannot_record_a_review(reporter, other_reporter):
    article = ai_written(newsroom_article(reporter, S.IN_REVIEW))
    assert refusal(workflow.record_review, article, by=other_reporter) == [
        "You do not have permission to review this article."
    ]


# -- the sponsorship firewall ---------------------------------------------------------


def sponsor_it(article, *, by, sponsor=None, **overrides):
    fields = {
        "sponsor": sponsor or SponsorFactory(),
        "kind": Sponsorship.Kind.NATIVE_ADVERTISING,
        "disclosure": "Paid for by Acme Robotics; produced by our commercial desk.",
        "campaign_starts_on": timezone.localdate() - dt.timedelta(days=1),
        "campaign_ends_on": timezone.localdate() + dt.timedelta(days=30),
    } | overrides
    return workflow.set_sponsorship(article, by=by, **fields)


@pytest.mark.parametrize("persona", ["commercial", "administrator"])
def test_journalism_can_never_be_sponsored(persona, reporter, request):
    article = newsroom_article(reporter)
    problems = refusal(sponsor_it, article, by=request.getfixturevalue(persona))
    assert problems == [
        "A sponsorship can only be attached to a commercial-desk article, never to journalism."
    ]
    assert not Sponsorship.objects.exists()


def test_newsroom_editor_cannot_sponsor_a_commercial_draft(editor, commercial):
    article = ArticleFactory(created_by=commercial, desk=COMMERCIAL)
    assert refusal(sponsor_it, article, by=editor) == [
        "Only the commercial desk can change a sponsorship."
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
    sponsor_it(article, by=commercial, kind=Sponsorship.Kind.UNDERWRITING)

    assert Sponsorship.objects.get().kind == Sponsorship.Kind.UNDERWRITING
    assert list(article.events.values_list("action", flat=True)) == [
        "sponsorship_changed",
        "sponsorship_added",
    ]


@pytest.mark.parametrize("status", [S.IN_REVIEW, S.APPROVED, S.PUBLISHED, S.UNPUBLISHED])
def test_sponsorship_cannot_change_once_past_the_draft(commercial, status):
    article = commercial_article(commercial, status)
    before = Sponsorship.objects.get()
    problems = refusal(sponsor_it, article, by=commercial, kind=Sponsorship.Kind.UNDERWRITING)
    assert "while the article is a draft that has never been published" in problems[0]
    assert Sponsorship.objects.get().kind == before.kind


def test_sponsorship_cannot_change_on_a_reopened_piece_that_once_ran(commercial, administrator):
    article = commercial_article(commercial, S.UNPUBLISHED)
    workflow.reopen(article, by=administrator)
    assert status_of(article) == S.DRAFT
    problems = refusal(sponsor_it, article, by=commercial, kind=Sponsorship.Kind.UNDERWRITING)
    assert "never been published" in problems[0]


def test_removing_a_live_sponsorship_takes_the_piece_down_first(commercial):
    article = commercial_article(commercial, S.PUBLISHED)
    workflow.remove_sponsorship(article, by=commercial, note="The sponsor withdrew.")

    assert status_of(article) == S.UNPUBLISHED
    assert not Sponsorship.objects.filter(article=article).exists()
    unpublished, removed = article.events.order_by("pk")
    assert (unpublished.action, unpublished.from_status, unpublished.to_status) == (
        "unpublish",
        S.PUBLISHED,
        S.UNPUBLISHED,
    )
    assert (removed.action, removed.note) == ("sponsorship_removed", "The sponsor withdrew.")


@pytest.mark.parametrize("status", [S.IN_REVIEW, S.APPROVED, S.SCHEDULED])
def test_removing_a_sponsorship_on_the_way_to_readers_sends_the_piece_back_to_draft(
    commercial, status
):
    fields = (
        {"scheduled_for": timezone.now() + dt.timedelta(days=1)} if status == S.SCHEDULED else {}
    )
    article = commercial_article(commercial, status, **fields)
    workflow.remove_sponsorship(article, by=commercial)

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
    assert refusal(workflow.remove_sponsorship, article, by=editor) == [
        "Only the commercial desk can change a sponsorship."
    ]
    assert status_of(article) == S.PUBLISHED
    assert Sponsorship.objects.filter(article=article).exists()


def test_commercial_desk_publishes_its_ai_written_sponsored_piece(
    commercial, administrator, editor
):
    article = ArticleFactory(
        created_by=commercial, desk=COMMERCIAL, ai_involvement=AIInvolvement.GENERATED
    )
    sponsor_it(article, by=commercial)
    BylineFactory(
        article=article, author=AIAgentFactory(name="Ledger", supervising_editor=commercial)
    )
    AttributionFactory(claim=ClaimFactory(article=article, text="Sony said its profit rose."))

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


# -- corrections --------------------------------------------------------------------------


def test_draft_that_never_ran_cannot_be_corrected(editor, reporter):
    article = newsroom_article(reporter)
    problems = refusal(
        workflow.add_correction,
        article,
        by=editor,
        kind=Correction.Kind.CORRECTION,
        text="The quarter was the third.",
    )
    assert problems == ["Corrections are for published articles; edit the draft instead."]
    assert not Correction.objects.exists()


def test_correction_is_dated_appended_and_logged(editor, reporter):
    article = newsroom_article(reporter, S.PUBLISHED)
    moment = timezone.now().replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        correction = workflow.add_correction(
            article,
            by=editor,
            kind=Correction.Kind.CORRECTION,
            text="An earlier version gave the wrong quarter.",
        )

    assert list(article.corrections.all()) == [correction]
    assert (correction.created_at, correction.created_by) == (moment, editor)
    event = article.events.get()
    assert (event.action, event.note) == (
        "correction:correction",
        "An earlier version gave the wrong quarter.",
    )
    assert status_of(article) == S.PUBLISHED
    assert fresh(article).last_correction_at == moment


def test_empty_correction_is_refused(editor, reporter):
    article = newsroom_article(reporter, S.PUBLISHED)
    problems = refusal(
        workflow.add_correction, article, by=editor, kind=Correction.Kind.UPDATE, text="  "
    )
    assert problems == ["Write the correction."]


def test_reporter_cannot_add_a_correction(reporter):
    article = newsroom_article(reporter, S.PUBLISHED)
    problems = refusal(
        workflow.add_correction, article, by=reporter, kind=Correction.Kind.UPDATE, text="Update."
    )
    assert problems == ["You do not have permission to add corrections to this article."]


def test_retraction_also_takes_the_piece_down(editor, reporter):
    article = newsroom_article(reporter, S.PUBLISHED)
    workflow.add_correction(
        article,
        by=editor,
        kind=Correction.Kind.RETRACTION,
        text="The central claim could not be substantiated.",
    )

    assert status_of(article) == S.UNPUBLISHED
    assert article.corrections.get().kind == Correction.Kind.RETRACTION
    actions = list(article.events.order_by("pk").values_list("action", "note"))
    assert actions == [
        ("correction:retraction", "The central claim could not be substantiated."),
        ("unpublish", "Retracted: The central claim could not be substantiated."),
    ]


# -- telling the rest of the system ------------------------------------------------------


def test_article_changed_is_sent_once_after_commit(
    editor, reporter, django_capture_on_commit_callbacks
):
    article = newsroom_article(reporter, S.APPROVED)
    heard = []

    def listener(sender, article, action, **kwargs):
        heard.append((article.pk, action, status_of(article)))

    workflow.article_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            workflow.publish(article, by=editor)
            assert heard == []  # nothing is said before the change is committed
        assert len(callbacks) == 1
        assert heard == [(article.pk, "publish", S.PUBLISHED)]
    finally:
        workflow.article_changed.disconnect(listener)


def test_refused_action_sends_nothing(editor, reporter, django_capture_on_commit_callbacks):
    article = newsroom_article(reporter, S.DRAFT)
    with django_capture_on_commit_callbacks() as callbacks:
        refusal(workflow.publish, article, by=editor)
    assert callbacks == []


def test_events_name_the_scheduler_when_nobody_acted():
    event = ArticleEvent(action="publish", created_at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC))
    assert str(event) == "publish by the scheduler at 2026-11-02 09:00"
