"""Shareable preview links: an unpublished article shown exactly as readers will see it,
to someone without an account, until the link expires or is revoked.

A link is a random token of which only the SHA-256 is stored (as with API keys): the
raw link is shown once, to the person who made it. Links signed by earlier versions
(the article's id in a signed token) open nothing any more.

A link never shows an article that readers have lost since it was made: once the piece
is unpublished or retracted, every older link is dead for good, even after the piece is
reopened as a draft; a new link can be made then.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PreviewLink
from articles.publishing import roles, workflow
from articles.publishing.transitions import WorkflowError

State = PreviewLink.State
NOTE_MAX_LENGTH = PreviewLink._meta.get_field("note").max_length
# token_urlsafe(32) is 43 characters: a much longer token cannot be one of ours.
_TOKEN_MAX_LENGTH = 100
# The audit events after which readers no longer had the article.
_WITHDRAWALS = ("unpublish", "correction:retraction")


class LinkNotValid(Exception):
    """The token opens nothing: unknown, tampered with, expired or revoked (404)."""


class ArticleWithdrawn(Exception):
    """Readers lost the article after the link was made; ``article`` is the one it showed."""

    def __init__(self, article: Article):
        self.article = article
        super().__init__("This preview link stopped working when the article was withdrawn.")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _when(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def path(token: str) -> str:
    """The site-relative address a token opens."""
    return reverse("articles:preview", args=[token])


def withdrawn_at(article: Article) -> dt.datetime | None:
    """When readers last lost ``article`` (now, while it is unpublished); None if never."""
    if article.status == Article.Status.UNPUBLISHED:
        return timezone.now()
    last = article.events.filter(action__in=_WITHDRAWALS).aggregate(at=Max("created_at"))
    return last["at"]


def mint_problem(user, article: Article) -> str:
    """Why ``user`` may not share a preview of ``article`` now; empty if they may."""
    if not roles.can_work_on(user, article):
        return "Only those who work on this article can share or revoke a preview of it."
    if article.status == Article.Status.PUBLISHED:
        return "The article is published: share its public address instead."
    if article.status == Article.Status.UNPUBLISHED:
        return "The article is withdrawn: reopen it as a draft before sharing a preview."
    return ""


def create_link(article: Article, *, by, note: str = "") -> tuple[PreviewLink, str]:
    """Make a preview link to ``article`` (audited); returns the link and its raw token,
    which is never stored and so can be shown only now."""
    note = " ".join(note.split())
    if len(note) > NOTE_MAX_LENGTH:
        raise WorkflowError(f"Say who the link is for in at most {NOTE_MAX_LENGTH} characters.")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        locked = workflow.lock(article)
        if problem := mint_problem(by, locked):
            raise WorkflowError(problem)
        now = timezone.now()
        link = PreviewLink.objects.create(
            article=locked,
            token_hash=_hash(token),
            note=note,
            created_by=by,
            created_by_name=workflow.name_of(by),
            created_at=now,
            expires_at=now + dt.timedelta(seconds=settings.PREVIEW_LINK_MAX_AGE),
        )
        workflow.log_event(
            locked,
            "preview_link_created",
            by=by,
            note=f"Shared a preview link{f' ({note})' if note else ''}, "
            f"valid until {_when(link.expires_at)}.",
        )
    return link, token


def revoke(link: PreviewLink, *, by) -> PreviewLink:
    """Stop a preview link from working at once (audited); revoking twice changes nothing."""
    with transaction.atomic():
        locked = PreviewLink.objects.select_for_update().get(pk=link.pk)
        article = Article.objects.for_detail().get(pk=locked.article_id)
        if not roles.can_work_on(by, article):
            raise WorkflowError(
                "Only those who work on this article can share or revoke a preview of it."
            )
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.revoked_by_name = workflow.name_of(by)
        locked.save(update_fields=["revoked_at", "revoked_by", "revoked_by_name"])
        workflow.log_event(
            article,
            "preview_link_revoked",
            by=by,
            note=f"Revoked the preview link{f' ({locked.note})' if locked.note else ''} "
            f"made by {locked.created_by_name or 'someone'} on {_when(locked.created_at)}.",
        )
    return locked


def links_for(article: Article) -> list[PreviewLink]:
    """The article's preview links, newest first, each with its ``current_state``."""
    gone = withdrawn_at(article)
    links = list(article.preview_links.all())
    for link in links:
        link.current_state = link.state(withdrawn_at=gone)
    return links


def article_for_token(token: str) -> Article:
    """The article a shared link shows now, counting the visit; raises ``LinkNotValid``
    or ``ArticleWithdrawn`` instead."""
    if not token or len(token) > _TOKEN_MAX_LENGTH:
        raise LinkNotValid("This preview link is not valid.")
    link = PreviewLink.objects.filter(token_hash=_hash(token)).first()
    if link is None:
        raise LinkNotValid("This preview link is not valid.")
    article = Article.objects.for_detail().get(pk=link.article_id)
    match link.state(withdrawn_at=withdrawn_at(article)):
        case State.REVOKED:
            raise LinkNotValid("This preview link was revoked; ask the editor for a new one.")
        case State.WITHDRAWN:
            raise ArticleWithdrawn(article)
        case State.EXPIRED:
            raise LinkNotValid("This preview link has expired; ask the editor for a new one.")
    PreviewLink.objects.filter(pk=link.pk).update(
        use_count=F("use_count") + 1, last_used_at=timezone.now()
    )
    return article
