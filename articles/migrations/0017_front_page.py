# The curated front page: slots editors pin stories to, and their history (the audit).

import articles.models.front_page
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        # Issue 13's helpers each branched from 0014; this follows 0016 (related pins)
        # only so that the shared tree has one leaf while all exist. Linearised at merge.
        ("articles", "0016_related_pins"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalFrontPageSlot",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(db_index=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("lead", "Lead"),
                            ("top", "Top story"),
                            ("sponsored", "Sponsored"),
                        ],
                        default="top",
                        max_length=10,
                    ),
                ),
                ("pinned_until", models.DateTimeField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("history_change_reason", models.TextField(null=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        limit_choices_to=articles.models.front_page.published_pieces,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="articles.article",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical front page slot",
                "verbose_name_plural": "historical front page",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="FrontPageSlot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("lead", "Lead"),
                            ("top", "Top story"),
                            ("sponsored", "Sponsored"),
                        ],
                        default="top",
                        max_length=10,
                    ),
                ),
                ("pinned_until", models.DateTimeField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "article",
                    models.ForeignKey(
                        blank=True,
                        limit_choices_to=articles.models.front_page.published_pieces,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="articles.article",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["position"],
                "verbose_name_plural": "front page",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("position__lt", 13)),
                        name="front_page_slot_position_range",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind", "lead"), ("position", 0)),
                            models.Q(("position__gt", 0), ("kind__in", ["top", "sponsored"])),
                            _connector="OR",
                        ),
                        name="front_page_slot_lead_first",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("article__isnull", False),
                            ("pinned_until__isnull", True),
                            _connector="OR",
                        ),
                        name="front_page_slot_pin_needs_story",
                    ),
                ],
            },
        ),
    ]
