"""Drafts filed from outside the admin (the API, AI agents): one request, one draft,
with its claims and their sources. The same models' rules apply as in the admin:
the body is sanitised on save, claims must quote the body, an agent's byline makes
the piece AI-generated, and a sponsorship is never set here.

Problems in the request are reported together, each under the place in the request
it concerns (``claims[1].sources[0].document``); nothing is saved unless all is well.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from articles.models import (
    AIInvolvement,
    Article,
    ArticleEvent,
    Author,
    Byline,
    PartnerKey,
    Section,
    required_ai_involvement,
)
from articles.publishing import inline_citations, revisions, roles, translations, workflow
from articles.publishing.claim_sync import keep_claims
from articles.sanitize import clean_text
from sources.chains import attribution_chain_problems
from sources.models import Attribution, AttributionHop, Publisher, SourceDocument
from sources.text import normalise_text

CONTENT_FIELDS = ["headline", "dek", "body", "type_of_work", "language"]
AGENT_BYLINE = "An AI agent's key bylines the agent itself; other bylines are set by editors."


@dataclass
class Caller:
    """Who is filing: an AI agent (through its key) or a staff user (through their own
    key or a signed-in session). ``name`` is how the record names them."""

    agent: Author | None = None
    user: object | None = None
    key: PartnerKey | None = None
    name: str = field(init=False)

    def __post_init__(self):
        if self.agent is not None:
            self.name = revisions.agent_actor_name(self.agent, self.key)
        else:
            # Editors answer for what their keys do, so the record names them.
            self.name = self.user.get_full_name() or self.user.get_username()


def _log(article: Article, action: str, *, caller: Caller, note: str) -> None:
    """Put a change made through the API on the article's audit trail."""
    if caller.agent is None and caller.key is not None:
        note = f"{note} with the key “{caller.key.name}”"
    ArticleEvent.objects.create(
        article=article, action=action, actor=caller.user, actor_name=caller.name, note=note
    )


def editable_problem(article: Article, caller: Caller) -> str:
    """Why ``caller`` may not change ``article`` through the API; empty if they may."""
    if caller.agent is not None:
        if not any(b.author_id == caller.agent.pk for b in article.byline_list):
            return "An AI agent can only edit drafts it is bylined on."
        if article.status != Article.Status.DRAFT:
            return "An AI agent can only edit drafts; this article is past the draft stage."
        return ""
    if not roles.can_edit(caller.user, article):
        return "You may not edit this article."
    return ""


def _errors_at(path: str, exc: ValidationError) -> dict[str, list[str]]:
    """A model's validation errors, keyed by where the offending value sits in the request."""
    if not hasattr(exc, "error_dict"):
        return {path: exc.messages}
    return {
        path if name == NON_FIELD_ERRORS else f"{path}.{name}": messages
        for name, messages in exc.message_dict.items()
    }


def _claims(article: Article, claims: list[dict]) -> None:
    """Replace the article's claims with ``claims`` (each with its sources), in place."""
    body_text = normalise_text(article.body)
    errors: dict[str, list[str]] = {}
    first_seen: dict[str, int] = {}
    for i, claim in enumerate(claims):
        # As it will be stored: two texts that differ only by a character XML cannot
        # carry are one claim (stored twice, they would break the unique constraint).
        text = claim["text"] = clean_text(claim["text"]).strip()
        if normalise_text(text) not in body_text:
            errors[f"claims[{i}].text"] = [
                "This text does not appear in the body. Quote it exactly."
            ]
        elif text in first_seen:
            errors[f"claims[{i}].text"] = [
                f"This claim is already claims[{first_seen[text]}]; give all its sources there."
            ]
        first_seen.setdefault(text, i)
    if errors:
        raise ValidationError(errors)
    kept = keep_claims(article, [claim["text"] for claim in claims])
    for i, claim_data in enumerate(claims):
        claim = kept[claim_data["text"]]
        cited: dict[int, int] = {}  # document id -> its first place among the sources
        for k, source in enumerate(claim_data.get("sources", [])):
            path = f"claims[{i}].sources[{k}]"
            try:
                document = _document(source["document"], path=f"{path}.document")
                via = _publisher(source["via"], path=f"{path}.via") if source.get("via") else None
            except ValidationError as exc:
                errors.update(exc.message_dict)
                continue
            if document.pk in cited:
                errors[f"{path}.document"] = [
                    "This document is already a source of this claim "
                    f"(sources[{cited[document.pk]}])."
                ]
                continue
            cited[document.pk] = k
            attribution = Attribution(
                claim=claim,
                document=document,
                via=via,
                relation=source.get("relation", ""),
                via_url=source.get("via_url", ""),
                via_on=source.get("via_on"),
                passage=clean_text(source.get("passage", "")).strip(),
                position=k,
            )
            try:
                attribution.full_clean(exclude=["claim", "document"])
            except ValidationError as exc:
                errors.update(_errors_at(path, exc))
                continue
            attribution.save()
            _hops(attribution, source.get("hops", []), path=f"{path}.hops", errors=errors)
    if errors:
        raise ValidationError(errors)
    article.reorder_claims()


