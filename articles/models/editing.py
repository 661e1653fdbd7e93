"""Who has an article's change page open right now (presence), one row per editor
and article, refreshed by the page's periodic ping; and where imported articles
came from, so that importing the same file again updates instead of duplicating."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from articles.models.article import Article


class EditingSession(models.Model):
    """An editor with an article open in the admin, as of their page's last ping.

    Wagtail's editing sessions are the model: the page pings every few seconds, and
    a row not pinged for ``PRESENCE_TIMEOUT`` seconds no longer counts. One row per
    editor and article, whatever the number of tabs (the newest ping wins).
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="editing_sessions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editing_sessions"
    )
    # The version the editor's form was opened on, and whether they changed anything
    # since: others are told "X is editing" rather than "X is viewing".
    base_version = models.PositiveIntegerField()
    is_editing = models.BooleanField(default=False)
    last_seen_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="editing_session_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on “{self.article}” at {self.last_seen_at:%H:%M:%S}"


class ImportRecord(models.Model):
    """An article made by an importer, keyed by where it came from.

    ``source`` names the feed (``wordpress:<site URL>``, ``ninjs:<provider>``) and
    ``external_id`` the item within it (a WordPress post id, a ninjs ``uri``); the pair
    is unique, so a second run finds the article and updates it. ``fingerprint`` is a
    hash of what was imported: an unchanged item is skipped without a new revision.
    """

    source = models.CharField(max_length=200)
    external_id = models.CharField(max_length=500)
    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="import_record")
    fingerprint = models.CharField(max_length=64)
    first_imported_at = models.DateTimeField(auto_now_add=True)
    last_imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="import_record_once_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.external_id}"
