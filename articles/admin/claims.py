"""Claims and their sources. The list shows the claims of the articles a user may read
and links to each article; a claim's sources page belongs to its article: only those who
may edit the article now open it, claims are added on the article (quoting its body), and
every save or removal is an edit of the article (``articles.publishing.sourcing``)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from articles.admin.display import article_link
from articles.admin.forms import PlainTextForm
from articles.models import Article, Byline
from articles.publishing import roles, sourcing
from articles.publishing.transitions import WorkflowError
from sources import verification
from sources.chains import chain_problems
from sources.citations import attribution_text, citation_text
from sources.models import Attribution, AttributionHop, Claim


class AttributionRowForm(forms.ModelForm):
    """A source row. Its further intermediaries (edited on the source's own page) must
    still make a valid chain with the document and intermediary chosen here."""

    def clean(self):
        cleaned = super().clean()
        hops = self.instance.hops.select_related("publisher") if self.instance.pk else []
        if hops and not cleaned.get("DELETE"):
            problems = chain_problems(
                document=cleaned.get("document"),
                via=cleaned.get("via"),
                via_on=cleaned.get("via_on"),
                hops=[(hop.publisher, hop.on) for hop in hops],
            )
            if problems:
                raise ValidationError(problems)
        return cleaned


class AttributionInline(admin.TabularInline):
    model = Attribution
    form = AttributionRowForm
    extra = 1
    autocomplete_fields = ["document", "via"]
    fields = ["position", "document", "via", "relation", "via_url", "via_on", "passage", "chain"]
    readonly_fields = ["chain"]

    def get_queryset(self, request):
        hops = AttributionHop.objects.select_related("publisher").order_by("position", "pk")
        return (
            super()
            .get_queryset(request)
            .select_related("document__publisher", "via")
            .prefetch_related(Prefetch("hops", queryset=hops))
        )

    @admin.display(description="chain of custody")
    def chain(self, obj):
        if not obj.pk:
            return "Save first, then add further intermediaries"
        url = reverse("admin:sources_attribution_change", args=[obj.pk])
        text = attribution_text(obj) if obj.via_id else "first-hand"
        return format_html('{} <a href="{}">Edit chain</a>', text, url)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "passage":  # the source's own words, checked against the claim
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 40})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def review_change_field() -> forms.BooleanField:
    """The box an editor ticks to record a review while changing a published piece's
    sources (its claim's page, a source's chain page)."""
    return forms.BooleanField(
        required=False,
        label="I reviewed this version",
        help_text="An AI agent is in this piece's byline, and readers are told that a human "
        "reviewed what they read, sources included. Tick to record your review as you save; "
        "without one, a change to the published piece is refused.",
    )


class ClaimSourcesForm(PlainTextForm):
    # Shown, not edited: the wording must quote the body, so it is edited with the body.
    # (A form field all the same, so that a claim the body no longer contains is an error
    # on it rather than on a field the form lacks.)
    text = forms.CharField(
        label="Claim",
        disabled=True,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Its wording is edited on the article, together with the body it quotes.",
    )
    review_change = review_change_field()
    # Why the workflow refused this very save a moment ago (and undid it).
    refused: list[str] = []

    class Meta:
        model = Claim
        fields = ["text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_review(self.instance.article):
            del self.fields["review_change"]

    def clean(self):
        cleaned = super().clean()
        if self.refused:
            live = self.instance.article.status == Article.Status.PUBLISHED
            raise ValidationError(
                [
                    "Nothing was saved: readers can see this article, so it must keep "
                    "passing its publish checks."
                    if live
                    else "Nothing was saved.",
                    *self.refused,
                ]
            )
        return cleaned


def needs_review(article: Article) -> bool:
    """Whether a change to ``article`` must come with the editor's review of it."""
    return article.is_published and article.has_ai_byline


class RefusedEditMixin:
    """A save or delete of a claim's sources is an edit of its article, which the workflow
    may refuse (a published piece would fail its publish gates, or the article changed
    hands meanwhile) by raising inside the admin's transaction, which undoes it. The form
    comes back bound to what the editor sent, with the reasons as errors; a refused
    delete says why on the page it came from."""

    change_title = ""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "refused_save", None)
        return type(form.__name__, (form,), {"refused": refused}) if refused else form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {"title": self.change_title, **(extra_context or {})}
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WorkflowError as refused:
            request.refused_save = refused.problems
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except WorkflowError as refused:
            self.message_user(request, f"Nothing was removed: {refused}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(Claim)
class ClaimAdmin(RefusedEditMixin, admin.ModelAdmin):
    change_title = "Sources of a claim"
    form = ClaimSourcesForm
    list_display_links = None
    search_fields = ["text", "article__headline"]
    actions = None
    readonly_fields = ["article_link"]
    inlines = [AttributionInline]

    def get_queryset(self, request):
        # The firewall for reading, and what roles.can_edit asks (bylines), for every row.
        readable = Article.objects.readable_by(request.user)
        bylines = Byline.objects.select_related("author")
        return (
            super()
            .get_queryset(request)
            .with_citations()
            .filter(article__in=readable)
            .select_related("article")
            .prefetch_related(Prefetch("article__bylines", queryset=bylines))
        )

    def get_fields(self, request, obj=None):
        fields = ["article_link", "text"]
        return [*fields, "review_change"] if obj and needs_review(obj.article) else fields

    def get_list_display(self, request):
        @admin.display(description="")
        def edit_sources(claim):
            if not roles.can_edit(request.user, claim.article):
                return ""
            url = reverse("admin:sources_claim_change", args=[claim.pk])
            return format_html('<a href="{}">Edit sources</a>', url)

        return ["__str__", "article_link", "sources", "attached", "checked", edit_sources]

    # -- who may do what: the claim's page is part of editing its article -------------

    def _may_edit(self, request, claim) -> bool:
        return roles.can_edit(request.user, claim.article)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or self._may_edit(request, obj))

    def has_add_permission(self, request):
        # Claims are added on their article, quoting its body.
        return False

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return False  # the list is read-only
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return False
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    # -- columns ----------------------------------------------------------------------

    @admin.display(description="article", ordering="article__headline")
    def article_link(self, obj):
        return article_link(obj.article)

    @admin.display(description="sources")
    def sources(self, obj):
        text = citation_text(obj.attributions.all())
        return text or format_html('<strong style="color:#9b1c1c">{}</strong>', "No source yet")

    @admin.display(description="in body", boolean=True)
    def attached(self, obj):
        return not obj.is_detached()

    @admin.display(description="checked")
    def checked(self, obj):
        """Whether a reviewer verified the claim against its passages, as it reads now."""
        check = verification.current_check(obj)
        if check is None:
            return "Not verified"
        return f"{check.get_verdict_display()} by {verification.checker_name(check)}"

    # -- saving, as edits of the article ------------------------------------------------

    def save_model(self, request, obj, form, change):
        # Nothing of the claim itself changes here; its sources are saved below.
        pass

    def save_related(self, request, form, formsets, change):
        if not any(formset.has_changed() for formset in formsets):
            # Nothing is written, so nothing to record; the admin still reads the formsets.
            return super().save_related(request, form, formsets, change)
        parent = super()
        reviewed = form.cleaned_data.get("review_change")
        return sourcing.change_sources(
            form.instance,
            by=request.user,
            save=lambda: parent.save_related(request, form, formsets, change),
            review_note="Reviewed while changing the sources of the published piece."
            if reviewed
            else None,
        )

    def delete_model(self, request, obj):
        sourcing.remove_claim(obj, by=request.user)

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        if "_continue" in request.POST:
            return response
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.article_id]))
