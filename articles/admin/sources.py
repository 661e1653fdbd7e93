"""Publishers and source documents, with their history. What a citation prints comes
from them, so a change to one cited on a published piece goes through
``articles.publishing.shared_records``; their admin lives here because ``sources`` never
imports ``articles``. Claims and their attributions: ``articles.admin.claims``."""

from django.contrib import admin
from django.db.models import Count

from articles.admin.shared_records import SharedRecordAdmin
from sources.models import Publisher, SourceDocument


@admin.register(Publisher)
class PublisherAdmin(SharedRecordAdmin):
    list_display = ["name", "kind", "url", "document_count"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    # No bulk delete, which asks no question of each publisher: citations on published
    # pieces name them; one at a time, from the publisher's page.
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_documents=Count("documents"))

    @admin.display(description="documents", ordering="n_documents")
    def document_count(self, obj):
        return obj.n_documents


@admin.register(SourceDocument)
class SourceDocumentAdmin(SharedRecordAdmin):
    list_display = ["title", "publisher", "kind", "published_on", "accessed_on", "cited"]
    list_filter = ["kind", "published_on", "publisher"]
    list_select_related = ["publisher"]
    search_fields = ["title", "publisher__name", "url"]
    autocomplete_fields = ["publisher"]
    date_hierarchy = "published_on"
    fields = ["title", "publisher", "kind", "url", "published_on", "accessed_on"]
    # As for publishers: cited documents are shown with published claims.
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_citations=Count("attributions"))

    @admin.display(description="cited by claims", ordering="n_citations")
    def cited(self, obj):
        return obj.n_citations
