"""Autosave, recovery and presence on the article page.

What an editor types is kept in the background as their one autosave revision of the
article, offered back when they reopen the page after a closed tab or a crash; and who
else has the article open is known from their pages' pings (Wagtail's editing sessions).

An autosave is never the article: it never writes the Article row, never takes a new
version and never runs the publish gates, so it cannot change what readers see. Only a
normal save does that, through the admin's form and its version check, and that save
drops the editor's autosave (``discard_autosave``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from articles.models import Article, EditingSession, Revision
from articles.publishing import revisions
from articles.sanitize import clean_text, sanitize_html
from sources.text import normalise_text

# What the page sends while the editor types; the rest is saved only by saving.
AUTOSAVE_FIELDS = ("headline", "dek", "body")
# The API's drafts accept bodies up to this length; an autosave accepts the same.
BODY_MAX_LENGTH = 200_000
# Seconds: how long after the last keystroke the page autosaves, how often it pings,
# and how long after its last ping an editor no longer counts as having the page open.
AUTOSAVE_SECONDS = 3
PING_SECONDS = 10
PRESENCE_TIMEOUT = 30
# A page that crashed or lost its network never sends its leave: rows not pinged for this
# long are swept by the next ping anyone sends, on any article, so they never pile up.
PRESENCE_SWEEP_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class LastSave:
    """Who saved the article's current version, and when (as far as the records say)."""

    name: str
    at: datetime | None
    by_me: bool

    @property
    def who(self) -> str:
        return "You" if self.by_me else self.name

    def sentence(self, version: int) -> str:
        """“Sam Ng saved this article at 14:03 (now version 5)”."""
        when = f" at {timezone.localtime(self.at):%H:%M}" if self.at else ""
        where = " in another window" if self.by_me else ""
        return f"{self.who} saved this article{when}{where} (now version {version})"


class AutosaveConflict(Exception):
    """Someone saved the article after the version the editor's page was opened on."""

    def __init__(self, *, base_version: int, version: int, last_save: LastSave, kept: bool):
        self.base_version = base_version
        self.version = version
        self.last_save = last_save
        self.kept = kept
        super().__init__(
            f"Not autosaved: {last_save.sentence(version)} after you opened it on version "
            f"{base_version}. {'Your text is kept for recovery; s' if kept else 'S'}aving "
            "will ask you to resolve the conflict."
        )


class UnknownVersion(ValueError):
    """The page claims a version the article never had (a forged or garbled request)."""


@dataclass(frozen=True)
class Recovery:
    """An editor's autosave that holds text the article does not."""

    revision: Revision
    version: int  # the article's version now

    @property
    def at(self) -> datetime:
        return self.revision.created_at

    @property
    def stale(self) -> bool:
        """Others saved since the version the autosave was typed on."""
        return self.revision.version < self.version

    @property
    def fields(self) -> dict[str, str]:
        return {name: self.revision.data.get(name, "") for name in AUTOSAVE_FIELDS}

    def changes(self, article: Article) -> list[revisions.FieldDiff]:
        current = {name: getattr(article, name) for name in AUTOSAVE_FIELDS}
        return revisions.diff(current, self.fields)

    def body_paragraphs(self) -> list[str]:
        """The autosaved body as plain paragraphs, to read or copy."""
        html = self.fields["body"].replace("</p>", "</p>\n").replace("</li>", "</li>\n")
        return [text for line in html.splitlines() if (text := normalise_text(line))]


# -- autosave and recovery -------------------------------------------------------


def autosave(article: Article, *, by, base_version: int, fields: dict[str, str]) -> Revision:
    """Keep what ``by`` typed (``AUTOSAVE_FIELDS``) as their one autosave of ``article``.

    Raises ``AutosaveConflict`` when the article was saved after ``base_version``. The
    text is still kept, with the version it was typed on, so that a crash cannot lose it
    and reopening the page says that others saved since; unless the newer save is the
    editor's own (an autosave that arrived just after the save it preceded). Nothing
    else is ever written.
    """
    data = {name: clean_text(fields.get(name, "")) for name in AUTOSAVE_FIELDS}
    data["body"] = sanitize_html(data["body"])
    with transaction.atomic():
        # Only locked, never written: orders this after a save in progress, and the
        # editor's other tabs after each other (one autosave per editor, never two).
        article.version = (
            Article.objects.select_for_update()
            .filter(pk=article.pk)
            .values_list("version", flat=True)
            .get()
        )
        if base_version > article.version:
            raise UnknownVersion(f"The article has no version {base_version} yet: reload the page.")
        conflict = None
        if base_version != article.version:
            newer = last_save(article, user=by)
            conflict = AutosaveConflict(
                base_version=base_version,
                version=article.version,
                last_save=newer,
                kept=not newer.by_me,
            )
        if conflict is None or conflict.kept:
            mine = _keep(article, by=by, base_version=base_version, data=data)
    if conflict is not None:
        raise conflict
    return mine


