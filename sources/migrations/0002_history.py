import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def record_baseline(apps, schema_editor):
    """One "created" history row for each record already there, so the first change made
    after this migration shows what it changed (the library's ``populate_history``)."""
    now = timezone.now()
    for name in ['Publisher', 'SourceDocument']:
        model = apps.get_model('sources', name)
        historical = apps.get_model('sources', f"Historical{name}")
        rows = []
        for obj in model._default_manager.order_by("pk").iterator():
            values = {field.attname: getattr(obj, field.attname) for field in model._meta.concrete_fields}
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
        ('sources', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalPublisher',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=200)),
                ('slug', models.SlugField(blank=True, max_length=200)),
                ('kind', models.CharField(choices=[('company', 'Company'), ('wire', 'Wire service'), ('news_outlet', 'News outlet'), ('portal', 'Portal or aggregator'), ('government', 'Government or regulator'), ('research', 'Research or data provider'), ('other', 'Other')], default='other', max_length=20)),
                ('url', models.URLField(blank=True, verbose_name='website')),
                ('history_change_reason', models.TextField(null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical publisher',
                'verbose_name_plural': 'historical publishers',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSourceDocument',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('title', models.CharField(max_length=500)),
                ('kind', models.CharField(choices=[('press_release', 'Press release'), ('wire_report', 'Wire report'), ('news_article', 'News article'), ('filing', 'Regulatory filing'), ('dataset', 'Dataset'), ('interview', 'Interview')], max_length=20)),
                ('url', models.URLField(blank=True, max_length=1000, verbose_name='link')),
                ('published_on', models.DateField(blank=True, null=True, verbose_name='publication date')),
                ('accessed_on', models.DateField(blank=True, null=True, verbose_name='date accessed')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('publisher', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sources.publisher')),
            ],
            options={
                'verbose_name': 'historical source document',
                'verbose_name_plural': 'historical source documents',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(record_baseline, migrations.RunPython.noop),
    ]
