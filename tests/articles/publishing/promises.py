"""The three promises as the stateful test (test_promises_hold.py) checks them after every
step, and the two admin save paths it drives exactly as the admin runs them: an article's
page (form, inlines, ``save_related``) and a shared record's page (an author, an image).

The promises are written out here, not imported from ``articles.publishing``: a test that
asked the gates whether the gates hold would agree with any bug in them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet

from articles.models import (
    AIInvolvement,
    Article,
    ArticleEvent,
    Author,
    Byline,
    Image,
    Sponsor,
    Sponsorship,
)
from articles.publishing import roles, shared_records, workflow
from articles.publishing.transitions import WorkflowError
from sources.models import Claim, SourceDocument
from tests.factories import (
    AIAgentFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    SourceDocumentFactory,
    SponsorFactory,
    UserFactory,
)

# What the services raise when they refuse: the admin and the API turn these into messages.
REFUSALS = (WorkflowError, ValidationError, PermissionDenied)

Status = Article.Status
Desk = Article.Desk

# Native advertising is made by the commercial desk; underwriting funds newsroom
# journalism, whose printed disclaimer says the funder had no say in it.
KIND_OF_DESK = {
    Desk.COMMERCIAL: Sponsorship.Kind.NATIVE_ADVERTISING,
    Desk.NEWSROOM: Sponsorship.Kind.UNDERWRITING,
}

PERSONAS = {
    "reporter": ("reporter", roles.REPORTER),
    "editor": ("editor", roles.EDITOR),
    "second_editor": ("editor2", roles.EDITOR),
    "commercial": ("commercial", roles.COMMERCIAL_EDITOR),
    "second_commercial": ("commercial2", roles.COMMERCIAL_EDITOR),
    "standards": ("standards", roles.STANDARDS_EDITOR),
}
# Each desk's two editors, for the steps that need the desk's own hands (and four eyes).
DESK_EDITORS = {
    Desk.NEWSROOM: ("editor", "second_editor"),
    Desk.COMMERCIAL: ("commercial", "second_commercial"),
}
# One step back from each state.
BACK = {
    Status.IN_REVIEW: "request_changes",
    Status.APPROVED: "request_changes",
    Status.SCHEDULED: "unschedule",
    Status.PUBLISHED: "unpublish",
    Status.UNPUBLISHED: "reopen",
}
SENTENCES = ["Sony said its profit rose.", "Analysts expect more.", "The shares fell two percent."]
BODY = f"<p>{' '.join(SENTENCES)}</p>"

# What the admin passes as the review note when the editor ticks "I reviewed this version".
REVIEWED = "Reviewed while editing the published piece."


@dataclass
class Cast:
    """The people and shared records every example starts with."""

    people: dict
    authors: dict[str, Author]
    documents: list[SourceDocument]
    sponsor: Sponsor
    image: Image

    @classmethod
    def create(cls) -> Cast:
        people = {}
        for name, (username, group) in PERSONAS.items():
            people[name] = UserFactory(username=username, is_staff=True)
            people[name].groups.add(Group.objects.get(name=group))
        SectionFactory(name="Business", slug="business")
        editor = people["editor"]
        return cls(
            people=people,
            authors={
                "staff": AuthorFactory(name="Priya Raman", slug="priya", user=people["reporter"]),
                "freelance": AuthorFactory(name="Jo Lind", slug="jo"),
                "agent": AIAgentFactory(name="Sift", slug="sift", supervising_editor=editor),
            },
            documents=SourceDocumentFactory.create_batch(2),
            sponsor=SponsorFactory(name="Acme Robotics"),
            image=ImageFactory(),
        )


def draft_data(headline: str, cast: Cast, *, claims: int, picture: bool) -> dict:
    """A draft as the API files it: the body, ``claims`` of its sentences with a source."""
    return {
        "headline": headline,
        "dek": "What happened, in one sentence.",
        "body": BODY,
        "section": "business",
        "claims": [
            {"text": text, "sources": [{"document": cast.documents[0].pk}]}
            for text in SENTENCES[:claims]
        ],
    } | ({"lead_image": cast.image} if picture else {})


def image_fields(*, ai_generated: bool, alt_text: bool) -> dict:
    kind = Image.SourceKind.AI_GENERATED if ai_generated else Image.SourceKind.STAFF
    return {"source_kind": kind, "alt_text": "A blue rectangle." if alt_text else ""}


def author_fields(author: Author, *, agent: bool, supervisor) -> dict:
    """Make ``author`` a human journalist or an AI agent, with what the form asks of one."""
    if not agent:
        return {"kind": Author.Kind.HUMAN}
    return {
        "kind": Author.Kind.AI_AGENT,
        "operator": author.operator or "Newsroom Media Ltd",
        "system": author.system or "Newsroom Agent Platform 2",
        "disclosure": author.disclosure or "An AI agent; an editor reviews its work.",
        "supervising_editor": author.supervising_editor or supervisor,
    }


def last_event() -> int:
    return ArticleEvent.objects.aggregate(last=Max("pk"))["last"] or 0


def actions_since(mark: int, pk: int) -> set[str]:
    """The actions logged on article ``pk`` after the event ``mark``."""
    events = ArticleEvent.objects.filter(article_id=pk, pk__gt=mark)
    return set(events.values_list("action", flat=True))


def as_read() -> QuerySet[Article]:
    """Every article with what readers are shown of it and its audit trail."""
    return Article.objects.select_related(
        "section", "lead_image", "sponsorship__sponsor"
    ).prefetch_related(
        "bylines__author", "claims__attributions", "reviews", "corrections", "events"
    )


def describe(article: Article) -> str:
    return f"Article {article.pk} “{article.headline}” ({article.desk} desk, {article.status})"


def broken_promises(article: Article) -> list[str]:
    """Every promise a published ``article`` (read with ``as_read()``) breaks, in words
    that name it and say what readers are shown."""
    where = describe(article)
    broken = []
    sponsorship = article.sponsorship_or_none
    if sponsorship is None and article.desk == Desk.COMMERCIAL:
        broken.append(f"{where} is commercial-desk work published without a sponsorship.")
    if sponsorship is not None:
        if sponsorship.kind != KIND_OF_DESK[article.desk]:
            broken.append(f"{where} shows a {sponsorship.kind} sponsorship, forbidden there.")
        if not article.label:
            broken.append(f"{where} is sponsored but shows no label.")
    if article.has_ai_byline:
        review = article.latest_review
        if review is None:
            broken.append(f"{where} has an AI agent in its byline and no human review.")
        elif review.version != article.version:
            broken.append(
                f"{where} shows version {article.version}, but the latest human review "
                f"(by {review.reviewer_name}) is of version {review.version}."
            )
    for claim in article.claims.all():
        if not claim.attributions.all():
            broken.append(f"{where}: the claim “{claim.text}” has no source.")
        if claim.is_detached(article.body_text):
            broken.append(f"{where}: the claim “{claim.text}” is not in the body.")
    if not any(event.action == "publish" for event in article.events.all()):
        broken.append(f"{where} has no “publish” event in its audit trail.")
    return broken


def reader_view(article: Article) -> dict | None:
    """What readers are shown of ``article`` (read with ``as_read()``); None while they
    are shown nothing of it."""
    if article.status != Status.PUBLISHED:
        return None
    image = article.lead_image
    sponsorship = article.sponsorship_or_none
    review = article.latest_review if article.has_ai_byline else None
    return {
        "headline": article.headline,
        "standfirst": article.dek,
        "body": article.body,
        "section": article.section_id,
        "lead image": image and (image.pk, image.reader_label, image.alt_text, image.credit),
        "bylines": [
            (b.author_id, b.role, b.author.name, b.author.kind, b.author.disclosure)
            for b in article.byline_list
        ],
        "claims": sorted(
            (claim.text, sorted(a.document_id for a in claim.attributions.all()))
            for claim in article.claims.all()
        ),
        "sponsorship": sponsorship
        and (sponsorship.label, sponsorship.sponsor_line, sponsorship.disclosure),
        "corrections": [(c.kind, c.text) for c in article.corrections.all()],
        "reviewed by": review and (review.reviewer_name, review.version),
    }


def changed_for_readers(before: dict | None, after: dict | None) -> list[str]:
    if before is None or after is None:
        return [] if before == after else ["whether it is published"]
    return [name for name in after if before[name] != after[name]]


def save_article(pk: int, *, by, edit: Callable[[Article], None], reviewed: bool) -> None:
    """Save an article as ``ArticleAdmin`` does: the live problems noted before the POST
    (``changeform_view``), the change permission, the form and its inlines (``edit``: it
    validates as the forms do and saves), then ``save_related``. A refusal raised anywhere
    undoes the whole save, as the admin's transaction does."""
    before = Article.objects.for_detail().get(pk=pk)
    known = workflow.live_problems(before)
    with transaction.atomic():
        article = Article.objects.select_for_update(of=("self",)).get(pk=pk)
        if not (by.has_perm("articles.change_article") and roles.can_edit(by, article)):
            raise PermissionDenied
        # The form offers "I reviewed this version" only on a live AI-written piece.
        offered = article.is_published and article.has_ai_byline
        edit(article)
        article.reorder_claims()
        workflow.record_edit(
            article,
            by=by,
            review_note=REVIEWED if reviewed and offered else None,
            known_problems=known,
        )
        if article.status == Status.PUBLISHED:
            workflow.log_event(article, "edit", by=by, note="Edited live.")


