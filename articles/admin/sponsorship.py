"""Sponsors, and a read-only list of sponsorships: a sponsorship is attached, changed
and removed on its article's page, through the audited workflow."""

from django.contrib import admin
from django.db.models import Count

from articles.models import Sponsor, Sponsorship


@admin.register(Sponsor)
class SponsorAdmin(admin.ModelAdmin):
    list_display = ["name", "website", "sponsorship_count"]
    search_fields = ["name"]
    ordering = ["name"]  # as SectionAdmin: annotated, so Meta.ordering is dropped
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_sponsorships=Count("sponsorships"))

    @admin.display(description="sponsored articles", ordering="n_sponsorships")
    def sponsorship_count(self, obj):
        return obj.n_sponsorships


@admin.register(Sponsorship)
class SponsorshipAdmin(admin.ModelAdmin):
    list_display = ["article", "sponsor", "public_label", "campaign_starts_on", "campaign_ends_on"]
    list_filter = ["kind", "sponsor"]
    list_select_related = ["article", "sponsor"]
    search_fields = ["article__headline", "sponsor__name"]
    autocomplete_fields = ["article", "sponsor"]

    @admin.display(description="label readers see")
    def public_label(self, obj):
        return obj.full_label
