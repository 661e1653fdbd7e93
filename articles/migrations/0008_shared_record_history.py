import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def record_baseline(apps, schema_editor):
    """One "created" history row for each record already there, so the first change made
    after this migration shows what it changed (the library's ``populate_history``)."""
    now = timezone.now()
    for name in ["Author", "Image", "Sponsor"]:
        model = apps.get_model("articles", name)
        historical = apps.get_model("articles", f"Historical{name}")
        rows = []
        for obj in model._default_manager.order_by("pk").iterator():
            values = {
                field.attname: getattr(obj, field.attname) for field in model._meta.concrete_fields
            }
            # A file is kept as its path, as the library keeps it.
            values |= {
                field.attname: values[field.attname].name or ""
                for field in model._meta.concrete_fields
                if isinstance(field, models.FileField)
            }
            rows.append(
                historical(
                    **values,
                    history_date=now,
                    history_type="+",
                    history_change_reason="On record when history began.",
                )
            )
        historical.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_underwriting_permission"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalAuthor",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("human", "Human journalist"), ("ai_agent", "AI agent")],
                        default="human",
                        max_length=10,
                    ),
                ),
                ("name", models.CharField(max_length=150)),
                ("slug", models.SlugField(max_length=150)),
                ("job_title", models.CharField(blank=True, max_length=150)),
                ("bio", models.TextField(blank=True)),
                (
                    "beats",
                    models.CharField(
                        blank=True,
                        help_text="Comma-separated topics this author covers, e.g. “AI, machine learning”.",
                        max_length=300,
                    ),
                ),
                (
                    "email",
                    models.EmailField(
                        blank=True, max_length=254, verbose_name="public contact e-mail"
                    ),
                ),
                (
                    "operator",
                    models.CharField(
                        blank=True,
                        help_text="The organisation that runs the agent.",
                        max_length=200,
                    ),
                ),
                ("operator_url", models.URLField(blank=True, verbose_name="operator website")),
                (
                    "system",
                    models.CharField(
                        blank=True,
                        help_text="Model or platform the agent runs on, e.g. “Newsroom Agent Platform 2”.",
                        max_length=200,
                        verbose_name="system it runs on",
                    ),
                ),
                (
                    "disclosure",
                    models.TextField(
                        blank=True,
                        help_text="Shown to readers on the agent's page: what it is and how its work is checked.",
                        verbose_name="public disclosure",
                    ),
                ),
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
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "supervising_editor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The human editor responsible for this agent's work.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The staff account of a human journalist, if they have one.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical author",
                "verbose_name_plural": "historical authors",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalImage",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("file", models.TextField(max_length=100)),
                ("width", models.PositiveIntegerField(editable=False, null=True)),
                ("height", models.PositiveIntegerField(editable=False, null=True)),
                ("format", models.CharField(blank=True, editable=False, max_length=10)),
                (
                    "bytes",
                    models.PositiveBigIntegerField(
                        editable=False, null=True, verbose_name="file size (bytes)"
                    ),
                ),
                (
                    "sha256",
                    models.CharField(
                        db_index=True,
                        editable=False,
                        max_length=64,
                        null=True,
                        verbose_name="SHA-256",
                    ),
                ),
                (
                    "alt_text",
                    models.CharField(
                        blank=True,
                        help_text="What the image shows, for readers who cannot see it. Needed to publish.",
                        max_length=300,
                    ),
                ),
                ("caption", models.TextField(blank=True)),
                ("credit", models.CharField(blank=True, max_length=200)),
                (
                    "copyright",
                    models.CharField(
                        blank=True,
                        help_text="Who holds the rights and on what terms, e.g. “© Reuters” or “CC BY 4.0”.",
                        max_length=300,
                        verbose_name="copyright / licence",
                    ),
                ),
                (
                    "source_kind",
                    models.CharField(
                        choices=[
                            ("staff", "Staff photo"),
                            ("agency", "Agency"),
                            ("handout", "Handout / sponsor-provided"),
                            ("ai_generated", "AI-generated"),
                        ],
                        default="staff",
                        help_text="Where the image came from. AI-generated images are labelled so for readers.",
                        max_length=20,
                        verbose_name="source",
                    ),
                ),
                (
                    "focal_x",
                    models.FloatField(
                        default=0.5,
                        help_text="0 is the left edge, 1 the right.",
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(1),
                        ],
                        verbose_name="focal point x",
                    ),
                ),
                (
                    "focal_y",
                    models.FloatField(
                        default=0.5,
                        help_text="0 is the top edge, 1 the bottom.",
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(1),
                        ],
                        verbose_name="focal point y",
                    ),
                ),
                ("uploaded_at", models.DateTimeField(blank=True, editable=False)),
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
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical image",
                "verbose_name_plural": "historical images",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalSponsor",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(db_index=True, max_length=200)),
                ("slug", models.SlugField(max_length=200)),
                ("website", models.URLField(blank=True)),
                ("logo", models.TextField(blank=True, max_length=100)),
                ("description", models.TextField(blank=True)),
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
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical sponsor",
                "verbose_name_plural": "historical sponsors",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(record_baseline, migrations.RunPython.noop),
    ]
