"""Translations: an article may name the original it translates (one level deep, one
translation per language). The database holds what it can check alone (no piece
translates itself, one translation per language); the rest of the rules, with their
messages, are ``articles.publishing.translations``."""

from django.db import models
from django.db.models import F, Q


def translation_field() -> models.ForeignKey:
    return models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name="translation of",
        help_text="The original this piece translates; empty for an original.",
    )


TRANSLATION_CONSTRAINTS = [
    models.CheckConstraint(
        condition=~Q(translation_of=F("id")),
        name="article_not_own_translation",
        violation_error_message="An article cannot be a translation of itself.",
    ),
    models.UniqueConstraint(
        fields=["translation_of", "language"],
        name="article_one_translation_per_language",
        violation_error_message="The original already has a translation in this language.",
    ),
]