def save_shared_record(record, *, by, note: str, **fields) -> None:
    """Change an author or an image as ``SharedRecordAdmin`` does: the change permission
    (refused while the record is on a live piece of a desk ``by`` does not edit), the form's
    validation (the model's, and a note to turn off an AI flag readers see), then
    ``shared_records.save_change`` in the admin's transaction."""
    opts = record._meta
    if not by.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        raise PermissionDenied
    if problem := shared_records.change_problem(by, record):
        raise PermissionDenied(problem)
    before = copy.copy(record)
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean(exclude=["file"])
    if problem := shared_records.note_problem(record, before=before, note=note):
        raise ValidationError(problem)
    with transaction.atomic():
        shared_records.save_change(record, by=by, note=note, save=record.save)


ARTICLE_EDITS = [
    "headline",
    "add_paragraph",
    "drop_claim_sentence",
    "byline_agent",
    "byline_human",
    "add_claim",
    "lead_image",
]


def article_edit(change: str, cast: Cast) -> Callable[[Article], None]:
    """One of ``ARTICLE_EDITS`` as an editor makes it on the article page: the form's
    fields, then the byline or claim inline, each validated as its form does."""

    def edit(article: Article) -> None:
        claims = list(article.claims.order_by("pk"))
        byline = None
        if change == "headline":
            article.headline += " (revised)"
        elif change == "add_paragraph":
            article.body += "<p>More details emerged on Tuesday.</p>"
        elif change == "drop_claim_sentence" and claims:
            article.body = article.body.replace(claims[0].text, "")
        elif change == "lead_image":
            article.lead_image = None if article.lead_image_id else cast.image
        elif change in {"byline_agent", "byline_human"}:
            who = cast.authors["agent" if change == "byline_agent" else "freelance"]
            author = Author.objects.get(pk=who.pk)  # as this example has left it
            if author.is_ai_agent:
                article.ai_involvement = AIInvolvement.GENERATED
            byline = Byline(article=article, author=author, role=Byline.Role.BY)
            # As BylineFormSet.clean() does.
            if problem := article.ai_involvement_problem([byline]):
                raise ValidationError(problem)
        article.save()
        if byline is not None:
            article.bylines.all().delete()
            byline.save()
        unclaimed = [text for text in SENTENCES if text not in {c.text for c in claims}]
        if change == "add_claim" and unclaimed:
            claim = Claim(article=article, text=unclaimed[0])
            claim.full_clean()  # as the claim inline's form does
            claim.save()

    return edit
