"""Publishers and source documents. Claims and their attributions belong to articles:
their admin lives in ``articles.admin.claims`` (``sources`` never imports ``articles``)."""

from django.contrib import admin
from django.db.models import Count

from sources.models import Publisher, SourceDocument


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
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
class SourceDocumentAdmin(admin.ModelAdmin):
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