def _hops(attribution: Attribution, hops: list[dict], *, path: str, errors: dict) -> None:
    """The attribution's further intermediaries, in the order given, if they make a
    valid chain (``sources.chains``)."""
    rows = []
    for i, hop in enumerate(hops):
        try:
            publisher = _publisher(hop["publisher"], path=f"{path}[{i}].publisher")
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        rows.append(AttributionHop(attribution=attribution, position=i, publisher=publisher))
        rows[-1].relation, rows[-1].url, rows[-1].on = (
            hop["relation"],
            hop.get("url", ""),
            hop.get("on"),
        )
    if problems := attribution_chain_problems(attribution, rows):
        errors[path] = problems
    elif len(rows) == len(hops):
        AttributionHop.objects.bulk_create(rows)


def _inline_citations(article: Article, data: dict, *, cited=()) -> tuple[list, list]:
    """With ``"citations": "inline"``: the body's resolved citations (their words taken
    out of ``article.body``) and the unresolved ones, resolved among the request's
    ``documents``, its claims' sources and the documents ``cited`` already."""
    documents = [*cited]
    for i, value in enumerate(data.get("documents", [])):
        documents.append(_document(value, path=f"documents[{i}]"))
    for i, claim in enumerate(data.get("claims", [])):
        for k, source in enumerate(claim.get("sources", [])):
            documents.append(_document(source["document"], path=f"claims[{i}].sources[{k}]"))
    try:
        resolved, article.body, unresolved = inline_citations.parse_for_filing(
            article.body, documents
        )
    except workflow.WorkflowError as exc:
        raise ValidationError({"body": exc.problems}) from exc
    return resolved, unresolved


def _make_inline_claims(article: Article, resolved: list, unresolved: list) -> None:
    """The claims of the resolved citations; what was made is told in the answer."""
    try:
        claims = inline_citations.make_claims(article, resolved)
    except workflow.WorkflowError as exc:
        raise ValidationError({"citations": exc.problems}) from exc
    article.inline_citations = {
        "claims": [
            {
                "id": claim.pk,
                "text": claim.text,
                "citation": citation.text,
                "documents": [source.document.id for source in citation.sources],
            }
            for claim, citation in zip(claims, resolved, strict=True)
        ],
        "unresolved": unresolved,
    }


def _publisher(value: int | str, *, path: str) -> Publisher:
    """A publisher by id, or by name: an existing one whatever the case or punctuation
    (“yahoo finance”, “Yahoo-Finance”), else a new one."""
    if isinstance(value, int):
        return Publisher.objects.get(pk=value)
    # Cleaned before the lookup, so that a name differing only by a control character
    # finds the publisher rather than clashing with its name when saved.
    name = clean_text(value).strip()
    slug = (slugify(name) or slugify(name, allow_unicode=True))[:200]
    if not slug:
        raise ValidationError({path: ["Give the publisher's name in letters or digits."]})
    publisher = Publisher.objects.filter(Q(name__iexact=name) | Q(slug=slug)).order_by("pk").first()
    return publisher or Publisher.objects.create(name=name, slug=slug)


def _document(value: int | dict, *, path: str) -> SourceDocument:
    """An existing document by id, or a new one described inline (reused if it exists)."""
    if isinstance(value, int):
        return SourceDocument.objects.get(pk=value)
    publisher = _publisher(value["publisher"], path=f"{path}.publisher")
    title = value["title"].strip()
    existing = SourceDocument.objects.filter(title=title, publisher=publisher).order_by("pk")
    if document := existing.first():
        return document
    document = SourceDocument(
        title=title,
        publisher=publisher,
        kind=value["kind"],
        url=value.get("url", ""),
        published_on=value.get("published_on"),
        accessed_on=value.get("accessed_on"),
    )
    try:
        document.full_clean()
    except ValidationError as exc:
        raise ValidationError(_errors_at(path, exc)) from exc
    document.save()
    return document


def _apply(article: Article, data: dict) -> None:
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(article, name, data[name])
    if "section" in data:
        article.section = Section.objects.get(slug=data["section"]) if data["section"] else None
    if "lead_image" in data:
        article.lead_image = data["lead_image"]


def _check_translation(article: Article, data: dict, caller: Caller) -> None:
    """The translation rules (``articles.publishing.translations``), when the request
    names an original or changes the language; an original the caller may not read is
    answered as one that does not exist."""
    if "translation_of" in data:
        pk = data["translation_of"]
        readable = (
            Article.objects.readable_by(caller.user)
            if caller.user is not None
            else Article.objects.filter(Q(status="published") | Q(bylines__author=caller.agent))
        )
        article.translation_of = readable.filter(pk=pk).distinct().first() if pk else None
        if pk and article.translation_of is None:
            raise ValidationError({"translation_of": [f"No article has id {pk}."]})
    elif "language" not in data:
        return
    translations.check(article, original=article.translation_of, language=article.language)


