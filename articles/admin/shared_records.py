"""The admin of records printed on many articles (authors, sponsors, images, publishers,
source documents): each one's history, and every change saved through
``articles.publishing.shared_records`` (who may, why, and every live piece told)."""

from __future__ import annotations

import copy
from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from articles.admin.forms import PlainTextForm
from articles.publishing import shared_records
from articles.publishing.transitions import WorkflowError

WHY = "why"

WHY_HELP = (
    "Goes into the record's history and, when it is shown on published articles, into "
    "each one's audit trail. Needed to turn off an AI flag (an AI-generated image; an AI "
    "agent's kind, disclosure or operator) on something readers see."
)


class SharedRecordAdmin(SimpleHistoryAdmin):
    """A shared record's page: a "Why" field, a History button, and saving through
    ``shared_records.save_change``. Those who may not change it now (it is shown on a
    published piece) see it read-only, with the reason."""

    # Sponsors' and publishers' names are unique: validated as they will be stored.
    form = PlainTextForm

    # -- who may change it ------------------------------------------------------------

    def live_desks(self, request, obj) -> dict[str, int]:
        # Asked several times while one page is built: once per request and record.
        cache = request.__dict__.setdefault("_shared_record_desks", {})
        key = (obj._meta.label, obj.pk)
        if key not in cache:
            cache[key] = shared_records.live_desks(obj)
        return cache[key]

    def change_problem(self, request, obj) -> str:
        desks = self.live_desks(request, obj)
        return shared_records.change_problem(request.user, obj, desks=desks)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or not self.change_problem(request, obj))

    # -- history: seen here, never reverted around the checks -----------------------------

    def revert_disabled(self, request, obj=None):
        # Reverting would save an old version without a note, a desk check or the live
        # pieces told; old values are restored on the change page instead.
        return True

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # As the library's, naming the foreign keys to join: for a model without any, the
        # library calls select_related() with no names, which Django 6.1 deprecates.
        joined = [
            field.name
            for field in history_manager.model.tracked_fields
            if isinstance(field, models.ForeignKey)
        ]
        records = history_manager.filter(**{pk_name: object_id})
        return records.select_related("history_user", *joined)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    # -- the form ---------------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != WHY]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None and self.has_change_permission(request, obj):
            fieldsets.append(
                ("Why", {"fields": [WHY], "description": self._live_note(request, obj)})
            )
        return fieldsets

    def _live_note(self, request, obj) -> str:
        n = sum(self.live_desks(request, obj).values())
        if not n:
            return "Not shown on any published article: changes are kept in its history."
        return (
            f"Shown on {n} published article{'s' if n != 1 else ''}: saving records the change "
            "on each of them, refreshes their pages and tells partners."
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        # "why" is this form's own field, not the model's: Django's form factory must not
        # look for it on the model.
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"] is not None:
            kwargs["fields"] = [f for f in kwargs["fields"] if f != WHY]
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            return form
        refused = getattr(request, "refused_shared_change", ())
        desks = self.live_desks(request, obj)

        class WithWhy(form):
            why = forms.CharField(
                label="Why",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=WHY_HELP,
            )

            def clean(self):
                cleaned = super().clean()
                for problem in refused:
                    self.add_error(None, problem)
                # The instance still holds what is stored; the change is in cleaned_data.
                changed = copy.copy(self.instance)
                for field in changed._meta.concrete_fields:
                    if field.name in cleaned and not isinstance(field, models.FileField):
                        setattr(changed, field.name, cleaned[field.name])
                problem = shared_records.note_problem(
                    changed, before=self.instance, note=cleaned.get(WHY, ""), desks=desks
                )
                if problem:
                    self.add_error(WHY, problem)
                return cleaned

        return WithWhy

    # -- saving -------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        return shared_records.save_change(
            obj,
            by=request.user,
            note=form.cleaned_data.get(WHY, ""),
            save=partial(super().save_model, request, obj, form, change),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "GET" and object_id is not None:
            self._explain_read_only(request, object_id)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WorkflowError as refused:
            # Raised while saving (say, a live piece would lose its lead image's alt text):
            # the admin's transaction has undone the save. Show the form again, bound to
            # what was sent, with the reasons as its errors.
            request.refused_shared_change = refused.problems
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _explain_read_only(self, request, object_id) -> None:
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not super().has_change_permission(request, obj):
            return
        if problem := self.change_problem(request, obj):
            self.message_user(request, problem, messages.WARNING)
