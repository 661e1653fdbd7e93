"""A source's chain of custody: the outlets that passed a document on to us, in order.

An attribution's page (linked from each source row of a claim's sources page) edits its
first intermediary and the further ones (hops). It is part of editing the claim's
article, like the claim's page: only those who may edit the article open it, and every
save is an edit of the article (``articles.publishing.sourcing``: recorded, checked
against the publish gates, reviewed first on a live AI-written piece). The chain's rules
are ``sources.chains``'.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from articles.admin.claims import RefusedEditMixin, needs_review, review_change_field
from articles.admin.display import article_link
from articles.models import Article
from articles.publishing import roles, sourcing
from sources.chains import chain_problems
from sources.citations import attribution_text
from sources.models import Attribution, AttributionHop


class HopForm(forms.ModelForm):
    class Meta:
        model = AttributionHop
        fields = ["position", "publisher", "relation", "url", "on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, a new row goes to the end of the chain.
        self.fields["position"].required = False
        self.fields["position"].help_text = "Empty: after the others."

    def validate_constraints(self):
        # Positions are checked among the rows (HopFormSet) and renumbered on save, so
        # two hops may swap places: no check of one row against the stored ones.
        pass


class HopFormSet(BaseInlineFormSet):
    """The further intermediaries, checked as one chain with the attribution's own
    document and first intermediary (as the page's form left them)."""

    def kept(self) -> list[forms.ModelForm]:
        """The rows to keep, in chain order (position, then as listed)."""
        rows = [
            (index, form)
            for index, form in enumerate(self.forms)
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

        def order(row):
            index, form = row
            position = form.cleaned_data.get("position")
            return (position is None, position or 0, index)

        return [form for _, form in sorted(rows, key=order)]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        attribution = self.instance
        problems = chain_problems(
            document=attribution.document,
            via=attribution.via,
            via_on=attribution.via_on,
            hops=[(f.cleaned_data["publisher"], f.cleaned_data.get("on")) for f in self.kept()],
        )
        if problems:
            raise ValidationError(problems)

    def save(self, commit=True):
        # The chain is written whole, numbered from 0: positions as typed may swap or
        # leave gaps, which the database's one-position-per-hop rule would refuse midway.
        hops = [
            AttributionHop(
                attribution=self.instance,
                position=position,
                **{name: form.cleaned_data[name] for name in ["publisher", "relation", "url"]},
                on=form.cleaned_data.get("on"),
            )
            for position, form in enumerate(self.kept())
        ]
        self.instance.hops.all().delete()
        AttributionHop.objects.bulk_create(hops)
        self.new_objects, self.changed_objects, self.deleted_objects = hops, [], []
        return hops


class HopInline(admin.TabularInline):
    model = AttributionHop
    form = HopForm
    formset = HopFormSet
    extra = 1
    autocomplete_fields = ["publisher"]
    fields = ["position", "publisher", "relation", "url", "on"]
    ordering = ["position", "pk"]
    verbose_name = "further intermediary"
    verbose_name_plural = (
        "further intermediaries, in order (each passed the source on from the one before)"
    )


class AttributionChainForm(forms.ModelForm):
    review_change = review_change_field()
    # Why the workflow refused this very save a moment ago (and undid it).
    refused: list[str] = []

    class Meta:
        model = Attribution
        fields = ["via", "relation", "via_url", "via_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_review(self.instance.claim.article):
            del self.fields["review_change"]

    def clean(self):
        cleaned = super().clean()
        if self.refused:
            live = self.instance.claim.article.status == Article.Status.PUBLISHED
            intro = "Nothing was saved"
            if live:
                intro += ": readers can see this article, so it must keep passing its checks"
            raise ValidationError([f"{intro}.", *self.refused])
        return cleaned


@admin.register(Attribution)
class AttributionAdmin(RefusedEditMixin, admin.ModelAdmin):
    change_title = "Chain of custody of a source"
    form = AttributionChainForm
    inlines = [HopInline]
    autocomplete_fields = ["via"]
    readonly_fields = ["claim_link", "document", "reads"]
    actions = None

    def get_queryset(self, request):
        readable = Article.objects.readable_by(request.user)
        return (
            super()
            .get_queryset(request)
            .filter(claim__article__in=readable)
            .select_related("claim__article", "document__publisher", "via")
        )

    def get_fields(self, request, obj=None):
        fields = ["claim_link", "document", "reads", "via", "relation", "via_url", "via_on"]
        return [*fields, "review_change"] if obj and needs_review(obj.claim.article) else fields

    # -- who may do what: part of editing the claim's article --------------------------

    def _may_edit(self, request, obj) -> bool:
        return obj is not None and roles.can_edit(request.user, obj.claim.article)

    def has_module_permission(self, request):
        return False  # reached from a claim's sources, never listed

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_add_permission(self, request):
        return False  # sources are added on the claim's page

    def has_delete_permission(self, request, obj=None):
        # Removing a source here is removing it on the claim's page: the same door below.
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    # -- what is shown -------------------------------------------------------------------

    @admin.display(description="claim")
    def claim_link(self, obj):
        url = reverse("admin:sources_claim_change", args=[obj.claim_id])
        return format_html(
            '<a href="{}">{}</a> (in {})', url, obj.claim, article_link(obj.claim.article)
        )

    @admin.display(description="readers see")
    def reads(self, obj):
        return attribution_text(obj)

    # -- saving, as an edit of the article ------------------------------------------------

    def save_model(self, request, obj, form, change):
        pass  # saved with its chain, below

    def save_related(self, request, form, formsets, change):
        if not form.has_changed() and not any(fs.has_changed() for fs in formsets):
            return super().save_related(request, form, formsets, change)
        parent = super()

        def save():
            form.instance.save()
            parent.save_related(request, form, formsets, change)

        reviewed = form.cleaned_data.get("review_change")
        sourcing.change_sources(
            form.instance.claim,
            by=request.user,
            save=save,
            review_note="Reviewed while changing a chain of custody on the published piece."
            if reviewed
            else None,
        )

    def delete_model(self, request, obj):
        request.deleted_from_claim = obj.claim_id
        sourcing.change_sources(obj.claim, by=request.user, save=obj.delete)

    def response_delete(self, request, obj_display, obj_id):
        super().response_delete(request, obj_display, obj_id)  # its message
        claim = request.deleted_from_claim
        return HttpResponseRedirect(reverse("admin:sources_claim_change", args=[claim]))

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        if "_continue" in request.POST:
            return response
        return HttpResponseRedirect(reverse("admin:sources_claim_change", args=[obj.claim_id]))
