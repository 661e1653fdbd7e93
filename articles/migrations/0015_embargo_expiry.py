# Embargo (a scheduled article released early to partners cleared for it), expiry
# (an unpublish time) and the API keys' embargo scope. Adds columns with defaults and
# constraints every existing row meets; reversible without losing rows.

import django.db.models.expressions
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_repair_tag_slugs"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="embargo",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text="Partners cleared for embargoed copy receive it before it publishes.",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="expires_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the published piece takes itself down (readers then get 410 Gone).",
                null=True,
                verbose_name="unpublish at",
            ),
        ),
        migrations.AddField(
            model_name="partnerkey",
            name="can_read_embargoed",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text="Receives scheduled articles under embargo before they publish.",
                verbose_name="scope: embargoed",
            ),
        ),
        migrations.AlterField(
            model_name="webhookdelivery",
            name="event",
            field=models.CharField(
                choices=[
                    ("article.embargoed", "article.embargoed"),
                    ("article.published", "article.published"),
                    ("article.updated", "article.updated"),
                    ("article.corrected", "article.corrected"),
                    ("article.unpublished", "article.unpublished"),
                ],
                max_length=30,
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(("embargo", False), ("status", "scheduled"), _connector="OR"),
                name="article_embargo_only_scheduled",
                violation_error_message="Only a scheduled article can be under embargo.",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("expires_at__isnull", True),
                    models.Q(
                        models.Q(
                            ("scheduled_for__isnull", True),
                            ("expires_at__gt", django.db.models.expressions.F("scheduled_for")),
                            _connector="OR",
                        ),
                        models.Q(
                            ("published_at__isnull", True),
                            ("expires_at__gt", django.db.models.expressions.F("published_at")),
                            _connector="OR",
                        ),
                    ),
                    _connector="OR",
                ),
                name="article_expires_after_publication",
                violation_error_message="The unpublish time must be after the publication time.",
            ),
        ),
    ]