def _keep(article: Article, *, by, base_version: int, data: dict) -> Revision:
    """Update ``by``'s autosave in place, or make it (the article is locked)."""
    note = f"Autosaved while typing on version {base_version}; not saved."
    mine = autosave_of(article, by)
    if mine is None:
        return revisions.record(
            article,
            by=by,
            kind=Revision.Kind.AUTOSAVE,
            data=data,
            version=base_version,
            note=note,
        )
    mine.data, mine.version, mine.created_at, mine.note = data, base_version, timezone.now(), note
    mine.save(update_fields=["data", "version", "created_at", "note"])
    return mine


def autosave_of(article: Article, user) -> Revision | None:
    """``user``'s autosave of ``article``, if they have one."""
    return (
        Revision.objects.filter(article=article, kind=Revision.Kind.AUTOSAVE, created_by=user)
        .order_by("-created_at", "-pk")
        .first()
    )


def discard_autosave(article: Article, *, by) -> bool:
    """Drop ``by``'s autosave of ``article`` (they saved, or chose to discard it)."""
    deleted, _ = Revision.objects.filter(
        article=article, kind=Revision.Kind.AUTOSAVE, created_by=by
    ).delete()
    return bool(deleted)


def recovery(article: Article, user) -> Recovery | None:
    """What to offer ``user`` on opening ``article``: their autosave, unless it holds
    nothing the article does not already say."""
    revision = autosave_of(article, user)
    if revision is None:
        return None
    found = Recovery(revision=revision, version=article.version)
    if all(found.fields[name] == getattr(article, name) for name in AUTOSAVE_FIELDS):
        return None
    return found


# -- presence ----------------------------------------------------------------------


def ping(article: Article, *, user, base_version: int, is_editing: bool) -> None:
    """``user`` has ``article`` open (on ``base_version``), and has typed in it or not."""
    now = timezone.now()
    # One indexed DELETE (no cascades or signals, so no SELECT first).
    EditingSession.objects.filter(last_seen_at__lt=now - PRESENCE_SWEEP_AFTER).delete()
    # One INSERT … ON CONFLICT DO UPDATE: two tabs or two servers pinging at once can
    # neither collide on the unique (article, user) nor make a second row.
    EditingSession.objects.bulk_create(
        [
            EditingSession(
                article=article,
                user=user,
                base_version=base_version,
                is_editing=is_editing,
                last_seen_at=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["article", "user"],
        update_fields=["base_version", "is_editing", "last_seen_at"],
    )


def leave(article: Article, *, user) -> None:
    """``user`` closed the page: others stop seeing them at once, not after the timeout."""
    EditingSession.objects.filter(article=article, user=user).delete()


def others_present(article: Article, *, user) -> list[EditingSession]:
    """Who else has pinged ``article`` within ``PRESENCE_TIMEOUT``, editors first."""
    since = timezone.now() - timedelta(seconds=PRESENCE_TIMEOUT)
    return list(
        EditingSession.objects.filter(article=article, last_seen_at__gte=since)
        .exclude(user=user)
        .select_related("user")
        .order_by("-is_editing", "user__first_name", "user__last_name", "user__username")
    )


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def last_save(article: Article, *, user) -> LastSave:
    """Who made the article's current version, from the revision its save recorded."""
    saved = (
        revisions.history(article)
        .filter(version=article.version)
        .exclude(kind=Revision.Kind.REFUSED)
        .only("created_by_id", "created_by_name", "created_at")
        .first()
    )
    if saved is None:
        # Written without a revision (a script, a fix in the shell): say no more than we know.
        return LastSave("Someone", None, False)
    return LastSave(
        saved.created_by_name or "Someone", saved.created_at, saved.created_by_id == user.pk
    )
