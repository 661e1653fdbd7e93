"""The "Front page" page of the admin: the home page's top stories as readers see them
now, and a form to pin a story to a position until a time, move stories by number, mark
slots for sponsored pieces, and unpin. Saving goes through
``articles.publishing.front_page.save`` (checks, history, refreshing the home page)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from articles.models import TOP_STORIES, Article, FrontPageSlot
from articles.publishing import front_page
from articles.publishing.front_page import Kind, Placement

RECENT_CHANGES = 15


class PreloadedAutocomplete(AutocompleteSelect):
    """The admin's autocomplete, drawing the chosen story from ``known`` (read for the
    whole page at once) rather than one query per row."""

    known: dict[str, Article] = {}

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # Shown while nothing is pinned; also gives select2's box a name screen readers say.
        attrs["data-placeholder"] = "Automatic: search to pin a story"
        return attrs

    def optgroups(self, name, value, attr=None):
        options = [self.create_option(name, "", "", False, 0)]
        for pk in value:
            if (article := self.known.get(str(pk))) is not None:
                options.append(self.create_option(name, pk, article.headline, True, len(options)))
        return [(None, options, 0)]


class SlotForm(forms.Form):
    position = forms.IntegerField(widget=forms.HiddenInput)
    # The story shown here now: moving a position that shows an automatic story pins it.
    shown = forms.IntegerField(widget=forms.HiddenInput, required=False)
    order = forms.IntegerField(
        min_value=1,
        max_value=TOP_STORIES,
        widget=forms.NumberInput(attrs={"class": "vIntegerField front-page-order"}),
    )
    kind = forms.ChoiceField(
        choices=[(Kind.TOP, "Top story"), (Kind.SPONSORED, "Sponsored")], required=False
    )
    article = forms.IntegerField(required=False)
    pinned_until = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Blank: 24 hours from now.",
    )

    def __init__(self, *args, known=None, **kwargs):
        super().__init__(*args, **kwargs)
        widget = PreloadedAutocomplete(FrontPageSlot._meta.get_field("article"), admin.site)
        widget.known = known or {}
        widget.choices = []
        self.fields["article"].widget = widget


SlotFormSet = forms.formset_factory(SlotForm, extra=0, min_num=TOP_STORIES, max_num=TOP_STORIES)


def _placements(formset, articles: dict[int, Article]) -> tuple[dict, dict]:
    """The placements the submitted rows ask for (rows re-sorted by their numbers, each
    story moving with its row, each kind staying with its position), and which row ended
    where, to put errors back on the row the editor touched."""
    rows = sorted(
        formset.forms, key=lambda f: (f.cleaned_data["order"], f.cleaned_data["position"])
    )
    kinds = {f.cleaned_data["position"]: f.cleaned_data.get("kind") or Kind.TOP for f in rows}
    placements, row_at = {}, {}
    for position, form in enumerate(rows):
        data = form.cleaned_data
        pk = data.get("article")
        if pk is None and data["position"] != position:
            pk = data.get("shown")  # a story moved by number is pinned where it lands
        article = articles.get(pk) if pk else None
        kind = Kind.LEAD if position == 0 else kinds.get(position, Kind.TOP)
        pinned_until = data.get("pinned_until")
        if pinned_until and timezone.is_naive(pinned_until):
            pinned_until = timezone.make_aware(pinned_until)
        placements[position] = Placement(kind=kind, article=article, pinned_until=pinned_until)
        row_at[position] = form
    return placements, row_at


@admin.register(FrontPageSlot)
class FrontPageSlotAdmin(SimpleHistoryAdmin):
    """One page for the whole front page (the changelist); no add or delete pages."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # One slot alone is changed only on the whole page, through the service's checks.
        return HttpResponseRedirect(reverse("admin:articles_frontpageslot_changelist"))

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        may_change = self.has_change_permission(request)
        slots = front_page.layout()
        pins = front_page.current_pins()
        newest = Article.objects.published().newest_first().values_list("pk", flat=True)
        shown = front_page.compose(pins, list(newest[: TOP_STORIES + len(pins)]))
        if request.method == "POST":
            if not may_change:
                raise PermissionDenied
            formset = SlotFormSet(request.POST, form_kwargs={"known": {}})
            if formset.is_valid() and (response := self._save(request, formset)):
                return response
        else:
            formset = SlotFormSet(initial=self._initial(slots, pins, shown))
        wanted = {*shown, *(s.article_id for s in slots.values() if s.article_id)}
        if formset.is_bound:
            wanted |= {f.cleaned_data.get("article") for f in formset.forms if f.is_valid()}
        known = Article.objects.select_related("sponsorship__sponsor").in_bulk(wanted - {None})
        for form in formset.forms:
            form.fields["article"].widget.known = {str(pk): a for pk, a in known.items()}
        rows = [
            {
                "form": form,
                "position": position,
                "kind": front_page.kind_of(position, slots),
                "slot": slots.get(position),
                "showing": known.get(shown[position]) if position < len(shown) else None,
                "pinned": pins.get(position) is not None,
            }
            for position, form in enumerate(formset.forms)
        ]
        history = FrontPageSlot.history.select_related("history_user")[:RECENT_CHANGES]
        context = {
            **self.admin_site.each_context(request),
            "title": "Front page",
            "opts": self.opts,
            "formset": formset,
            "rows": rows,
            "may_change": may_change,
            "history": history,
            "media": self.media + formset.media,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/articles/frontpageslot/front_page.html", context)

    def _initial(self, slots: dict, pins: dict, shown: list[int]) -> list[dict]:
        initial = []
        for position in range(TOP_STORIES):
            # Only a current pin is offered for editing: an expired one is gone.
            slot = slots.get(position) if pins.get(position) else None
            initial.append(
                {
                    "position": position,
                    "shown": shown[position] if position < len(shown) else None,
                    "order": position + 1,
                    # The lead's kind is fixed: its row has no choice to make.
                    "kind": front_page.kind_of(position, slots) if position else None,
                    "article": slot.article_id if slot else None,
                    "pinned_until": timezone.localtime(slot.pinned_until)
                    if slot and slot.pinned_until
                    else None,
                }
            )
        return initial

    def _save(self, request, formset):
        wanted = set()
        for form in formset.forms:
            wanted |= {form.cleaned_data.get("article"), form.cleaned_data.get("shown")}
        articles = Article.objects.select_related("sponsorship").in_bulk(wanted - {None})
        placements, row_at = _placements(formset, articles)
        for form in row_at.values():
            pk = form.cleaned_data.get("article")
            if pk and pk not in articles:
                form.add_error("article", "No such story.")
        if not formset.is_valid():
            return None
        try:
            changed = front_page.save(placements, by=request.user)
        except front_page.FrontPageError as exc:
            for position, problem in exc.problems.items():
                if (form := row_at.get(position)) is not None:
                    form.add_error("article", problem)
            general = [problem for position, problem in exc.problems.items() if position is None]
            formset._non_form_errors = formset.error_class(
                ["The front page was not changed: please correct the errors below.", *general]
            )
            return None
        if changed:
            messages.success(request, f"Front page saved: {len(changed)} position(s) changed.")
        else:
            messages.info(request, "Nothing changed on the front page.")
        return HttpResponseRedirect(request.path)
