"""Publishers and source documents, with their history. What a citation prints comes
from them, so a change to one cited on a published piece goes through
``articles.publishing.shared_records``; their admin lives here because ``sources`` never
imports ``articles``. Claims and their attributions: ``articles.admin.claims``.

The firewall covers reading here too: a document cited only by the other desk's
unpublished work (a commercial draft's press release, a newsroom scoop's filing) tells
of that work, so lists, autocompletes and pages show each user only the documents and
publishers that are cited nowhere, or cited by something they may read."""

from django.contrib import admin
from django.db.models import Count, Exists, OuterRef, Q

from articles.admin.shared_records import SharedRecordAdmin
from articles.publishing.sourcing import known_documents, readable_citations
from sources.models import Attribution, Publisher, SourceDocument


def known_publishers(user) -> Q:
    """Publishers ``user`` may know of: named by no citation, publishing a document they
    may know of, or the intermediary of a citation they may read."""
    publisher = OuterRef("pk")
    named = Q(document__publisher=publisher) | Q(via=publisher) | Q(hops__publisher=publisher)
    passed_on = Q(via=publisher) | Q(hops__publisher=publisher)  # anywhere along a chain
    return (
        ~Exists(Attribution.objects.filter(named))
        | Exists(SourceDocument.objects.filter(known_documents(user), publisher=publisher))
        | Exists(readable_citations(user).filter(passed_on))
    )


@admin.register(Publisher)
class PublisherAdmin(SharedRecordAdmin):
    list_display = ["name", "kind", "url", "document_count"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]  # annotated, so Meta.ordering is dropped (autocompletes need one)
    # No bulk delete, which asks no question of each publisher: citations on published
    # pieces name them; one at a time, from the publisher's page.
    actions = None

    def get_queryset(self, request):
        user = request.user
        known = SourceDocument.objects.filter(known_documents(user))
        counted = Count("documents", filter=Q(documents__in=known))
        return (
            super()
            .get_queryset(request)
            .filter(known_publishers(user))
            .annotate(n_documents=counted)
        )

    @admin.display(description="documents", ordering="n_documents")
    def document_count(self, obj):
        return obj.n_documents


@admin.register(SourceDocument)
class SourceDocumentAdmin(SharedRecordAdmin):
    list_display = ["title", "publisher", "kind", "published_on", "accessed_on", "cited"]
    # Only the publishers of the rows listed: the filter must not name the others.
    list_filter = ["kind", "published_on", ("publisher", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["publisher"]
    search_fields = ["title", "publisher__name", "url"]
    autocomplete_fields = ["publisher"]
    date_hierarchy = "published_on"
    ordering = ["-published_on", "title"]  # as for publishers
    fields = ["title", "publisher", "kind", "url", "published_on", "accessed_on"]
    # As for publishers: cited documents are shown with published claims.
    actions = None

    def get_queryset(self, request):
        user = request.user
        counted = Count("attributions", filter=Q(attributions__in=readable_citations(user)))
        return (
            super()
            .get_queryset(request)
            .filter(known_documents(user))
            .annotate(n_citations=counted)
        )

    @admin.display(description="cited by claims", ordering="n_citations")
    def cited(self, obj):
        return obj.n_citations
