"""Translations (issue 14): an article may name the original it translates."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_article_change_sequence"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="translation_of",
            field=models.ForeignKey(
                blank=True,
                help_text="The original this piece translates; empty for an original.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="translations",
                to="articles.article",
                verbose_name="translation of",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(("translation_of", models.F("id")), _negated=True),
                name="article_not_own_translation",
                violation_error_message="An article cannot be a translation of itself.",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(
                fields=("translation_of", "language"),
                name="article_one_translation_per_language",
                violation_error_message="The original already has a translation in this language.",
            ),
        ),
    ]
