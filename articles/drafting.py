"""Drafts filed from outside the admin (the API, AI agents): one request, one draft,
with its claims and their sources. The same models' rules apply as in the admin:
the body is sanitised on save, claims must quote the body, an agent's byline makes
the piece AI-generated, and a sponsorship is never set here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from articles import revisions, roles, workflow
from articles.models import AIInvolvement, Article, Author, Byline, Section
from sources.models import Attribution, Claim, Publisher, SourceDocument
from sources.text import normalise_text

CONTENT_FIELDS = ["headline", "dek", "body", "type_of_work", "language"]


@dataclass
class Caller:
    """Who is filing: an AI agent (through its key) or a staff user."""

    agent: Author | None = None
    user: object | None = None
    name: str = field(init=False)

    def __post_init__(self):
        if self.agent is not None:
            self.name = f"{self.agent.name} (AI agent, via the API)"
        else:
            self.name = self.user.get_full_name() or self.user.get_username()


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


def _claims(article: Article, claims: list[dict]) -> None:
    """Replace the article's claims with ``claims`` (each with its sources)."""
    body_text = normalise_text(article.body)
    errors = {}
    for i, claim in enumerate(claims):
        if normalise_text(claim["text"]) not in body_text:
            errors[f"claims[{i}].text"] = "This text does not appear in the body. Quote it exactly."
    if errors:
        raise ValidationError(errors)
    article.claims.all().delete()
    for claim_data in claims:
        claim = Claim.objects.create(article=article, text=claim_data["text"].strip())
        for position, source in enumerate(claim_data.get("sources", [])):
            Attribution.objects.create(
                claim=claim,
                document=_document(source["document"]),
                via=_publisher(source["via"]) if source.get("via") else None,
                relation=source.get("relation", ""),
                via_url=source.get("via_url", ""),
                position=position,
            )
    article.reorder_claims()


def _publisher(value) -> Publisher:
    if isinstance(value, int):
        return Publisher.objects.get(pk=value)
    publisher, _ = Publisher.objects.get_or_create(name=value.strip())
    return publisher


def _document(value) -> SourceDocument:
    """An existing document by id, or a new one described inline (reused if it exists)."""
    if isinstance(value, int):
        return SourceDocument.objects.get(pk=value)
    publisher = _publisher(value["publisher"])
    document, _ = SourceDocument.objects.get_or_create(
        title=value["title"].strip(),
        publisher=publisher,
        defaults={
            "kind": value["kind"],
            "url": value.get("url", ""),
            "published_on": value.get("published_on"),
            "accessed_on": value.get("accessed_on"),
        },
    )
    return document


def _apply(article: Article, data: dict) -> None:
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(article, name, data[name])
    if "section" in data:
        article.section = Section.objects.get(slug=data["section"]) if data["section"] else None


def create_draft(data: dict, *, caller: Caller) -> Article:
    """A new draft from one request; an agent is made its author automatically."""
    with transaction.atomic():
        article = Article(
            created_by=caller.user,
            desk=roles.desk_for_new_article(caller.user) if caller.user else Article.Desk.NEWSROOM,
        )
        _apply(article, data)
        if caller.agent is not None:
            article.ai_involvement = AIInvolvement.GENERATED
        article.full_clean(exclude=["slug", "body"])
        article.save()
        if "tags" in data:
            article.tags.set(data["tags"])
        if caller.agent is not None:
            Byline.objects.create(article=article, author=caller.agent, role=Byline.Role.BY)
        else:
            _bylines(article, data.get("bylines", []))
        _claims(article, data.get("claims", []))
        revisions.record(article, by=caller.user, note=f"Filed through the API by {caller.name}")
    return article


def _bylines(article: Article, bylines: list[dict]) -> None:
    article.bylines.all().delete()
    for position, byline in enumerate(bylines):
        Byline.objects.create(
            article=article,
            author=Author.objects.get(slug=byline["author"]),
            role=byline.get("role", Byline.Role.BY),
            position=position,
        )
    article.__dict__.pop("byline_list", None)
    if problem := article.ai_involvement_problem():
        raise ValidationError({"bylines": problem})


def update_draft(article: Article, data: dict, *, caller: Caller) -> Article:
    """Change a draft the caller may edit; a full revision is kept."""
    with transaction.atomic():
        article = Article.objects.select_for_update(of=("self",)).get(pk=article.pk)
        if problem := editable_problem(article, caller):
            raise workflow.WorkflowError(problem)
        _apply(article, data)
        article.full_clean(exclude=["slug", "body"])
        article.save()
        if "tags" in data:
            article.tags.set(data["tags"])
        if "bylines" in data and caller.agent is None:
            _bylines(article, data["bylines"])
        if "claims" in data:
            _claims(article, data["claims"])
        else:
            stale = [c.text for c in article.claims.all() if c.is_detached(article.body_text)]
            if stale:
                raise ValidationError(
                    {
                        "body": f"The new body no longer contains the claim “{stale[0]}”; "
                        "send the claims too."
                    }
                )
        workflow.record_edit(article, by=caller.user)
    return article
