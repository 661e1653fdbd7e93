"""Signed provenance records: what readers were told about a published version of an
article (who wrote it, who reviewed it, who paid for it, what its claims rest on),
canonical JSON signed with the newsroom's Ed25519 key. Append-only: a record is never
changed; a changed article gets a new version. Built and signed by
``articles.publishing.provenance``."""

from __future__ import annotations

from django.db import models

from articles.models.article import Article


class ProvenanceRecord(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="provenance")
    version = models.PositiveIntegerField(
        help_text="1 for the first published version, then one more for each change readers saw."
    )
    payload = models.JSONField(help_text="The canonical record, exactly as signed.")
    signature = models.CharField(max_length=200, help_text="Ed25519, base64.")
    key_id = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "version"], name="provenance_unique_article_version"
            ),
        ]

    def __str__(self) -> str:
        return f"Provenance of {self.article_id}, version {self.version}"
