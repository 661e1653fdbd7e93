"""Records printed on many articles — authors, sponsors, images, publishers and source
documents — changed as edits of every published piece that shows them.

A byline prints its author's kind and an AI agent's operator and disclosure; a label
prints its sponsor's name; a lead image prints its credit, alt text and “AI-generated
image”; a citation prints its document's publisher and title. So while a record is
shown on a published piece:

- only an editor of that piece's desk may change it (``publish_article`` together with
  the desk's own permission); when it is shown on both desks' pieces, an editor of
  either desk may, as the two desks share the record;
- turning off an AI flag (an image's AI-generated source; an author's AI-agent kind,
  or an agent's disclosure or operator) needs a note saying why;
- the change may not make a live piece fail a publish gate it passed (a lead image
  left without alt text, an AI agent in a byline without a review);
- every piece showing it gets an audit event naming the record, the fields and the
  note, a fresh "updated" time, its public pages refreshed and ``article.updated``
  sent to partners.

Records used only by unpublished pieces change freely. Every change, anywhere, is kept
in the record's own history (django-simple-history).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import models, transaction
from django.db.models import Count, Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import Truncator

from articles.models import Article, ArticleEvent, Author, Byline, Image, Sponsor
from articles.publishing import workflow
from articles.publishing.gates import publish_problems
from articles.publishing.transitions import GateError, WorkflowError
from articles.sanitize import clean_text
from sources.models import Claim, Publisher, SourceDocument

SharedRecord = Author | Sponsor | Image | Publisher | SourceDocument

ACTION = "shared_record_changed"

Desk = Article.Desk

# The desk firewall in permissions, as ``querysets.on_desks_of`` reads it.
DESK_PERMISSIONS = {
    Desk.NEWSROOM: "articles.edit_newsroom_article",
    Desk.COMMERCIAL: "articles.manage_sponsored_content",
}
DESK_EDITORS = {
    Desk.NEWSROOM: "an editor of the newsroom",
    Desk.COMMERCIAL: "an editor of the commercial desk",
}

# Values longer than this are named in the audit trail, not quoted.
QUOTED_LENGTH = 80


def live_articles(record: SharedRecord) -> models.QuerySet[Article]:
    """The published articles that show ``record`` to readers."""
    match record:
        case Author():
            shown = Q(pk__in=Byline.objects.filter(author=record).values("article"))
        case Sponsor():
            shown = Q(sponsorship__sponsor=record)
        case Image():
            # As the lead image, or inside the body (its marker: articles.media.embeds).
            shown = Q(lead_image=record) | Q(body__contains=body_marker(record))
        case Publisher():
            cited = (
                Q(attributions__document__publisher=record)
                | Q(attributions__via=record)
                | Q(attributions__hops__publisher=record)  # further along a chain
            )
            shown = Q(pk__in=Claim.objects.filter(cited).values("article"))
        case SourceDocument():
            cited = Claim.objects.filter(attributions__document=record)
            shown = Q(pk__in=cited.values("article"))
        case _:
            raise TypeError(f"{type(record).__name__} is not a shared record.")
    return Article.objects.filter(shown, status=Article.Status.PUBLISHED)


def body_marker(image: Image) -> str:
    """How a body shows ``image`` (``articles.media.embeds``)."""
    return f'<figure data-image="{image.pk}">'


def articles_with_in_body(image: Image) -> models.QuerySet[Article]:
    """Every article, in any state, whose body shows ``image``."""
    return Article.objects.filter(body__contains=body_marker(image))


def refuse_deleting_body_images(sender, instance: Image, **kwargs) -> None:
    """``pre_delete`` of an image: refused while a body shows it, as a lead image is
    (``PROTECT``), whichever door deletes it (the admin asks first; see ImageAdmin)."""
    if using := list(articles_with_in_body(instance)[:5]):
        names = ", ".join(f"“{a.headline}”" for a in using)
        raise models.ProtectedError(
            f"The picture is in the body of {names}: take it out of them first.", set(using)
        )


def live_desks(record: SharedRecord) -> dict[str, int]:
    """How many published articles of each desk show ``record`` (none for a new one)."""
    if record.pk is None:
        return {}
    rows = live_articles(record).order_by().values("desk").annotate(n=Count("pk"))
    return {row["desk"]: row["n"] for row in rows}


def change_problem(user, record: SharedRecord, *, desks: dict[str, int] | None = None) -> str:
    """Why ``user`` may not change ``record`` now; empty if they may. ``desks`` is
    ``live_desks(record)``, when the caller has it already."""
    desks = live_desks(record) if desks is None else desks
    if not desks:
        return ""
    if user.has_perm("articles.publish_article") and any(
        user.has_perm(DESK_PERMISSIONS[desk]) for desk in desks
    ):
        return ""
    n = sum(desks.values())
    who = " or ".join(DESK_EDITORS[desk] for desk in sorted(desks))
    return (
        f"“{record}” is shown on {n} published article{'s' if n != 1 else ''}, so only {who} "
        "may change it now."
    )


def ai_flags_turned_off(record: SharedRecord, *, before: SharedRecord) -> list[str]:
    """What readers were told about AI that this change would stop telling them."""
    match record:
        case Image() if before.is_ai_generated and not record.is_ai_generated:
            return ["the image's AI-generated source"]
        case Author() if before.is_ai_agent:
            if not record.is_ai_agent:
                return ["the author's AI-agent kind"]
            return [
                f"the agent's {Author._meta.get_field(name).verbose_name}"
                for name in ("disclosure", "operator")
                if getattr(before, name).strip() and not getattr(record, name).strip()
            ]
    return []


def note_problem(
    record: SharedRecord,
    *,
    before: SharedRecord,
    note: str,
    desks: dict[str, int] | None = None,
) -> str:
    """Turning off an AI flag of a record shown on published pieces needs a note; empty
    when none is needed or one is given. ``desks`` as for ``change_problem``."""
    if note.strip() or not (turned_off := ai_flags_turned_off(record, before=before)):
        return ""
    if not (live_desks(before) if desks is None else desks):
        return ""
    return (
        f"Say why you are turning off {' and '.join(turned_off)}: it is shown on published "
        "articles, and your note goes into each one's audit trail."
    )


def changed_fields(record: SharedRecord, *, before: SharedRecord) -> list[str]:
    """The editable fields whose stored values differ between ``before`` and ``record``."""
    return [
        field.name
        for field in record._meta.concrete_fields
        if field.editable
        and not field.primary_key
        and _value(before, field) != _value(record, field)
    ]


def save_change(
    record: SharedRecord, *, by, save: Callable[[], object], note: str = ""
) -> list[Article]:
    """Save a change to a stored shared record (``save`` writes it) under the rules above;
    returns the published articles told of it. Raises ``WorkflowError`` (nothing saved)
    when ``by`` may not change it now, a note is missing, or a live piece would fail a
    publish gate."""
    note = note.strip()
    with transaction.atomic():
        before = type(record)._default_manager.select_for_update().get(pk=record.pk)
        if desks := live_desks(before):
            problems = [
                change_problem(by, record, desks=desks),
                note_problem(record, before=before, note=note, desks=desks),
            ]
            if problems := [problem for problem in problems if problem]:
                raise WorkflowError(problems)
        live = list(live_articles(before).for_detail()) if desks else []
        known = {article.pk: publish_problems(article) for article in live}
        # Kept on the record's history row: who changed it, and why.
        record._history_user, record._change_reason = by, note
        save()
        changed = changed_fields(record, before=before)
        if not live or not changed:
            return []
        problems = [
            f"“{article.headline}”: {problem}"
            for article in Article.objects.for_detail().filter(pk__in=known)
            for problem in publish_problems(article)
            if problem not in known[article.pk]
        ]
        if problems:
            _discard_new_files(record, before=before)
            raise GateError(problems)
        return shared_record_changed(
            record, by=by, changed_fields=changed, note=note, before=before
        )


def shared_record_changed(
    record: SharedRecord,
    *,
    by,
    changed_fields: Iterable[str],
    note: str = "",
    before: SharedRecord | None = None,
) -> list[Article]:
    """After ``record`` was saved: an audit event on every published article showing it
    (naming the record, the fields — with old and new values when ``before`` is given —
    and the note), a fresh "updated" time, and ``updated`` sent for each (public pages
    refreshed, ``article.updated`` to partners). Three queries however many articles."""
    articles = list(live_articles(record).only("pk", "slug", "headline", "status", "desk"))
    if not articles:
        return []
    # Cleaned here: bulk_create() skips the pre_save receiver that cleans text elsewhere.
    text = clean_text(_describe(record, list(changed_fields), before=before, note=note))
    now = timezone.now()
    actor_name = clean_text((by.get_full_name() or by.get_username()) if by else "")
    ArticleEvent.objects.bulk_create(
        ArticleEvent(
            article=article,
            action=ACTION,
            actor=by,
            actor_name=actor_name,
            note=text,
            created_at=now,
        )
        for article in articles
    )
    # Not a new version: the article's own text is unchanged, and a human review of it
    # still covers it. Partners' ETags and "updated" times move all the same.
    Article.objects.filter(pk__in=[article.pk for article in articles]).update(updated_at=now)
    workflow.notify_many(articles, "updated")
    return articles


def _describe(
    record: SharedRecord, names: list[str], *, before: SharedRecord | None, note: str
) -> str:
    opts = record._meta
    changes = []
    for name in names:
        field = opts.get_field(name)
        change = str(field.verbose_name)
        if before is not None and not isinstance(field, models.TextField | models.FileField):
            change += f" {_shown(before, field)} → {_shown(record, field)}"
        changes.append(change)
    text = f"{str(opts.verbose_name).capitalize()} “{record}” changed: {', '.join(changes)}."
    return f"{text} Why: {note}" if note else text


def _discard_new_files(record: SharedRecord, *, before: SharedRecord) -> None:
    # The refused save is rolled back, but a newly uploaded file is already in storage.
    for field in record._meta.concrete_fields:
        name = _value(record, field)
        if isinstance(field, models.FileField) and name and name != _value(before, field):
            field.storage.delete(name)


def _value(obj: models.Model, field: models.Field):
    value = field.value_from_object(obj)
    return value.name if isinstance(value, FieldFile) else value


def _shown(obj: models.Model, field: models.Field) -> str:
    if field.choices:
        value = getattr(obj, f"get_{field.name}_display")()
    else:
        value = getattr(obj, field.name)
    if value in (None, ""):
        return "(none)"
    return f"“{Truncator(str(value)).chars(QUOTED_LENGTH)}”"
