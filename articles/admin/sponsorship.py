"""Sponsors (with their history), and a read-only list of sponsorships: a sponsorship is
attached, changed and removed on its article's page, through the audited workflow."""

from django.contrib import admin
from django.db.models import Count, Q

from articles.admin.display import article_link
from articles.admin.shared_records import SharedRecordAdmin
from articles.models import Article, Sponsor, Sponsorship


@admin.register(Sponsor)
class SponsorAdmin(SharedRecordAdmin):
    """A sponsor's name is in its pieces' labels: history, and changes to one of live
    pieces by their desk's editors only (``articles.publishing.shared_records``)."""

    list_display = ["name", "website", "sponsorship_count"]
    search_fields = ["name"]
    ordering = ["name"]  # as SectionAdmin: annotated, so Meta.ordering is dropped
    prepopulated_fields = {"slug": ["name"]}
    # No bulk delete, which asks no question of each sponsor: a sponsor is named in its
    # pieces' labels, and is deleted one at a time from its page (never while it has any).
    actions = None

    def get_queryset(self, request):
        # The firewall for reading: a commercial draft counted here would tell the
        # newsroom of a campaign before readers know of it.
        readable = Article.objects.readable_by(request.user)
        counted = Count("sponsorships", filter=Q(sponsorships__article__in=readable))
        return super().get_queryset(request).annotate(n_sponsorships=counted)

    @admin.display(description="sponsored articles", ordering="n_sponsorships")
    def sponsorship_count(self, obj):
        return obj.n_sponsorships


@admin.register(Sponsorship)
class SponsorshipAdmin(admin.ModelAdmin):
    """Read-only: each row links to its article, whose sponsorship inline goes through
    ``articles.publishing.sponsorships`` (checked, audited, notified)."""

    list_display = [
        "article_link",
        "sponsor",
        "public_label",
        "campaign_starts_on",
        "campaign_ends_on",
    ]
    list_display_links = None
    # Only the sponsors of the rows the user may see: a sponsor whose only piece is a
    # commercial draft is news the newsroom should not get from a filter either.
    list_filter = ["kind", ("sponsor", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["article", "sponsor"]
    search_fields = ["article__headline", "sponsor__name"]
    actions = None

    def get_queryset(self, request):
        # The firewall for reading: a commercial draft's headline is not news for the newsroom.
        readable = Article.objects.readable_by(request.user)
        return super().get_queryset(request).filter(article__in=readable)

    def has_view_permission(self, request, obj=None):
        # The list only: a sponsorship is looked at, and changed, on its article's page.
        return obj is None and super().has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="article", ordering="article__headline")
    def article_link(self, obj):
        return article_link(obj.article)

    @admin.display(description="label readers see")
    def public_label(self, obj):
        return obj.full_label
