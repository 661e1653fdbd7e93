from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    Image,
    Section,
    Sponsor,
    Sponsorship,
)
from sources.citations import citation_text
from sources.models import Claim

STATUS_COLOURS = {
    Article.Status.DRAFT: "#5f6368",
    Article.Status.IN_REVIEW: "#8a5a00",
    Article.Status.APPROVED: "#1f6f43",
    Article.Status.SCHEDULED: "#1a4f8b",
    Article.Status.PUBLISHED: "#0b6b2f",
    Article.Status.UNPUBLISHED: "#9b1c1c",
}


def status_badge(article: Article) -> str:
    return format_html(
        '<span style="display:inline-block;padding:1px 8px;border-radius:9px;'
        'color:#fff;background:{};font-weight:600">{}</span>',
        STATUS_COLOURS.get(article.status, "#5f6368"),
        article.get_status_display(),
    )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "article_count"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_articles=Count("articles"))

    @admin.display(description="articles", ordering="n_articles")
    def article_count(self, obj):
        return obj.n_articles


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "job_title", "operator", "supervising_editor", "byline_count"]
    list_filter = ["kind"]
    list_select_related = ["supervising_editor"]
    search_fields = ["name", "beats", "operator"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user", "supervising_editor"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "slug", "job_title", "bio", "beats", "email", "user"]}),
        (
            "AI agent disclosure",
            {
                "description": (
                    "Required for AI agents: readers are told who operates the agent, what it "
                    "runs on and which human editor answers for its work."
                ),
                "fields": [
                    "operator",
                    "operator_url",
                    "system",
                    "supervising_editor",
                    "disclosure",
                ],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_bylines=Count("bylines"))

    @admin.display(description="bylines", ordering="n_bylines")
    def byline_count(self, obj):
        return obj.n_bylines


@admin.register(Sponsor)
class SponsorAdmin(admin.ModelAdmin):
    list_display = ["name", "website", "sponsorship_count"]
    search_fields = ["name"]
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


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit", "width", "height", "uploaded_at"]
    search_fields = ["caption", "credit", "alt_text"]
    readonly_fields = ["width", "height", "uploaded_at"]

    @admin.display(description="")
    def thumbnail(self, obj):
        return format_html(
            '<img src="{}" alt="" width="80" style="height:auto" loading="lazy">', obj.file.url
        )


class BylineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        bylines = [
            Byline(author=form.cleaned_data["author"], role=form.cleaned_data["role"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("author")
        ]
        if problem := self.instance.ai_involvement_problem(bylines):
            raise ValidationError(problem)


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineFormSet
    extra = 0
    min_num = 0
    autocomplete_fields = ["author"]
    fields = ["position", "author", "role"]
    ordering = ["position"]


class SponsorshipInline(admin.StackedInline):
    model = Sponsorship
    extra = 0
    max_num = 1
    autocomplete_fields = ["sponsor"]
    fields = ["sponsor", "kind", "disclosure", "campaign_starts_on", "campaign_ends_on"]
    verbose_name = "sponsorship (makes this article sponsored content)"


class ClaimInline(admin.TabularInline):
    model = Claim
    extra = 0
    fields = ["text", "sources", "edit_sources"]
    readonly_fields = ["sources", "edit_sources"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).with_citations()

    @admin.display(description="sources")
    def sources(self, obj):
        if not obj.pk:
            return "—"
        text = citation_text(obj.attributions.all())
        return text or format_html('<strong style="color:#9b1c1c">{}</strong>', "No source yet")

    @admin.display(description="")
    def edit_sources(self, obj):
        if not obj.pk:
            return "Save first, then add sources"
        return format_html(
            '<a href="{}">Edit sources</a>', reverse("admin:sources_claim_change", args=[obj.pk])
        )


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    can_delete = False
    verbose_name = "correction or update note"

    def has_change_permission(self, request, obj=None):
        # Existing notes are shown read-only: corrections are append-only.
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "headline",
        "status_badge",
        "label",
        "byline_names",
        "section",
        "type_of_work",
        "ai_involvement",
        "published_at",
        "updated_at",
    ]
    list_filter = [
        "status",
        "section",
        "type_of_work",
        "ai_involvement",
        ("sponsorship", admin.EmptyFieldListFilter),
        "language",
    ]
    search_fields = ["headline", "dek", "slug", "bylines__author__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "lead_image"]
    readonly_fields = [
        "status",
        "published_at",
        "version",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [BylineInline, SponsorshipInline, ClaimInline, CorrectionInline]
    fieldsets = [
        (None, {"fields": ["headline", "dek", "body"]}),
        (
            "About this piece",
            {"fields": ["section", "type_of_work", "tags", "language", "ai_involvement"]},
        ),
        ("Lead image", {"fields": ["lead_image"]}),
        (
            "Publishing",
            {
                "fields": [
                    "slug",
                    "status",
                    "published_at",
                    "version",
                    "created_by",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        return status_badge(obj)

    @admin.display(description="label")
    def label(self, obj):
        return obj.label or "—"

    @admin.display(description="byline")
    def byline_names(self, obj):
        return format_html_join(
            ", ", "{}", ((str(b.author),) for b in obj.byline_list if b.role == Byline.Role.BY)
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Correction) and instance._state.adding:
                instance.created_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Claims were saved after the article: number them in body order now.
        form.instance.reorder_claims()


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["article", "kind", "created_at", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["article", "created_by"]
    search_fields = ["article__headline", "text"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        # Notes are added on the article itself, where their context is.
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_correction") or request.user.has_perm(
            "articles.change_article"
        )
