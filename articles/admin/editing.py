"""The article page's background requests: autosave while the editor types, discarding
an autosave, and presence pings (who else has the article open, and whether it was
saved meanwhile). Each answers JSON; the services are ``articles.publishing.editing``.

Everything here is for those who may change the article (the admin's own
``has_change_permission``, with the desk firewall): anyone else gets 403, or 404 for a
piece they may not even read, as the article page itself answers.
"""

from django import forms
from django.db.models import Prefetch
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from articles.admin.display import diff_html
from articles.models import Article, Byline
from articles.publishing import editing

RESTORE_PARAMETER = "autosave"
RESTORE_VALUE = "restore"


class AutosaveForm(forms.Form):
    base_version = forms.IntegerField(min_value=1)
    headline = forms.CharField(
        max_length=Article._meta.get_field("headline").max_length, required=False, strip=False
    )
    dek = forms.CharField(
        max_length=Article._meta.get_field("dek").max_length, required=False, strip=False
    )
    body = forms.CharField(max_length=editing.BODY_MAX_LENGTH, required=False, strip=False)

    def clean(self):
        cleaned = super().clean()
        for name in editing.AUTOSAVE_FIELDS:
            # Missing is not empty: an autosave never blanks a field the page did not send.
            if name not in self.data:
                self.add_error(name, "Send this field, even when empty.")
        return cleaned


class PingForm(forms.Form):
    base_version = forms.IntegerField(min_value=1)
    is_editing = forms.BooleanField(required=False)


def _errors(form) -> JsonResponse:
    messages = {
        name: [e["message"] for e in errs] for name, errs in form.errors.get_json_data().items()
    }
    return JsonResponse({"errors": messages}, status=400)


def _hhmm(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M}" if moment else ""


class EditingViews:
    """Mixed into ``ArticleAdmin``: autosave, recovery and presence on the article page."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/autosave/",
                view(require_POST(self.autosave_view)),
                name="articles_article_autosave",
            ),
            path(
                "<int:pk>/autosave/discard/",
                view(require_POST(self.discard_autosave_view)),
                name="articles_article_discard_autosave",
            ),
            path(
                "<int:pk>/presence/",
                view(require_POST(self.presence_view)),
                name="articles_article_presence",
            ),
            path(
                "<int:pk>/presence/leave/",
                view(require_POST(self.leave_view)),
                name="articles_article_leave",
            ),
            *super().get_urls(),
        ]

    def _editable(self, request, pk) -> Article | JsonResponse:
        """The article, or the answer for someone who may not change it."""
        article = (
            Article.objects.readable_by(request.user)
            .defer("body", "search_vector")
            .prefetch_related(Prefetch("bylines", Byline.objects.select_related("author")))
            .filter(pk=pk)
            .first()
        )
        if article is None or not self.has_view_or_change_permission(request, article):
            return JsonResponse({"error": "No such article."}, status=404)
        if not self.has_change_permission(request, article):
            return JsonResponse({"error": "You may not change this article."}, status=403)
        return article

    # -- autosave and recovery ---------------------------------------------------

    def autosave_view(self, request, pk):
        article = self._editable(request, pk)
        if isinstance(article, JsonResponse):
            return article
        form = AutosaveForm(request.POST)
        if not form.is_valid():
            return _errors(form)
        data = form.cleaned_data
        try:
            revision = editing.autosave(
                article,
                by=request.user,
                base_version=data["base_version"],
                fields={name: data[name] for name in editing.AUTOSAVE_FIELDS},
            )
        except editing.UnknownVersion as exc:
            return JsonResponse({"errors": {"base_version": [str(exc)]}}, status=400)
        except editing.AutosaveConflict as conflict:
            return JsonResponse(
                {
                    "saved": False,
                    "kept": conflict.kept,
                    "reason": str(conflict),
                    "version": conflict.version,
                    "saved_by": conflict.last_save.name,
                    "saved_at": _hhmm(conflict.last_save.at),
                },
                status=409,
            )
        return JsonResponse(
            {"saved": True, "at": _hhmm(revision.created_at), "version": revision.version}
        )

    def discard_autosave_view(self, request, pk):
        article = self._editable(request, pk)
        if isinstance(article, JsonResponse):
            return article
        return JsonResponse({"discarded": editing.discard_autosave(article, by=request.user)})

    def _restoring(self, request, obj) -> editing.Recovery | None:
        """The autosave to put into the form, when the editor asked for it."""
        if (
            obj is None
            or request.method != "GET"
            or request.GET.get(RESTORE_PARAMETER) != RESTORE_VALUE
        ):
            return None
        if not hasattr(request, "_autosave_restoring"):
            allowed = self.has_change_permission(request, obj)
            request._autosave_restoring = editing.recovery(obj, request.user) if allowed else None
        return request._autosave_restoring

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        restoring = self._restoring(request, obj)
        if restoring is None:
            return form

        class RestoredFromAutosave(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                if not self.is_bound:
                    # Typed on that version: if others saved since, saving the restored
                    # text meets the usual edit-conflict check.
                    self.initial.update(restoring.fields, base_version=restoring.revision.version)

        return RestoredFromAutosave

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            # Saved for real: the autosave has done its job. (Undone with the save, if
            # the workflow refuses it.)
            editing.discard_autosave(obj, by=request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_change_permission(request, obj):
            restored = self._restoring(request, obj)
            offer = (
                None if restored or request.method != "GET" else editing.recovery(obj, request.user)
            )
            shown = restored or offer
            context["editing"] = {
                "autosave_url": reverse("admin:articles_article_autosave", args=[obj.pk]),
                "discard_url": reverse("admin:articles_article_discard_autosave", args=[obj.pk]),
                "presence_url": reverse("admin:articles_article_presence", args=[obj.pk]),
                "leave_url": reverse("admin:articles_article_leave", args=[obj.pk]),
                "ping_seconds": editing.PING_SECONDS,
                "autosave_seconds": editing.AUTOSAVE_SECONDS,
                "restored": restored,
                "offer": offer,
                "restore_url": f"{request.path}?{RESTORE_PARAMETER}={RESTORE_VALUE}",
                "changes": diff_html(shown.changes(obj)) if shown else "",
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    # -- presence --------------------------------------------------------------------

    def presence_view(self, request, pk):
        article = self._editable(request, pk)
        if isinstance(article, JsonResponse):
            return article
        form = PingForm(request.POST)
        if not form.is_valid():
            return _errors(form)
        base = form.cleaned_data["base_version"]
        editing.ping(
            article,
            user=request.user,
            base_version=base,
            is_editing=form.cleaned_data["is_editing"],
        )
        answer = {
            "others": [
                {"name": editing.display_name(session.user), "editing": session.is_editing}
                for session in editing.others_present(article, user=request.user)
            ],
            "version": article.version,
            "changed": article.version > base,
        }
        if answer["changed"]:
            saved = editing.last_save(article, user=request.user)
            answer |= {
                "saved_by": saved.name,
                "saved_at": _hhmm(saved.at),
                "warning": f"{saved.sentence(article.version)} while you were editing. "
                "Saving now will ask you to resolve the conflict.",
            }
        return JsonResponse(answer)

    def leave_view(self, request, pk):
        article = self._editable(request, pk)
        if isinstance(article, JsonResponse):
            return article
        editing.leave(article, user=request.user)
        return JsonResponse({"left": True})
