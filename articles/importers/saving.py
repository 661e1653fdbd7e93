"""Storing imported pieces as drafts, through the same rules as every other door.

A piece becomes an article the way the API files one (``articles.publishing.drafting``):
the body through the sanitiser on save, plain text cleaned, the desk of the person
importing, bylines that set the AI involvement, claims that must quote the body, a full
revision and an audit event. Nothing is ever published here.

Idempotent through ``ImportRecord`` (source, external id): an item met again with the
same fingerprint is left alone ("unchanged"); a changed one updates its article only
while that is still a draft nobody has touched in Newsroom since the last import (the
article not saved, no autosaved typing waiting) — otherwise it is skipped with the
reason, never overwritten.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils.text import slugify

from articles import images
from articles.importers.common import (
    Entry,
    ItemError,
    Person,
    Picture,
    Piece,
    Source,
    Summary,
    describe,
)
from articles.media import renditions
from articles.media.forms import ImageForm
from articles.models import (
    AIInvolvement,
    Article,
    Author,
    Byline,
    Image,
    ImportRecord,
    Revision,
    Section,
    required_ai_involvement,
    unique_slug,
)
from articles.publishing import drafting, revisions, roles, workflow
from articles.publishing.transitions import WorkflowError, state_phrase
from sources.models import Publisher, SourceDocument


@dataclass
class Result:
    outcome: str  # created, updated, unchanged, skipped
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    new_records: Counter = field(default_factory=Counter)


def run(entries: list[Entry], summary: Summary, *, user, dry_run: bool, progress) -> Summary:
    """Store every entry's piece, each in its own transaction, and count what happened."""
    summary.dry_run = dry_run
    progress.show(0)
    for done, entry in enumerate(entries, 1):
        if entry.error:
            _fail(summary, entry.label, entry.error)
        elif entry.skipped:
            summary.counts["skipped"] += 1
            summary.skipped.append((entry.label, entry.skipped))
        else:
            try:
                result = store(entry.piece, user=user, dry_run=dry_run)
            except (ItemError, WorkflowError) as exc:
                _fail(summary, entry.label, " ".join(getattr(exc, "problems", None) or [str(exc)]))
            except ValidationError as exc:
                _fail(summary, entry.label, describe(exc))
            except DatabaseError as exc:
                _fail(summary, entry.label, f"the database refused it ({exc})")
            else:
                summary.counts[result.outcome] += 1
                summary.new_records.update(result.new_records)
                if result.outcome == "skipped":
                    summary.skipped.append((entry.label, result.reason))
                if result.outcome in ("created", "updated"):
                    notes = entry.notes + result.notes
                    summary.notes += [(entry.label, note) for note in notes]
        progress.show(done)
    progress.close()
    return summary


def _fail(summary: Summary, label: str, reason: str) -> None:
    summary.counts["failed"] += 1
    summary.failed.append((label, reason))


def store(piece: Piece, *, user, dry_run: bool = False) -> Result:
    """Create or update the draft for ``piece``; all or nothing (a dry run: nothing)."""
    stored_files: list[str] = []
    try:
        with transaction.atomic():
            result = _store(piece, user=user, dry_run=dry_run, stored_files=stored_files)
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        # The rows are gone with the transaction; the image files it stored go too.
        for name in stored_files:
            Image._meta.get_field("file").storage.delete(name)
        raise
    return result


def _store(piece: Piece, *, user, dry_run: bool, stored_files: list[str]) -> Result:
    fingerprint = piece.fingerprint()
    record = (
        ImportRecord.objects.select_for_update()
        .filter(source=piece.source, external_id=piece.external_id)
        .first()
    )
    if record is not None and record.fingerprint == fingerprint:
        return Result("unchanged")
    result = Result("updated" if record else "created")
    if record is not None:
        article = workflow.lock(record.article)
        if reason := edited_since_import(article, record):
            return Result("skipped", reason)
        if not roles.can_edit(user, article):
            raise ItemError("Your account may not edit the article imported from this item.")
    else:
        if not user.has_perm("articles.add_article"):
            raise ItemError("Your account may not create articles.")
        article = Article(created_by=user, desk=roles.desk_for_new_article(user))
        if piece.slug:
            article.slug = unique_slug(article, piece.slug)

    article.headline = piece.headline
    article.dek = piece.dek
    article.body = piece.body
    if piece.language:
        article.language = piece.language
    article.section = _section(piece.section, result) if piece.section else None
    bylines = [
        Byline(author=_author(person, result), role=Byline.Role.BY, position=i)
        for i, person in enumerate(piece.authors)
    ]
    # At least what the bylines show, as in every other door (an agent's byline: generated).
    involvement = max(
        AIInvolvement(piece.ai_involvement),
        required_ai_involvement(bylines),
        key=lambda level: level.rank,
    )
    article.ai_involvement = involvement
    if piece.picture is not None:
        article.lead_image = _image(piece.picture, result, dry_run=dry_run, stored=stored_files)
    article.full_clean(exclude=["slug", "body", "lead_image"])
    article.save()
    article.tags.set(piece.tags)
    # The API's own steps for bylines and claims (a claim must quote the body, its
    # sources are checked), so that this door keeps exactly the same rules.
    drafting._save_bylines(article, bylines)
    if piece.document is not None:
        document = _document(piece.document, result)
        claims = [{"text": piece.document.claim, "sources": [{"document": document.pk}]}]
        try:
            drafting._claims(article, claims)
        except ValidationError as exc:
            raise ItemError(f"the source could not be attached: {describe(exc)}") from exc

    verb = "Imported" if result.outcome == "created" else "Updated by a new import"
    note = f"{verb}: {piece.note}"[: Revision._meta.get_field("note").max_length]
    revisions.record(article, by=user, note=note)
    workflow.log_event(
        article, "imported" if result.outcome == "created" else "import_updated", by=user, note=note
    )
    if record is None:
        record = ImportRecord(source=piece.source, external_id=piece.external_id, article=article)
    record.fingerprint = fingerprint
    record.save()
    return result


