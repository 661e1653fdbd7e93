from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html

from sources.citations import citation_text
from sources.models import Attribution, Claim, Publisher, SourceDocument


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "url", "document_count"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

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

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_citations=Count("attributions"))

    @admin.display(description="cited by claims", ordering="n_citations")
    def cited(self, obj):
        return obj.n_citations


class AttributionInline(admin.TabularInline):
    model = Attribution
    extra = 1
    autocomplete_fields = ["document", "via"]
    fields = ["position", "document", "via", "relation", "via_url"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "sources", "attached"]
    list_select_related = ["article"]
    search_fields = ["text", "article__headline"]
    autocomplete_fields = ["article"]
    inlines = [AttributionInline]
    fields = ["article", "text", "position"]
    readonly_fields = ["position"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_citations()

    @admin.display(description="sources")
    def sources(self, obj):
        text = citation_text(obj.attributions.all())
        return text or format_html('<strong style="color:#9b1c1c">{}</strong>', "No source yet")

    @admin.display(description="in body", boolean=True)
    def attached(self, obj):
        return not obj.is_detached()
