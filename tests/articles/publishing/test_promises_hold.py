"""Issue 10's acceptance test: random editorial days, by random roles, through every door
the admin and the API use; after each step the three promises still hold for every
published piece, and every change readers can see is on the record.

Hypothesis draws a few hundred sequences of steps; when an assertion fails it shrinks the
sequence to the shortest one that still fails and prints it (``articles_0`` is the article
headlined “Story 0”). Refusals are part of the game: a step the newsroom's rules forbid
must raise one of ``promises.REFUSALS``, and then it must have changed nothing readers see.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from articles.models import Article, Author, Correction, Image, Revision, Sponsorship
from articles.publishing import drafting, roles, sourcing, sponsorships, workflow
from articles.publishing.drafting import Caller
from articles.publishing.transitions import TRANSITIONS
from sources.models import Attribution, Claim
from tests.articles.publishing.promises import (
    ARTICLE_EDITS,
    BACK,
    DESK_EDITORS,
    PERSONAS,
    REFUSALS,
    SENTENCES,
    Cast,
    actions_since,
    article_edit,
    as_read,
    author_fields,
    broken_promises,
    changed_for_readers,
    describe,
    draft_data,
    image_fields,
    last_event,
    reader_view,
    save_article,
    save_shared_record,
)

Status = Article.Status

# Anyone, though half the time one of the article's own desk's two editors: the steps that
# succeed are those that lead somewhere.
people = st.sampled_from([*PERSONAS, *["desk editor", "second desk editor"] * 3])
notes = st.sampled_from(["", "Checked with the desk."])
# A piece's road to readers: which of its desk's two editors approves (and reviews an
# AI-written piece), which publishes it, and whether they schedule it instead.
desk_hands = st.tuples(st.integers(0, 1), st.integers(0, 1), st.booleans())
filing = {
    "filer": st.sampled_from([*PERSONAS, "agent"]),
    "byline": st.sampled_from(["staff", "freelance", "agent"]),
    "claims": st.integers(1, len(SENTENCES)),
    "picture": st.booleans(),
    "underwritten": st.booleans(),
    "hands": st.one_of(desk_hands, desk_hands, st.none()),  # two in three go to readers
}


class EditorialDays(RuleBasedStateMachine):
    articles = Bundle("articles")

    def __init__(self, cast: Cast):
        super().__init__()
        # Each example runs in a savepoint of the test's transaction, rolled back in
        # teardown(): every one starts from the same newsroom, with nothing filed yet.
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        assert not Article.objects.exists(), "An earlier example's articles are still here."
        self.cast, self.people = cast, cast.people
        self.filed = 0
        self.events_seen = 0
        self.seen: dict[int, tuple[dict | None, int]] = {}

    def teardown(self):
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    # -- carrying out a step ------------------------------------------------------------

    def load(self, pk: int) -> Article:
        # The services lock and re-read the row themselves; this is the caller's copy.
        return Article.objects.get(pk=pk)

    def who(self, persona: str, pk: int | None = None):
        if persona in self.people:
            return self.people[persona]
        desk = self.load(pk).desk if pk else Article.Desk.NEWSROOM
        return self.people[DESK_EDITORS[desk][persona == "second desk editor"]]

    def attempt(self, pk: int | None, what: str, call, *expected: str) -> bool:
        """Run ``call``; a refusal is an answer, but a success must have put each of the
        ``expected`` actions in article ``pk``'s audit trail."""
        mark = last_event()
        try:
            call()
        except REFUSALS:
            return False
        if pk is not None:
            logged = actions_since(mark, pk)
            missing = [action for action in expected if action not in logged]
            assert not missing, (
                f"{describe(self.load(pk))}: {what} succeeded without {missing} in its audit "
                f"trail (it logged {sorted(logged)})."
            )
        return True

    def step(self, pk: int, name: str, by: str, note: str = "Needs another look.") -> bool:
        kwargs: dict = {"by": self.who(by, pk)}
        if TRANSITIONS[name].needs_note:
            kwargs["note"] = note
        if name == "schedule":
            kwargs["at"] = timezone.now() + dt.timedelta(hours=1)
        take = partial(getattr(workflow, name), self.load(pk), **kwargs)
        return self.attempt(pk, name, take, name)

    def to_readers(self, pk: int, hands: tuple[int, int, bool]) -> None:
        """The usual road: the author submits; one of the desk's two editors approves (and
        reviews an AI-written piece), one publishes or schedules it; up to a refusal."""
        approver, publisher, later = hands
        for name in ["submit", "approve", "schedule" if later else "publish"]:
            article = self.load(pk)
            if article.status not in TRANSITIONS[name].sources:
                continue
            editors = DESK_EDITORS[article.desk]
            if name == "submit":  # by its author: a person, or the agent with its key
                agent, by = self.cast.authors["agent"], article.created_by
                take = (
                    partial(workflow.submit, article, by=by)
                    if by
                    else partial(workflow.submit_by_agent, article, agent=agent)
                )
                done = self.attempt(pk, name, take, name)
            else:
                if name != "approve" and article.has_ai_byline:
                    self.review(pk, editors[approver], "")
                done = self.step(pk, name, editors[approver if name == "approve" else publisher])
            if not done:
                return

    # -- drafts filed (through the service behind the API and the agents' keys) -----------

    def file(self, filer, byline, claims, picture, underwritten, hands):
        data = draft_data(f"Story {self.filed}", self.cast, claims=claims, picture=picture)
        if filer == "agent":
            caller = Caller(agent=self.cast.authors["agent"])
        else:
            caller = Caller(user=self.people[filer])
            data["bylines"] = [{"author": self.cast.authors[byline].slug}]
        try:
            article = drafting.create_draft(data, caller=caller)
        except REFUSALS:
            return multiple()
        note(f"articles_{self.filed} is article {article.pk}, “{article.headline}”")
        self.filed += 1
        # A second thought before anyone reads it, so the piece has a history to restore.
        revise = {"headline": f"{article.headline}, revised"}
        drafting.update_draft(article, revise, caller=caller)
        if article.desk == Article.Desk.COMMERCIAL:  # sponsored from the start
            self.sponsor(article.pk, filer, Sponsorship.Kind.NATIVE_ADVERTISING, False)
        elif underwritten:
            self.sponsor(article.pk, "standards", Sponsorship.Kind.UNDERWRITING, False)
        if hands is not None:
            self.to_readers(article.pk, hands)
        return article.pk

    @initialize(target=articles, **filing)
    def first_draft(self, **filing):
        return self.file(**filing)

    @rule(target=articles, **filing)
    def file_draft(self, **filing):
        return self.file(**filing)

    # -- the workflow ---------------------------------------------------------------------

    @rule(article=articles, hands=desk_hands)
    def take_to_readers(self, article, hands):
        self.to_readers(article, hands)

    @rule(article=articles, name=st.sampled_from(list(TRANSITIONS)), by=people, note=notes)
    def take_a_step(self, article, name, by, note):
        self.step(article, name, by, note)

    @rule(article=articles, by=people, note=notes)
    def take_back(self, article, by, note):
        if name := BACK.get(self.load(article).status):
            self.step(article, name, by, note)

    @rule()
    def scheduler_runs(self):
        due = list(Article.objects.filter(status=Status.SCHEDULED).values_list("pk", flat=True))
        mark = last_event()
        workflow.publish_due(now=timezone.now() + dt.timedelta(hours=2))
        for pk in due:
            actions = actions_since(mark, pk)
            assert actions & {"publish", "schedule_failed"}, (
                f"{describe(self.load(pk))} was due, and the scheduler logged only {actions}."
            )

    @rule(article=articles, by=people, note=notes)
    def review(self, article, by, note):
        by = self.who(by, article)
        review = partial(workflow.record_review, self.load(article), by=by, note=note)
        self.attempt(article, "review", review, "review")

    @rule(article=articles, by=people, kind=st.sampled_from(Correction.Kind.values), text=notes)
    def add_correction(self, article, by, kind, text):
        current = self.load(article)
        expected = [f"correction:{kind}"]
        if kind == Correction.Kind.RETRACTION and current.status == Status.PUBLISHED:
            expected.append("unpublish")
        by = self.who(by, article)
        add = partial(workflow.add_correction, current, by=by, kind=kind, text=text)
        self.attempt(article, f"correction ({kind})", add, *expected)

    # -- sponsorships ---------------------------------------------------------------------

    @rule(
        article=articles,
        by=people,
        kind=st.sampled_from(Sponsorship.Kind.values),
        campaign_over=st.booleans(),
    )
    def sponsor(self, article, by, kind, campaign_over):
        today = timezone.localdate()
        current = self.load(article)
        attach = partial(
            sponsorships.set_sponsorship,
            current,
            by=self.who(by, article),
            sponsor=self.cast.sponsor,
            kind=kind,
            disclosure="Paid for by Acme Robotics.",
            campaign_starts_on=today - dt.timedelta(days=7),
            campaign_ends_on=today - dt.timedelta(days=1) if campaign_over else None,
        )
        action = "sponsorship_changed" if current.is_sponsored else "sponsorship_added"
        self.attempt(article, f"sponsorship ({kind})", attach, action)

    @rule(article=articles, by=people, note=notes)
    def remove_sponsorship(self, article, by, note):
        current = self.load(article)
        expected = ["sponsorship_removed"] if current.is_sponsored else []
        if current.is_sponsored and current.status != Status.DRAFT:
            live = current.status == Status.PUBLISHED
            expected.append("unpublish" if live else "back_to_draft")
        by = self.who(by, article)
        remove = partial(sponsorships.remove_sponsorship, current, by=by, note=note)
        self.attempt(article, "sponsorship removed", remove, *expected)

    # -- edits: the article page, the API, a claim's sources page, a restored revision ------

    @rule(
        article=articles, by=people, change=st.sampled_from(ARTICLE_EDITS), reviewed=st.booleans()
    )
    def edit_in_the_admin(self, article, by, change, reviewed):
        edit, by = article_edit(change, self.cast), self.who(by, article)
        save = partial(save_article, article, by=by, edit=edit, reviewed=reviewed)
        self.attempt(article, f"admin edit ({change})", save)

    @rule(article=articles, by=people, drop_claim=st.booleans())
    def edit_through_the_api(self, article, by, drop_claim):
        current = self.load(article)
        claims = list(current.claims.all())
        data = (
            {"body": current.body.replace(claims[0].text, "")}
            if drop_claim and claims
            else {"headline": current.headline + " (API)"}
        )
        caller = Caller(user=self.who(by, article))
        update = partial(drafting.update_draft, current, data, caller=caller)
        self.attempt(article, "API edit", update, "edit")

    @rule(
        article=articles,
        by=people,
        which=st.integers(0, 2),
        add=st.booleans(),
        reviewed=st.sampled_from([None, "Checked the new source."]),
    )
    def change_sources(self, article, by, which, add, reviewed):
        claims = list(Claim.objects.filter(article_id=article).order_by("pk"))
        if not claims:
            return
        claim = claims[which % len(claims)]
        cited = set(claim.attributions.values_list("document_id", flat=True))
        uncited = [document for document in self.cast.documents if document.pk not in cited]
        if add and not uncited:
            return
        save = (
            partial(Attribution.objects.create, claim=claim, document=uncited[0], position=9)
            if add
            else claim.attributions.all().delete
        )
        by = self.who(by, article)
        change = partial(sourcing.change_sources, claim, by=by, save=save, review_note=reviewed)
        self.attempt(article, "sources changed", change, "sources_changed")

    @rule(article=articles, by=people, which=st.integers(0, 2))
    def remove_claim(self, article, by, which):
        claims = list(Claim.objects.filter(article_id=article).order_by("pk"))
        if claims:
            remove = partial(
                sourcing.remove_claim, claims[which % len(claims)], by=self.who(by, article)
            )
            self.attempt(article, "claim removed", remove, "claim_removed")

    @rule(article=articles, by=people, which=st.integers(0, 20))
    def restore_revision(self, article, by, which):
        # Any but the newest, which is what the article is now.
        earlier = list(Revision.objects.filter(article_id=article).order_by("number"))[:-1]
        if not earlier:
            return
        revision, by = earlier[-1 - which % len(earlier)], self.who(by, article)

        def restore():  # as the admin's restore view does
            if not roles.can_edit(by, self.load(article)):
                raise PermissionDenied
            workflow.restore_revision(revision, by=by)

        self.attempt(article, "revision restored", restore, "restore")

    # -- records shown on many pieces ----------------------------------------------------------

    @rule(by=people, ai_generated=st.booleans(), alt_text=st.booleans(), note=notes)
    def change_the_image(self, by, ai_generated, alt_text, note):
        image = Image.objects.get(pk=self.cast.image.pk)
        fields = image_fields(ai_generated=ai_generated, alt_text=alt_text)
        change = partial(save_shared_record, image, by=self.who(by), note=note, **fields)
        self.attempt(None, "image changed", change)

    @rule(by=people, who=st.sampled_from(["freelance", "agent"]), agent=st.booleans(), note=notes)
    def change_an_author(self, by, who, agent, note):
        author = Author.objects.get(pk=self.cast.authors[who].pk)
        fields = author_fields(author, agent=agent, supervisor=self.people["editor"])
        change = partial(save_shared_record, author, by=self.who(by), note=note, **fields)
        self.attempt(None, "author changed", change)

    # -- after every step ----------------------------------------------------------------------

    @invariant()
    def the_promises_hold_and_every_visible_change_is_on_the_record(self):
        articles, broken = list(as_read()), []
        total = sum(len(article.events.all()) for article in articles)
        assert total >= self.events_seen, f"Audit events were lost: {self.events_seen} → {total}."
        self.events_seen = total
        for article in articles:
            view, events = reader_view(article), len(article.events.all())
            if view is not None:
                broken += broken_promises(article)
            view_before, events_before = self.seen.get(article.pk, (None, 0))
            changed = changed_for_readers(view_before, view)
            if changed and events <= events_before:
                broken.append(
                    f"{describe(article)} changed for readers ({', '.join(changed)}) with "
                    "no new event in its audit trail."
                )
            self.seen[article.pk] = (view, events)
        assert not broken, "\n".join(broken)


@pytest.mark.django_db
def test_the_promises_hold_through_random_editorial_days(role_groups):
    # Made once (the personas alone cost more than a short example); each example starts
    # from it in a savepoint of its own.
    cast = Cast.create()
    run_state_machine_as_test(
        lambda: EditorialDays(cast),
        settings=settings(
            max_examples=300,
            stateful_step_count=8,
            deadline=None,
            # Failures are printed shrunk; no example database is written into the repository.
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