def edited_since_import(article: Article, record: ImportRecord) -> str:
    """Why a new import must not overwrite ``article``; empty when it may."""
    if article.status != Article.Status.DRAFT:
        return f"not updated: the article is {state_phrase(article)} in Newsroom"
    # Every save in Newsroom (admin, API, bulk actions, sources) moves updated_at on;
    # the import itself writes its record last, after the article.
    if article.updated_at > record.last_imported_at:
        return "not updated: edited in Newsroom since the last import"
    typing = article.revisions.filter(
        kind=Revision.Kind.AUTOSAVE, created_at__gt=record.last_imported_at
    )
    if typing.exists():
        return "not updated: an editor has unsaved changes to it in Newsroom"
    return ""


# -- the records a piece refers to: found, or made -------------------------------------


def _section(section: tuple[str, str], result: Result) -> Section:
    slug, name = section
    found = Section.objects.filter(Q(slug=slug) | Q(name__iexact=name)).order_by("pk").first()
    if found is not None:
        return found
    new = Section(slug=slug, name=name)
    new.full_clean()
    new.save()
    result.new_records["section"] += 1
    return new


def _author(person: Person, result: Result) -> Author:
    """A human author by name, else by slug; created if neither (never an AI agent's row)."""
    humans = Author.objects.filter(kind=Author.Kind.HUMAN)
    found = humans.filter(name__iexact=person.name).order_by("pk").first()
    if found is None and person.slug:
        found = humans.filter(slug=person.slug).first()
    if found is not None:
        return found
    author = Author(kind=Author.Kind.HUMAN, name=person.name, job_title=person.job_title)
    author.slug = unique_slug(author, person.slug or person.name, max_length=150)
    author.full_clean()
    author.save()
    result.new_records["author"] += 1
    return author


def _publisher(name: str, result: Result) -> Publisher:
    slug = slugify(name)[:200]
    found = Publisher.objects.filter(Q(name__iexact=name) | Q(slug=slug)).order_by("pk").first()
    if found is not None:
        return found
    publisher = Publisher(name=name, slug=slug, kind=Publisher.Kind.WIRE)
    publisher.full_clean()
    publisher.save()
    result.new_records["publisher"] += 1
    return publisher


def _document(source: Source, result: Result) -> SourceDocument:
    """The agency's item as a wire report: found by its link (or title), else made."""
    publisher = _publisher(source.publisher, result)
    documents = SourceDocument.objects.filter(publisher=publisher).order_by("pk")
    match = Q(url=source.url) if source.url else Q(title=source.title, url="")
    document = documents.filter(match).first() or SourceDocument(
        publisher=publisher, kind=SourceDocument.Kind.WIRE_REPORT
    )
    if document.pk is None:
        result.new_records["source document"] += 1
    document.title = source.title
    document.url = source.url
    document.published_on = source.published_on or None
    document.full_clean()
    document.save()
    return document


def _image(picture: Picture, result: Result, *, dry_run: bool, stored: list[str]) -> Image | None:
    """The picture through the library's own checks (``images.clean_upload``: Pillow with
    the format allow-list, size and pixel limits, metadata stripped); the library's copy
    when it already holds the same picture. A dry run checks and stores nothing."""
    path = Path(picture.path)
    with path.open("rb") as stream:
        try:
            upload = images.clean_upload(File(stream, name=path.name))
        except ValidationError as exc:
            raise ItemError(f"the featured image {path.name} is refused: {describe(exc)}") from exc
    if dry_run:
        return None
    existing = ImageForm().duplicate_of(upload.sha256)
    if existing is not None:
        return existing
    image = Image(
        file=upload.file,
        alt_text=picture.alt_text[:300],
        caption=picture.caption,
        # Where the pictures came from is not in an export: the operator says it; the
        # file's own metadata may say generative AI made it, and then readers are told so.
        source_kind=Image.SourceKind.AI_GENERATED if upload.declares_ai else picture.source_kind,
    )
    image.full_clean(exclude=["file"])
    image.save()
    stored.append(image.file.name)
    renditions.queue(image)
    result.new_records["image"] += 1
    missing = "" if image.alt_text else " and write its alt text (needed to publish)"
    result.notes.append(
        f"featured image {path.name} added to the library (source: "
        f"{image.get_source_kind_display()}): check its credit{missing}"
    )
    return image