def _new_bylines(bylines: list[dict], caller: Caller) -> list[Byline]:
    """The requested bylines as unsaved rows, refused whole if any is wrong."""
    if caller.agent is not None:
        raise ValidationError({"bylines": [AGENT_BYLINE]})
    errors: dict[str, list[str]] = {}
    rows: list[Byline] = []
    authors = Author.objects.in_bulk([b["author"] for b in bylines], field_name="slug")
    for i, byline in enumerate(bylines):
        author = authors.get(byline["author"])
        role = byline.get("role", Byline.Role.BY)
        if author is None:
            errors[f"bylines[{i}].author"] = [f"No author has the slug “{byline['author']}”."]
        elif any(r.author == author and r.role == role for r in rows):
            errors[f"bylines[{i}]"] = [f"{author.name} is already in the byline in this role."]
        else:
            rows.append(Byline(author=author, role=role, position=i))
    if errors:
        raise ValidationError(errors)
    return rows


def _declare_ai_involvement(article: Article, bylines: list[Byline], caller: Caller) -> None:
    """At least what the bylines show; anything an AI agent writes is AI-generated."""
    required = (
        AIInvolvement.GENERATED if caller.agent is not None else required_ai_involvement(bylines)
    )
    if required.rank > article.ai_involvement_level.rank:
        article.ai_involvement = required


def _save_bylines(article: Article, bylines: list[Byline]) -> None:
    article.bylines.all().delete()
    for byline in bylines:
        byline.article = article
    Byline.objects.bulk_create(bylines)
    article.__dict__.pop("byline_list", None)


def _may_file(caller: Caller) -> None:
    if caller.agent is None and not caller.user.has_perm("articles.add_article"):
        raise workflow.WorkflowError("Your account may not create articles.")


def create_draft(data: dict, *, caller: Caller) -> Article:
    """A new draft from one request; an agent is made its author automatically."""
    _may_file(caller)
    with transaction.atomic():
        article = Article(
            created_by=caller.user,
            desk=roles.desk_for_new_article(caller.user) if caller.user else Article.Desk.NEWSROOM,
        )
        _apply(article, data)
        _check_translation(article, data, caller)
        if caller.agent is not None and "bylines" not in data:
            bylines = [Byline(author=caller.agent, role=Byline.Role.BY)]
        else:
            bylines = _new_bylines(data.get("bylines", []), caller)  # refuses an agent's
        _declare_ai_involvement(article, bylines, caller)
        inline = _inline_citations(article, data) if data.get("citations") else None
        article.full_clean(exclude=["slug", "body"])
        article.save()
        if "tags" in data:
            article.tags.set(data["tags"])
        _save_bylines(article, bylines)
        _claims(article, data.get("claims", []))
        if inline is not None:
            _make_inline_claims(article, *inline)
        revisions.record(
            article,
            by=caller.user,
            by_name=caller.name,
            note=f"Filed through the API by {caller.name}",
        )
        _log(article, "create", caller=caller, note="Filed through the API")
    return article


def update_draft(article: Article, data: dict, *, caller: Caller) -> Article:
    """Change an article the caller may edit (an agent: its own drafts; an editor's key:
    what the editor may edit, published pieces under their publish gates); a full
    revision is kept."""
    with transaction.atomic():
        article = Article.objects.select_for_update(of=("self",)).get(pk=article.pk)
        if problem := editable_problem(article, caller):
            raise workflow.WorkflowError(problem)
        known = workflow.live_problems(workflow.lock(article))
        _apply(article, data)
        _check_translation(article, data, caller)
        bylines = _new_bylines(data["bylines"], caller) if "bylines" in data else None
        _declare_ai_involvement(
            article, article.byline_list if bylines is None else bylines, caller
        )
        inline = None
        if data.get("citations"):
            cited = SourceDocument.objects.filter(attributions__claim__article=article)
            cited = cited.select_related("publisher").distinct()
            inline = _inline_citations(article, data, cited=cited if "claims" not in data else ())
        article.full_clean(exclude=["slug", "body"])
        article.save()
        if "tags" in data:
            article.tags.set(data["tags"])
        if bylines is not None:
            _save_bylines(article, bylines)
        if "claims" in data:
            _claims(article, data["claims"])
        if inline is not None:
            _make_inline_claims(article, *inline)
        else:
            stale = [c.text for c in article.claims.all() if c.is_detached(article.body_text)]
            if stale:
                raise ValidationError(
                    {
                        "body": f"The new body no longer contains the claim “{stale[0]}”; "
                        "send the claims too."
                    }
                )
        workflow.record_edit(article, by=caller.user, actor_name=caller.name, known_problems=known)
        _log(article, "edit", caller=caller, note="Edited through the API")
    return article
