"""The article list's bulk actions: add or remove tags, move to a section, request
changes, unpublish. Each opens a confirmation page (Django's pattern for actions: the
selected ids ride along in hidden ``_selected_action`` inputs, ``post`` confirms) with
what the action needs; the changes and every rule are ``articles.publishing.bulk``'s,
and the list then reports what was done and what was refused, and why.

There is no bulk delete: anything readers have seen is unpublished, never deleted
(``ArticleAdmin.get_actions`` drops Django's ``delete_selected``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from taggit.models import Tag
from taggit.utils import parse_tags

from articles.models import Section
from articles.publishing import bulk
from articles.sanitize import clean_text

# Each article is its own transaction and announcement: a selection larger than this
# is better done as filtered batches, and the confirmation page stays readable.
MAX_SELECTED = 500
TAG_LENGTH = Tag._meta.get_field("name").max_length


# -- what each action asks for --------------------------------------------------------


class TagsForm(forms.Form):
    tags = forms.CharField(
        label="Tags",
        max_length=1000,
        help_text="Separate tags with commas; put a tag that contains a comma in double quotes.",
        error_messages={"required": "Name at least one tag."},
    )

    def clean_tags(self) -> list[str]:
        names = [clean_text(name).strip() for name in parse_tags(self.cleaned_data["tags"])]
        names = list(dict.fromkeys(name for name in names if name))
        if not names:
            raise ValidationError("Name at least one tag.")
        if long := [name for name in names if len(name) > TAG_LENGTH]:
            raise ValidationError(
                f"A tag has at most {TAG_LENGTH} characters; “{long[0][:40]}…” is longer."
            )
        return names


class SectionForm(forms.Form):
    section = forms.ModelChoiceField(
        Section.objects.all(),
        label="Move to",
        error_messages={"required": "Choose the section to move them to."},
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": "Say why: the workflow needs a note for this step."},
    )


def _articles(n: int) -> str:
    return f"{n} article{'s' if n != 1 else ''}"


@dataclass(frozen=True)
class BulkAction:
    title: str
    intro: str
    form: type[forms.Form]
    button: str
    run: Callable[..., bulk.Outcome]
    done: Callable[[int, dict], str]
    unchanged: Callable[[int, dict], str]


def _tags(data: dict) -> str:
    return ", ".join(f"“{name}”" for name in data["tags"])


ACTIONS = {
    "bulk_add_tags": BulkAction(
        title="Add tags to the selected articles",
        intro="Each article keeps its tags and gets these too.",
        form=TagsForm,
        button="Add the tags",
        run=lambda articles, data, **kw: bulk.add_tags(articles, names=data["tags"], **kw),
        done=lambda n, data: f"Added {_tags(data)} to {_articles(n)}.",
        unchanged=lambda n, data: f"{_articles(n)} had them already.",
    ),
    "bulk_remove_tags": BulkAction(
        title="Remove tags from the selected articles",
        intro="Articles without these tags are left as they are.",
        form=TagsForm,
        button="Remove the tags",
        run=lambda articles, data, **kw: bulk.remove_tags(articles, names=data["tags"], **kw),
        done=lambda n, data: f"Removed {_tags(data)} from {_articles(n)}.",
        unchanged=lambda n, data: f"{_articles(n)} had none of them.",
    ),
    "bulk_move_to_section": BulkAction(
        title="Move the selected articles to a section",
        intro="Published pieces move at once: their pages and the section pages are refreshed.",
        form=SectionForm,
        button="Move them",
        run=lambda articles, data, **kw: bulk.move_to_section(
            articles, section=data["section"], **kw
        ),
        done=lambda n, data: f"Moved {_articles(n)} to {data['section']}.",
        unchanged=lambda n, data: f"{_articles(n)} in {data['section']} already.",
    ),
    "bulk_request_changes": BulkAction(
        title="Request changes to the selected articles",
        intro="Articles in review or approved go back to their authors as drafts, with your "
        "note; they see it on the article.",
        form=NoteForm,
        button="Request changes",
        run=lambda articles, data, **kw: bulk.request_changes(articles, note=data["note"], **kw),
        done=lambda n, data: f"Sent {_articles(n)} back to their authors with your note.",
        unchanged=lambda n, data: "",
    ),
    "bulk_unpublish": BulkAction(
        title="Unpublish the selected articles",
        intro="Readers then get “410 Gone” for each; nothing is deleted, and an editor can "
        "reopen any of them. Your note goes into each one's audit trail.",
        form=NoteForm,
        button="Unpublish them",
        run=lambda articles, data, **kw: bulk.unpublish(articles, note=data["note"], **kw),
        done=lambda n, data: f"Unpublished {_articles(n)}: readers now get “410 Gone”.",
        unchanged=lambda n, data: "",
    ),
}


# -- the admin side ------------------------------------------------------------------------


class BulkActions:
    """Mixed into ``ArticleAdmin``: the actions, their confirmation pages and reports."""

    @admin.action(description="Add tags…", permissions=["change"])
    def bulk_add_tags(self, request, queryset):
        return self._bulk(request, queryset, "bulk_add_tags")

    @admin.action(description="Remove tags…", permissions=["change"])
    def bulk_remove_tags(self, request, queryset):
        return self._bulk(request, queryset, "bulk_remove_tags")

    @admin.action(description="Move to section…", permissions=["change"])
    def bulk_move_to_section(self, request, queryset):
        return self._bulk(request, queryset, "bulk_move_to_section")

    @admin.action(description="Request changes…", permissions=["review"])
    def bulk_request_changes(self, request, queryset):
        return self._bulk(request, queryset, "bulk_request_changes")

    @admin.action(description="Unpublish…", permissions=["publish"])
    def bulk_unpublish(self, request, queryset):
        return self._bulk(request, queryset, "bulk_unpublish")

    def has_review_permission(self, request):
        return request.user.has_perm("articles.review_article")

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def response_action(self, request, queryset, action_location=ActionLocation.CHANGE_LIST):
        # Ids that are not numbers (a tampered form) would fail the filter with a 500.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(pk.isdigit() for pk in selected):
            self.message_user(
                request, "The selection was not understood; nothing was changed.", messages.ERROR
            )
            return None
        return super().response_action(request, queryset, action_location=action_location)

    def _bulk(self, request, queryset, name: str):
        action = ACTIONS[name]
        articles = list(queryset)
        if len(articles) > MAX_SELECTED:
            self.message_user(
                request,
                f"Choose at most {MAX_SELECTED} articles at a time (you chose "
                f"{len(articles)}); filter the list to make smaller batches.",
                messages.ERROR,
            )
            return None
        missing = _missing(request, articles)
        form = action.form(request.POST if "post" in request.POST else None)
        if form.is_bound and form.is_valid():
            outcome = action.run(
                articles, form.cleaned_data, by=request.user, versions=_versions(request)
            )
            self._report(request, action, outcome, form.cleaned_data, missing)
            return None  # back to the list, its filters kept
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": action.title,
            "bulk": action,
            "action_name": name,
            "articles": articles,
            "missing": missing,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/article/bulk_confirm.html", context)

    def _report(self, request, action, outcome, data, missing: int) -> None:
        if outcome.done:
            self.message_user(request, action.done(len(outcome.done), data), messages.SUCCESS)
        if outcome.unchanged and (text := action.unchanged(len(outcome.unchanged), data)):
            self.message_user(request, text, messages.INFO)
        refused = len(outcome.refused) + missing
        if not refused:
            return
        self.message_user(request, f"Refused {refused}:", messages.WARNING)
        for refusal in outcome.refused:
            self.message_user(request, f"“{refusal.headline}” — {refusal.reason}", messages.WARNING)
        if missing:
            self.message_user(
                request,
                f"{_articles(missing)} of the selection could not be found, or are not yours "
                "to see.",
                messages.WARNING,
            )
        if not outcome.done and not outcome.unchanged:
            self.message_user(request, "Nothing was changed.", messages.WARNING)


def _missing(request, articles) -> int:
    """How many selected ids are not among ``articles`` (gone, or beyond the firewall)."""
    if request.POST.get("select_across") == "1":
        return 0
    selected = {int(pk) for pk in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)}
    return len(selected - {article.pk for article in articles})


def _versions(request) -> dict[int, int]:
    """The version of each article as the confirmation page showed it (``pk:version``)."""
    versions = {}
    for value in request.POST.getlist("seen"):
        pk, _, version = value.partition(":")
        if pk.isdigit() and version.isdigit():
            versions[int(pk)] = int(version)
    return versions
