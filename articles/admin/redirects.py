"""Redirects in the admin: the list (search by address, headline or section), and a page
to add or change one that refuses what would not work: an address a page answers, a
target nothing answers, a loop. A chain is collapsed on save, so readers get one hop."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from articles.admin.forms import PlainTextForm
from articles.models import Redirect, normalise_path
from articles.models.redirects import TARGETS
from articles.publishing import redirects
from articles.site.redirects import is_public_path, live_status

ONE_TARGET = "Choose one target: an article, a section, an author, a tag or a fixed address."


class RedirectForm(PlainTextForm):
    class Meta:
        model = Redirect
        fields = [
            "old_path",
            "article",
            "section",
            "author",
            "tag",
            "to_feed",
            "target_url",
            "permanent",
            "note",
        ]

    request = None  # set by RedirectAdmin.get_form: its host decides what is "this site"

    def clean_old_path(self):
        try:
            path = normalise_path(self.cleaned_data["old_path"])
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if not is_public_path(path):
            raise ValidationError("Only addresses on the public site can be redirected.")
        if (status := live_status(path, like=self.request)) is not None:
            raise ValidationError(
                f"A page answers at {path} (status {status}): readers would never be "
                "redirected from it."
            )
        return path

    def clean_target_url(self):
        value = self.cleaned_data["target_url"].strip()
        if not value:
            return ""
        parts = urlsplit(value)
        if parts.scheme or parts.netloc:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                raise ValidationError("Enter a path (/about/) or an https:// address.") from None
            if parts.hostname not in self._our_hosts():
                return value
        try:
            path = normalise_path(parts.path)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        return path + (f"?{parts.query}" if parts.query else "")

    def _our_hosts(self) -> set[str]:
        hosts = {urlsplit(settings.SITE_URL).hostname}
        if self.request is not None:
            hosts.add(self.request.get_host().split(":")[0])
        return hosts

    def clean(self):
        cleaned = super().clean()
        old_path = cleaned.get("old_path")
        records = {name: cleaned.get(name) for name in TARGETS}
        target_url = cleaned.get("target_url", "")
        if sum(bool(x) for x in (*records.values(), target_url)) != 1:
            if "target_url" not in self.errors:
                self.add_error(None, ONE_TARGET)
            return cleaned
        if cleaned.get("to_feed") and not (records["section"] or records["author"]):
            self.add_error("to_feed", "Only a section or an author has a feed.")
        if not old_path:
            return cleaned
        if target_url and "://" not in target_url:
            self._check_target_path(old_path, target_url)
        elif any(records.values()):
            probe = Redirect(old_path=old_path, **records)
            probe.to_feed = bool(cleaned.get("to_feed"))
            if probe.target_path() == old_path:
                self.add_error(None, "This address is the target's own: it would loop.")
        return cleaned

    def _check_target_path(self, old_path: str, target_url: str) -> None:
        path = target_url.split("?")[0]
        if path == old_path:
            self.add_error("target_url", "An address cannot redirect to itself.")
            return
        try:
            target = redirects.resolve_target(old_path, path)
        except redirects.RedirectProblem as exc:
            self.add_error("target_url", str(exc))
            return
        fixed = target.get("target_url")
        if fixed and live_status(fixed, like=self.request) is None:
            self.add_error("target_url", f"No page answers at {fixed}: readers would get a 404.")


@admin.register(Redirect)
class RedirectAdmin(SimpleHistoryAdmin):
    form = RedirectForm
    list_display = ["old_path", "leads_to", "kind", "permanent", "created_at", "created_by"]
    list_filter = ["kind", "permanent"]
    list_select_related = [*TARGETS, "created_by"]
    search_fields = [
        "old_path",
        "target_url",
        "note",
        "article__headline",
        "section__name",
        "author__name",
        "tag__name",
    ]
    autocomplete_fields = list(TARGETS)
    readonly_fields = ["kind", "created_at", "created_by", "updated_at"]
    fieldsets = [
        (None, {"fields": ["old_path", "permanent", "note"]}),
        (
            "Leads to (one of these)",
            {"fields": [*TARGETS, "to_feed", "target_url"]},
        ),
        ("Record", {"fields": ["kind", "created_by", "created_at", "updated_at"]}),
    ]

    @admin.display(description="leads to")
    def leads_to(self, obj: Redirect):
        return format_html('<a href="{}">{}</a>', obj.target_path(), obj.target_label)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def save_model(self, request, obj, form, change):
        # The form has checked loops and targets; saving resolves the target to one hop
        # and collapses the chains that led to this address.
        obj._change_reason = obj.note or ("Changed" if change else "Added") + " in the admin"
        redirects.save_manual(obj, by=request.user)

    def revert_disabled(self, request, obj=None):
        # A reverted version would skip the loop and target checks above.
        return True
