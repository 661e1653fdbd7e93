import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat, pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from rest_framework_api_key.admin import APIKeyModelAdmin

from articles import renditions, revisions, roles, webhooks, workflow
from articles.forms import ImageForm
from articles.models import (
    Article,
    ArticleEvent,
    Author,
    Byline,
    Correction,
    Image,
    PartnerKey,
    Rendition,
    Revision,
    Section,
    Sponsor,
    Sponsorship,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from articles.preview import preview_url
from articles.workflow import WorkflowError
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
    # Explicit: the Count annotation below makes Django ignore Meta.ordering, and the
    # autocomplete (section picker) paginates, which needs a fixed order.
    ordering = ["position", "name"]
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
    ordering = ["name"]  # as SectionAdmin: annotated, so Meta.ordering is dropped
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


def image_thumbnail(image: Image, *, width: int = 80) -> str:
    """The admin's small preview of an image: its square 160 px WebP rendition at ``width``."""
    try:
        thumbnail = renditions.get_rendition(image, "thumbnail", "webp")
    except renditions.RenditionError:
        return format_html('<span class="image-missing">{}</span>', "Image file unreadable")
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}" loading="lazy" class="image-thumbnail">',
        thumbnail.file.url,
        width,
        round(width * thumbnail.height / thumbnail.width),
    )


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "__str__", "source_kind", "credit", "size", "usage", "uploaded_at"]
    list_filter = ["source_kind", "format"]
    search_fields = ["caption", "credit", "alt_text"]
    ordering = ["-uploaded_at"]  # as SectionAdmin: annotated, so Meta.ordering is dropped
    readonly_fields = ["focal_point_picker", "facts", "uploaded_at", "used_by"]
    fieldsets = [
        (None, {"fields": ["file", "alt_text", "caption", "credit", "copyright", "source_kind"]}),
        (
            "Focal point",
            {
                "fields": ["focal_point_picker", ("focal_x", "focal_y")],
                "description": "Crops (cards, thumbnails, social cards) keep this point in frame.",
            },
        ),
        ("File", {"fields": ["facts", "uploaded_at"]}),
        ("Used by", {"fields": ["used_by"]}),
    ]

    class Media:
        css = {"all": ["articles/focal_point.css"]}
        js = ["articles/focal_point.js"]

    def get_queryset(self, request):
        # The list's thumbnails in one query; renditions.get_rendition reads them from here.
        thumbnails = Rendition.objects.filter(spec="thumbnail", format="webp")
        return (
            super()
            .get_queryset(request)
            .annotate(n_articles=Count("articles"))
            .prefetch_related(Prefetch("renditions", queryset=thumbnails))
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            renditions.delete_stale(obj)

    def delete_model(self, request, obj):
        renditions.delete_files(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for image in queryset:
            renditions.delete_files(image)
        super().delete_queryset(request, queryset)

    @admin.display(description="")
    def thumbnail(self, obj):
        return image_thumbnail(obj)

    @admin.display(description="size")
    def size(self, obj):
        return f"{obj.width}×{obj.height}" if obj.width else "—"

    @admin.display(description="used by", ordering="n_articles")
    def usage(self, obj):
        return f"{obj.n_articles} article{pluralize(obj.n_articles)}" if obj.n_articles else "—"

    @admin.display(description="file")
    def facts(self, obj):
        if obj is None or not obj.pk:
            return "—"
        return format_html(
            "{}×{} pixels · {} · {}<br><small>SHA-256 {}</small>",
            obj.width,
            obj.height,
            obj.format or "?",
            filesizeformat(obj.bytes or 0),
            obj.sha256 or "not recorded",
        )

    @admin.display(description="pick")
    def focal_point_picker(self, obj):
        if obj is None or not obj.pk:
            return "Save the image first; then click its subject here to set the focal point."
        try:
            preview = renditions.get_rendition(obj, "hero", "webp", width=480)
        except renditions.RenditionError:
            return "—"
        return format_html(
            '<div class="focal-picker" data-focal-x="id_focal_x" data-focal-y="id_focal_y">'
            '<img src="{}" width="{}" height="{}" alt="Click the subject of the picture">'
            '<span class="focal-marker" style="left:{}%;top:{}%"></span></div>'
            '<div class="help">Click the subject of the picture, or type the point below '
            "(0 to 1 from the top left).</div>",
            preview.file.url,
            preview.width,
            preview.height,
            round(obj.focal_x * 100, 1),
            round(obj.focal_y * 100, 1),
        )

    @admin.display(description="lead image of")
    def used_by(self, obj):
        articles = list(obj.articles.order_by("-updated_at")) if obj and obj.pk else []
        if not articles:
            return "No article uses this image yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[a.pk]),
                        a.headline,
                        a.get_status_display(),
                    )
                    for a in articles
                ),
            ),
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
    autocomplete_fields = ["author"]
    fields = ["position", "author", "role"]
    ordering = ["position"]


class SponsorshipFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if not self.has_changed():
            return
        if problem := workflow.sponsorship_problem(self.user, self.instance):
            removing = all(f.cleaned_data.get("DELETE") for f in self.forms if f.cleaned_data)
            if not removing:
                raise ValidationError(problem)


class SponsorshipInline(admin.StackedInline):
    """Shown on commercial-desk pieces only; saved through the audited workflow functions."""

    model = Sponsorship
    formset = SponsorshipFormSet
    extra = 0
    max_num = 1
    autocomplete_fields = ["sponsor"]
    fields = ["sponsor", "kind", "disclosure", "campaign_starts_on", "campaign_ends_on"]
    verbose_name = "sponsorship (makes this article sponsored content)"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset

    def _may_change(self, request, obj) -> bool:
        article = obj if obj is not None else Article(desk=roles.desk_for_new_article(request.user))
        return not workflow.sponsorship_problem(request.user, article)

    def has_add_permission(self, request, obj=None):
        return self._may_change(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("articles.manage_sponsored_content")


class ClaimInline(admin.TabularInline):
    model = Claim
    extra = 0
    fields = ["text", "sources", "edit_sources"]
    readonly_fields = ["sources", "edit_sources"]

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


class CorrectionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        adding = any(
            form.cleaned_data and not form.cleaned_data.get("DELETE") for form in self.extra_forms
        )
        if getattr(self.instance, "_significant_change", False) and not adding:
            raise ValidationError(
                "You marked this edit as significant: add a correction or update note that "
                "tells readers what changed."
            )


class CorrectionInline(admin.StackedInline):
    """Existing notes are read-only (append-only); new ones go through the workflow."""

    model = Correction
    formset = CorrectionFormSet
    extra = 0
    fields = ["kind", "text", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    can_delete = False
    verbose_name = "correction or update note"

    def has_add_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.published_at is not None
            and request.user.has_perm("articles.add_correction")
        )

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = ArticleEvent
    extra = 0
    can_delete = False
    verbose_name = "audit event"
    verbose_name_plural = "audit trail"
    fields = ["created_at", "actor_name", "action", "from_status", "to_status", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # The trail is part of the article: whoever may open the article reads its history.
        # (No role carries a permission on ArticleEvent itself, so the default check
        # hid the trail from everyone but superusers and administrators.)
        return request.user.has_perm("articles.view_article") or request.user.has_perm(
            "articles.change_article"
        )


def diff_html(changes: list[revisions.FieldDiff], per_field: int = 6) -> str:
    """A compact list of removed and added lines, field by field."""

    def marked(op: str, text: str) -> str:
        return format_html("<del>{}</del>" if op == "-" else "<ins>{}</ins>", text)

    return format_html_join(
        "",
        "<li><strong>{}</strong>: {}</li>",
        (
            (
                change.label,
                format_html_join(
                    " ",
                    "{}",
                    ((marked(op, text),) for op, text in change.lines[:per_field] if op != " "),
                ),
            )
            for change in changes
        ),
    )


class ArticleForm(forms.ModelForm):
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    significant_change = forms.BooleanField(
        required=False,
        label="Significant change",
        help_text="Changes a fact readers may have relied on: requires a correction or "
        "update note below.",
    )
    overwrite = forms.BooleanField(
        required=False,
        label="Save mine anyway",
        help_text="Someone else saved this article while you were editing. Tick to save your "
        "version over theirs; theirs stays in the revision history.",
    )

    class Meta:
        model = Article
        fields = [
            "headline",
            "dek",
            "body",
            "section",
            "type_of_work",
            "tags",
            "language",
            "ai_involvement",
            "lead_image",
            "slug",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance._state.adding and user is not None:
            # Known before validation, so the sponsorship inline can check the desk.
            self.instance.desk = roles.desk_for_new_article(user)
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version
        else:
            del self.fields["base_version"]
        if self.instance.published_at is None:
            del self.fields["significant_change"]
        if "base_version" not in self.data and self.add_prefix("overwrite") not in self.data:
            self.fields["overwrite"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        if cleaned.get("significant_change") and "body" in self.changed_data:
            # Read by CorrectionFormSet, which validates against the same instance.
            self.instance._significant_change = True
        base = cleaned.get("base_version")
        if base is not None and base != self.instance.version and not cleaned.get("overwrite"):
            self.fields["overwrite"].widget = forms.CheckboxInput()
            raise ValidationError(self._conflict_message(base))
        return cleaned

    def _conflict_message(self, base: int):
        article = self.instance
        theirs = article.revisions.filter(kind=Revision.Kind.SAVED).first()
        mine = revisions.snapshot(article) | {
            field: self.cleaned_data[field]
            for field in revisions.CONTENT_FIELDS
            if field in self.cleaned_data
        }
        kept = revisions.record(
            article,
            by=self.user,
            kind=Revision.Kind.REFUSED,
            note=f"Refused: based on version {base}, but version {article.version} was saved.",
            data=mine,
        )
        base_revision = (
            article.revisions.filter(version=base).exclude(kind=Revision.Kind.REFUSED).first()
        )
        # What they changed since the version this editor started from; without a
        # stored base (an article never saved in the admin), how theirs differs from mine.
        changed = (
            revisions.diff(base_revision.data if base_revision else mine, theirs.data)
            if theirs
            else []
        )
        who = theirs.created_by_name if theirs else "someone"
        when = timezone.localtime(theirs.created_at).strftime("%H:%M") if theirs else ""
        compare = reverse("admin:articles_article_revisions", args=[article.pk])
        if theirs:
            compare += f"?a={theirs.number}&b={kept.number}"
        details = diff_html(changed)
        return format_html(
            "Edit conflict: {} saved this article at {} while you were editing "
            "(version {} → {}). They changed: {}. Your text is kept in the form below and "
            'was saved as revision {} so it cannot be lost. <a href="{}">Compare the '
            "versions</a>, then tick “Save mine anyway” to overwrite, or reload to start "
            'from their version.<ul class="conflict-diff">{}</ul>',
            who,
            when,
            base,
            article.version,
            ", ".join(c.label.lower() for c in changed) or "details",
            kept.number,
            compare,
            details,
        )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = [
        "headline",
        "status_badge",
        "label",
        "byline_names",
        "section",
        "type_of_work",
        "ai_involvement",
        "published_at",
    ]
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
    autocomplete_fields = ["section", "lead_image"]
    # Set only by the workflow and by saving, never typed in.
    readonly_fields = [
        "status",
        "desk",
        "scheduled_for",
        "published_at",
        "version",
        "created_by",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["headline", "dek", "body"]}),
        (
            "About this piece",
            {"fields": ["section", "type_of_work", "tags", "language", "ai_involvement"]},
        ),
        ("Lead image", {"fields": ["lead_image", "lead_image_preview"]}),
        ("Publishing", {"fields": ["slug", *readonly_fields]}),
    ]
    # Added after the fieldsets: the preview belongs with the lead image, not under Publishing.
    readonly_fields = [*readonly_fields, "lead_image_preview"]

    # -- what each user may see and do ----------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()

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
        if desk == Article.Desk.COMMERCIAL:
            inlines.insert(1, SponsorshipInline)
        if obj is not None:
            inlines.append(EventInline)
        return inlines

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class BoundToUser(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return BoundToUser

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        extra = ["base_version"] if obj else []
        if obj is not None and obj.published_at is not None:
            extra.append("significant_change")
        if obj is not None:
            extra.append("overwrite")
        if extra:
            fieldsets.append(("Saving", {"fields": extra, "classes": ["saving"]}))
        return fieldsets

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
                        form.instance, by=request.user, kind=data["kind"], text=data["text"]
                    )
            return None
        return super().save_formset(request, form, formset, change)

    def _save_sponsorship(self, request, article, formset):
        for sponsorship_form in formset.forms:
            data = sponsorship_form.cleaned_data
            if not data or not sponsorship_form.has_changed():
                continue
            if data.get("DELETE"):
                workflow.remove_sponsorship(article, by=request.user)
            else:
                workflow.set_sponsorship(
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
        workflow.record_edit(article, by=request.user)

    # -- workflow views -------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/transition/<str:name>/",
                view(self.transition_view),
                name="articles_article_transition",
            ),
            path("<int:pk>/review/", view(self.review_view), name="articles_article_review"),
            path(
                "<int:pk>/revisions/", view(self.revisions_view), name="articles_article_revisions"
            ),
            path(
                "<int:pk>/revisions/<int:number>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            path(
                "<int:pk>/preview-link/",
                view(self.preview_link_view),
                name="articles_article_preview_link",
            ),
            *super().get_urls(),
        ]

    def _article_or_404(self, request, pk) -> Article:
        article = Article.objects.for_detail().filter(pk=pk).first()
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404
        return article

    def _back(self, article):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def _refused(self, request, exc: WorkflowError, what: str):
        self.message_user(
            request,
            format_html(
                "{} was refused:<ul>{}</ul>",
                what,
                format_html_join("", "<li>{}</li>", ((p,) for p in exc.problems)),
            ),
            messages.ERROR,
        )

    def transition_view(self, request, pk, name):
        if request.method != "POST" or name not in workflow.TRANSITIONS:
            raise Http404
        article = self._article_or_404(request, pk)
        transition = workflow.TRANSITIONS[name]
        note = request.POST.get("note", "")
        try:
            match name:
                case "schedule":
                    at = forms.DateTimeField().clean(request.POST.get("scheduled_for"))
                    workflow.schedule(article, by=request.user, at=at)
                case "request_changes" | "unpublish":
                    getattr(workflow, name)(article, by=request.user, note=note)
                case _:
                    getattr(workflow, name)(article, by=request.user)
        except ValidationError as exc:
            self._refused(request, WorkflowError(exc.messages), transition.label)
        except WorkflowError as exc:
            self._refused(request, exc, transition.label)
        else:
            self.message_user(request, f"{transition.label}: done.", messages.SUCCESS)
        return self._back(article)

    def review_view(self, request, pk):
        if request.method != "POST":
            raise Http404
        article = self._article_or_404(request, pk)
        try:
            workflow.record_review(article, by=request.user, note=request.POST.get("note", ""))
        except WorkflowError as exc:
            self._refused(request, exc, "Recording your review")
        else:
            self.message_user(
                request, f"Your review of version {article.version} is recorded.", messages.SUCCESS
            )
        return self._back(article)

    def revisions_view(self, request, pk):
        article = self._article_or_404(request, pk)
        history = list(article.revisions.all())
        by_number = {r.number: r for r in history}
        try:
            old = by_number.get(int(request.GET.get("a", 0)))
            new = by_number.get(int(request.GET.get("b", 0)))
        except ValueError:
            raise Http404 from None
        # By default: the latest revision against the one before it.
        new = new or (history[0] if history else None)
        old = old or (history[1] if len(history) > 1 else None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Revisions of “{article}”",
            "article": article,
            "history": history,
            "old": old,
            "new": new,
            "changes": revisions.diff(old.data, new.data) if old and new else [],
            "may_restore": roles.can_edit(request.user, article),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def restore_view(self, request, pk, number):
        if request.method != "POST":
            raise Http404
        article = self._article_or_404(request, pk)
        if not roles.can_edit(request.user, article):
            raise PermissionDenied
        revision = get_object_or_404(Revision, article=article, number=number)
        new, warnings = revisions.restore(revision, by=request.user)
        self.message_user(
            request,
            f"Restored revision {number} as revision {new.number}; nothing was overwritten.",
            messages.SUCCESS,
        )
        for warning in warnings:
            self.message_user(request, warning, messages.WARNING)
        return self._back(article)

    def preview_link_view(self, request, pk):
        if request.method != "POST":
            raise Http404
        article = self._article_or_404(request, pk)
        url = request.build_absolute_uri(preview_url(article))
        days = settings.PREVIEW_LINK_MAX_AGE // 86400
        self.message_user(
            request,
            format_html(
                'Share this preview link (valid {} days, no account needed): <a href="{}">{}</a>',
                days,
                url,
                url,
            ),
            messages.SUCCESS,
        )
        return self._back(article)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(
                transitions=workflow.available_transitions(request.user, obj),
                gate_problems=workflow.publish_problems(
                    Article.objects.for_detail().get(pk=obj.pk)
                ),
                may_review=obj.has_ai_byline or obj.status == Article.Status.IN_REVIEW,
                latest_review=obj.reviews.first(),
                last_change_request=obj.events.filter(action="request_changes").first(),
                revision_count=obj.revisions.count(),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


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


@admin.register(PartnerKey)
class PartnerKeyAdmin(APIKeyModelAdmin):
    """Keys are shown once, on creation; revoking one takes effect on the next request."""

    list_display = [
        *APIKeyModelAdmin.list_display,
        "partner",
        "agent",
        "user",
        "can_draft",
        "can_transition",
        "last_used_at",
    ]
    list_filter = [*APIKeyModelAdmin.list_filter, "can_draft", "can_transition"]
    search_fields = [*APIKeyModelAdmin.search_fields, "partner", "agent__name", "user__username"]
    list_select_related = ["agent", "user"]
    autocomplete_fields = ["agent", "user"]


# -- partner webhooks ------------------------------------------------------------------


class WebhookEndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=WebhookEndpoint.Event.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["partner", "url", "events", "active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if problem := webhooks.url_problem(url):
            raise ValidationError(problem)
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """The signing secret is shown once, when the endpoint is added. An inactive
    endpoint gets no new events; its pending deliveries wait until it is active again."""

    form = WebhookEndpointForm
    list_display = ["partner", "url", "event_list", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["partner", "url"]

    @admin.display(description="events")
    def event_list(self, endpoint: WebhookEndpoint) -> str:
        return ", ".join(endpoint.events)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.secret = webhooks.new_secret()
        super().save_model(request, obj, form, change)
        if not change:
            self.message_user(
                request,
                format_html(
                    "Signing secret for {}: <code>{}</code> — give it to the partner now; "
                    "it is not shown again.",
                    obj,
                    obj.secret,
                ),
                messages.WARNING,
            )


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["attempted_at", "status_code", "error", "duration_ms"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: what was sent to whom, and every attempt's answer."""

    list_display = [
        "event",
        "endpoint",
        "article",
        "state",
        "attempts",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["state", "event"]
    list_select_related = ["endpoint", "article"]
    search_fields = ["endpoint__partner", "endpoint__url", "article__headline"]
    fields = [
        "event",
        "endpoint",
        "article",
        "state",
        "attempts",
        "next_attempt_at",
        "created_at",
        "delivered_at",
        "payload_json",
    ]
    readonly_fields = fields
    inlines = [WebhookAttemptInline]
    actions = ["retry_now"]

    @admin.display(description="payload")
    def payload_json(self, delivery: WebhookDelivery) -> str:
        return format_html("<pre>{}</pre>", json.dumps(delivery.payload, indent=2))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Each delivery's page is read-only; change permission on the list guards “Retry now”.
        return obj is None and super().has_change_permission(request)

    @admin.action(description="Retry now", permissions=["change"])
    def retry_now(self, request, queryset):
        count = webhooks.retry_now(queryset)
        self.message_user(
            request,
            f"{count} deliver{'y' if count == 1 else 'ies'} queued to be sent again.",
            messages.SUCCESS,
        )
