"""Provenance (issue 15): a signed record of each published version of an article."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_article_translation_of"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProvenanceRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "version",
                    models.PositiveIntegerField(
                        help_text="1 for the first published version, then one more for each change readers saw."
                    ),
                ),
                ("payload", models.JSONField(help_text="The canonical record, exactly as signed.")),
                ("signature", models.CharField(help_text="Ed25519, base64.", max_length=200)),
                ("key_id", models.CharField(max_length=16)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="provenance",
                        to="articles.article",
                    ),
                ),
            ],
            options={
                "ordering": ["article", "-version"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("article", "version"), name="provenance_unique_article_version"
                    )
                ],
            },
        ),
    ]
