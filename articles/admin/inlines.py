"""What the article page holds beside the article's own fields: bylines, the
sponsorship, claims, correction notes, pinned related articles and the audit trail."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.urls import reverse
from django.utils.html import format_html

from articles.admin.claim_corrections import NamedClaims
from articles.admin.forms import (
    BylineFormSet,
    CorrectionFormSet,
    PlainTextForm,
    SponsorshipFormSet,
)
from articles.models import Article, ArticleEvent, Byline, Correction, RelatedPin, Sponsorship
from articles.publishing import roles, sponsorships
from articles.querysets import readable_desks
from sources.citations import citation_text
from sources.models import Claim


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineFormSet
    extra = 0
    autocomplete_fields = ["author"]
    fields = ["position", "author", "role"]
    ordering = ["position"]


class SponsorshipInline(admin.StackedInline):
    """Native advertising on commercial-desk pieces, underwriting on newsroom ones (the
    formset offers only the desk's kind); ``articles.publishing.sponsorships`` says who may
    change it and when, and saving goes through its audited functions."""

    model = Sponsorship
    formset = SponsorshipFormSet
    extra = 0
    max_num = 1
    autocomplete_fields = ["sponsor"]
    fields = ["sponsor", "kind", "disclosure", "campaign_starts_on", "campaign_ends_on"]
    verbose_name = "sponsorship (readers see its label with the article)"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset

    def _article(self, request, obj) -> Article:
        return obj if obj is not None else Article(desk=roles.desk_for_new_article(request.user))

    def _page_saves(self, request, obj) -> bool:
        # Editable only where the article page itself can be saved: a standards editor
        # reads the piece here and changes its underwriting on the Underwriting page.
        return obj is None or roles.can_edit(request.user, obj)

    def has_add_permission(self, request, obj=None):
        article = self._article(request, obj)
        return self._page_saves(request, obj) and not sponsorships.sponsorship_problem(
            request.user, article
        )

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None
            and self._page_saves(request, obj)
            and not sponsorships.manage_problem(request.user, obj)
        )


class ClaimInline(admin.TabularInline):
    model = Claim
    form = PlainTextForm  # a claim's text is unique within its article
    extra = 0
    fields = ["text", "sources", "edit_sources"]
    readonly_fields = ["sources", "edit_sources"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_citations()

    def get_fields(self, request, obj=None):
        # The sources page is part of editing the article: no link for those who only read it.
        fields = super().get_fields(request, obj)
        if obj is not None and not roles.can_edit(request.user, obj):
            return [field for field in fields if field != "edit_sources"]
        return fields

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


class CorrectionInline(NamedClaims, admin.StackedInline):
    """Existing notes are read-only (append-only); new ones go through the workflow."""

    model = Correction
    formset = CorrectionFormSet
    extra = 0
    fields = ["kind", "text", "claims", "created_at", "created_by"]
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


class ChosenArticleSelect(AutocompleteSelect):
    """The autocomplete, drawing a saved pin's article from the row the inline already
    read (``chosen``) instead of with a query per pin."""

    chosen = None

    def optgroups(self, name, value, attr=None):
        chosen = self.chosen
        if chosen is None or {str(v) for v in value if v} != {str(chosen.pk)}:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(chosen)
        options.append(self.create_option(name, chosen.pk, label, True, len(options)))
        return [(None, options, 0)]


class RelatedPinInline(admin.TabularInline):
    """Pieces shown first in the article's "Related" block, in this order, once they are
    published. Pinned by whoever may edit the article; a piece is found by headline among
    those the editor may read (the firewall: no newsroom editor sees a commercial draft)."""

    model = RelatedPin
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["related"]
    fields = ["position", "related"]
    ordering = ["position", "pk"]
    verbose_name_plural = "pinned related articles (shown first under this one, once published)"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "related":
            # What the autocomplete offers is also all a crafted request may choose.
            kwargs["queryset"] = Article.objects.readable_by(request.user)
            kwargs["widget"] = ChosenArticleSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        desks = readable_desks(request.user)

        class Pins(formset):
            def _construct_form(self, i, **kwargs):
                form = super()._construct_form(i, **kwargs)
                pinned = form.instance.related if form.instance.related_id else None
                field = form.fields.get("related")
                # Only what the editor may read is drawn from the row (as the queryset
                # would): a commercial draft's headline never reaches the newsroom.
                if (
                    field
                    and pinned
                    and (pinned.status == Article.Status.PUBLISHED or pinned.desk in desks)
                ):
                    getattr(field.widget, "widget", field.widget).chosen = pinned
                return form

        return Pins

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "related")

    # Pins are part of the article: its own permissions decide, as for its bylines.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("articles.change_article") and (
            obj is None or roles.can_edit(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


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
        # The trail is part of the article: whoever may open the article reads its history,
        # reporters included, though only some roles may browse the cross-article log.
        return request.user.has_perm("articles.view_article") or request.user.has_perm(
            "articles.change_article"
        )
