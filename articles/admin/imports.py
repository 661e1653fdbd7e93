"""Where imported articles came from (``manage.py import_wordpress`` / ``import_ninjs``),
read-only: the importers write these rows, and each links to its article."""

from django.contrib import admin

from articles.admin.forms import PlainTextForm
from articles.admin.records import ReadOnlyRecords
from articles.models import ImportRecord


@admin.register(ImportRecord)
class ImportRecordAdmin(ReadOnlyRecords, admin.ModelAdmin):
    list_display = [
        "article_link",
        "source",
        "external_id",
        "first_imported_at",
        "last_imported_at",
    ]
    list_filter = ["source"]
    search_fields = ["article__headline", "external_id"]
    date_hierarchy = "last_imported_at"
    ordering = ["-last_imported_at", "-pk"]
    fields = ["article", "source", "external_id", "fingerprint", "first_imported_at"]
    list_per_page = 50
    # Never saved here; the shared form all the same, as every admin of unique text has.
    form = PlainTextForm
