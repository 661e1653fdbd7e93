"""The article page and list: who may see and change what, the columns editors scan,
and saving through the workflow (revisions, sponsorships, corrections)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from articles.admin.bulk import BulkActions
from articles.admin.chooser import BodyMediaViews
from articles.admin.claim_corrections import claims_before_save
from articles.admin.display import (
    compact_date,
    image_thumbnail,
    list_thumbnail,
    status_badges,
)
from articles.admin.editing import EditingViews
from articles.admin.editorial import EditorialViews
from articles.admin.forms import ArticleForm
from articles.admin.inline_citations import InlineCitationViews
from articles.admin.inlines import (
    BylineInline,
    ClaimInline,
    CorrectionInline,
    EventInline,
    RelatedPinInline,
    SponsorshipInline,
)
from articles.admin.underwriting import UnderwritingViews
from articles.admin.unsourced import UnsourcedViews
from articles.admin.verification import VerificationViews
from articles.models import Article, Byline, Correction, RelatedPin, Sponsorship
from articles.publishing import roles, sponsorships, workflow
from articles.publishing.transitions import WorkflowError, state_phrase


@admin.register(Article)
class ArticleAdmin(
    BodyMediaViews,
    EditingViews,
    BulkActions,
    UnderwritingViews,
    UnsourcedViews,
    InlineCitationViews,
    VerificationViews,
    EditorialViews,
    admin.ModelAdmin,
):
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    # Each through the workflow, article by article (articles.admin.bulk); never a delete.
    actions = [
        "bulk_add_tags",
        "bulk_remove_tags",
        "bulk_move_to_section",
        "bulk_request_changes",
        "bulk_unpublish",
    ]
    # The headline wide, the rest compact: label and AI involvement as badges beside the
    # state. Section, type and AI involvement are filters on the right.
    list_display = [
        "thumbnail",
        "headline",
        "status_badge",
        "byline_names",
        "published",
    ]
    list_display_links = ["headline"]
    list_filter = [
        "status",
        "desk",
        "section",
        "type_of_work",
        "ai_involvement",
        ("sponsorship", admin.EmptyFieldListFilter),
        "language",
    ]
    search_fields = ["headline", "dek", "slug", "bylines__author__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "lead_image", "translation_of"]
    # Set only by the workflow and by saving, never typed in.
    readonly_fields = [
        "status",
        "desk",
        "scheduled_for",
        "embargo",
        "expires_at",
        "published_at",
        "version",
        "created_by",
        "created_at",
        "updated_at",
    ]
    # "article-side": drawn in the change page's side column with the workflow panel
    # (templates/admin/articles/article/change_form.html); the rest is the writing area.
    fieldsets = [
        (None, {"fields": ["headline", "dek"], "classes": ["article-head"]}),
        (None, {"fields": ["body"], "classes": ["article-text"]}),
        ("Publishing", {"fields": ["slug", *readonly_fields], "classes": ["article-side"]}),
        (
            "About this piece",
            {
                "fields": [
                    "ai_involvement",
                    "section",
                    "type_of_work",
                    "tags",
                    "language",
                    "translation_of",
                ],
                "classes": ["article-side"],
            },
        ),
        (
            "Lead image",
            {"fields": ["lead_image", "lead_image_preview"], "classes": ["article-side"]},
        ),
    ]
    # Added after the fieldsets: the preview belongs with the lead image, not under Publishing.
    readonly_fields = [*readonly_fields, "lead_image_preview"]

    # -- what each user may see and do ----------------------------------------

    def get_queryset(self, request):
        # The firewall for reading: lists, search, autocompletes and pages alike.
        return super().get_queryset(request).for_listing().readable_by(request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "dek":
            # A sentence or two: a box that shows it whole (admin.css sizes it to its text).
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "class": "article-dek"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "translation_of":
            # The firewall: what the autocomplete offers is all a crafted request may choose.
            kwargs["queryset"] = Article.objects.readable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        if request.method == "POST":
            # Hold the row until the save commits, so the version check below is
            # exact: two simultaneous saves can never both pass it.
            queryset = Article.objects.select_for_update(of=("self",))
            try:
                return queryset.get(pk=object_id)
            except (Article.DoesNotExist, ValueError, ValidationError):
                return None
        return super().get_object(request, object_id, from_field)

    def get_inlines(self, request, obj):
        inlines = [BylineInline, ClaimInline, CorrectionInline]
        desk = obj.desk if obj else roles.desk_for_new_article(request.user)
        # Native advertising on the commercial desk's pieces; underwriting on the newsroom's
        # for those who manage it; and any sponsorship a piece carries, so it is seen.
        if (
            desk == Article.Desk.COMMERCIAL
            or request.user.has_perm("articles.manage_underwriting")
            or (obj is not None and obj.is_sponsored)
        ):
            inlines.insert(1, SponsorshipInline)
        if obj is not None:
            # Pins once the piece exists (the add page stays short), then its history.
            inlines += [RelatedPinInline, EventInline]
        return inlines

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        refused = getattr(request, "refused_save", None)

        class BoundToUser(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, refused=refused, **kw)

        return BoundToUser

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        extra = ["base_version"] if obj else []
        if obj is not None and obj.published_at is not None:
            extra.append("significant_change")
        if obj is not None and obj.is_published and obj.has_ai_byline:
            extra.append("review_change")
        if obj is not None:
            extra.append("overwrite")
        if extra:
            fieldsets.append(("Saving", {"fields": extra, "classes": ["saving"]}))
        return fieldsets

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or roles.can_read(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or roles.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        # Anything readers have ever seen is unpublished, never deleted.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (
            obj is None or (obj.published_at is None and roles.can_edit(request.user, obj))
        )

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # Bulk delete would skip the per-article check above.
        actions.pop("delete_selected", None)
        return actions

    # -- list columns -----------------------------------------------------------

    @admin.display(description="state", ordering="status")
    def status_badge(self, obj):
        return status_badges(obj)

    @admin.display(description="")
    def thumbnail(self, obj):
        return list_thumbnail(obj.lead_image)

    @admin.display(description="published", ordering="published_at")
    def published(self, obj):
        return compact_date(obj.published_at)

    @admin.display(description="byline")
    def byline_names(self, obj):
        return format_html_join(
            ", ", "{}", ((str(b.author),) for b in obj.byline_list if b.role == Byline.Role.BY)
        )

    @admin.display(description="current lead image")
    def lead_image_preview(self, obj):
        image = obj.lead_image if obj is not None else None
        if image is None:
            return "None: choose one above, or upload one with +."
        alt = image.alt_text or format_html(
            '<strong class="image-no-alt">{}</strong>', "No alt text yet: needed to publish."
        )
        return format_html(
            '{}<div class="image-preview-alt">{}</div>{}',
            image_thumbnail(image, width=160),
            alt,
            format_html("<div><strong>{}</strong></div>", image.reader_label)
            if image.reader_label
            else "",
        )

    # -- saving -------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model in (Sponsorship, Correction):
            # Saved through the workflow below; the admin's change message reads these.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is Sponsorship:
            return self._save_sponsorship(request, form.instance, formset)
        if formset.model is Correction:
            for correction_form in formset.extra_forms:
                data = correction_form.cleaned_data
                if data and not data.get("DELETE"):
                    workflow.add_correction(
                        form.instance,
                        by=request.user,
                        kind=data["kind"],
                        text=data["text"],
                        claims=data.get("claims") or (),
                        before=getattr(request, "claims_before_save", None),
                    )
            return None
        return super().save_formset(request, form, formset, change)

    def _save_sponsorship(self, request, article, formset):
        for sponsorship_form in formset.forms:
            data = sponsorship_form.cleaned_data
            if not data:
                continue
            if data.get("DELETE"):
                # Offered (``SponsorshipInline.has_delete_permission``) even where the rest
                # of the form is read-only, as on a live piece: the workflow takes it down.
                if sponsorship_form.instance.pk is not None:
                    before = article.status
                    sponsorships.remove_sponsorship(article, by=request.user)
                    if article.status != before:
                        self.message_user(
                            request,
                            "Its sponsorship was removed, so the piece was taken back: it is "
                            f"now {state_phrase(article)}.",
                            messages.WARNING,
                        )
            elif sponsorship_form.has_changed():
                sponsorships.set_sponsorship(
                    article,
                    by=request.user,
                    sponsor=data["sponsor"],
                    kind=data["kind"],
                    disclosure=data["disclosure"],
                    campaign_starts_on=data["campaign_starts_on"],
                    campaign_ends_on=data.get("campaign_ends_on"),
                )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        # Claims were saved after the article: number them in body order now.
        article.reorder_claims()
        reviewed = form.cleaned_data.get("review_change")
        pins = any(fs.model is RelatedPin and fs.has_changed() for fs in formsets)
        changed = ", ".join([*form.changed_data, *(["related articles"] if pins else [])])
        changed = changed or "related records"
        workflow.record_edit(
            article,
            by=request.user,
            note=f"Edited live: {changed}.",
            review_note="Reviewed while editing the published piece." if reviewed else None,
            known_problems=getattr(request, "problems_before_save", ()),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and str(object_id).isdigit():
            # What a live piece already fails does not block this save; what it adds does.
            before = Article.objects.for_detail().filter(pk=object_id).first()
            request.problems_before_save = workflow.live_problems(before) if before else []
            # What the claims read before this save, for a correction naming them.
            request.claims_before_save = claims_before_save(request, before)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WorkflowError as refused:
            # Raised while saving (a published piece that would fail its gates): Django's
            # transaction has undone the whole save. Show the same form again, bound to
            # what the editor sent, with the reasons as its errors.
            request.refused_save = refused.problems
            return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["article", "kind", "created_at", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["article", "created_by"]
    search_fields = ["article__headline", "text"]

    def get_queryset(self, request):
        # The firewall for reading: notes only of the articles the user may read.
        readable = Article.objects.readable_by(request.user)
        return super().get_queryset(request).filter(article__in=readable)

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
