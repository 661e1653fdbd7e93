"""Related articles an editor pins under an article (issue 13): a new table, no data."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        # Issue 13's helpers each branched from 0014; this follows 0015 (embargo) only so
        # that the shared tree has one leaf while both exist. Linearised at merge.
        ("articles", "0015_embargo_expiry"),
    ]

    operations = [
        migrations.CreateModel(
            name="RelatedPin",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0)),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="related_pins",
                        to="articles.article",
                    ),
                ),
                (
                    "related",
                    models.ForeignKey(
                        help_text="Shown first under this article, in this order, once it is published.",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pinned_under",
                        to="articles.article",
                        verbose_name="related article",
                    ),
                ),
            ],
            options={
                "verbose_name": "pinned related article",
                "ordering": ["article", "position", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("article", "related"),
                        name="related_pin_once",
                        violation_error_message="This article is already pinned.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("article", models.F("related")), _negated=True),
                        name="related_pin_not_self",
                        violation_error_message="An article cannot be related to itself.",
                    ),
                ],
            },
        ),
    ]
