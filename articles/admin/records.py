"""The audit log across articles, in the spirit of Wagtail's: every recorded event
(filter by who, what and when; search; export as CSV) and every revision, read-only.

Both lists keep to the firewall for reading: a user sees the records of the articles
they may read (``Article.objects.readable_by``) and of no others.
"""

import csv

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation, IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.admin.display import article_link
from articles.models import Article, ArticleEvent, Author, Correction, Revision

# What each recorded action is called in the log; actions added later read as their code.
ACTION_LABELS = {
    "create": "Created",
    "edit": "Edited",
    "submit": "Submitted for review",
    "request_changes": "Changes requested",
    "approve": "Approved",
    "schedule": "Scheduled",
    "unschedule": "Unscheduled",
    "publish": "Published",
    "unpublish": "Unpublished",
    "reopen": "Reopened as draft",
    "back_to_draft": "Back to draft",
    "schedule_failed": "Scheduled publication failed",
    "expiry": "Unpublish time set",
    "embargo_set": "Put under embargo",
    "embargo_cleared": "Embargo lifted",
    "review": "Human review recorded",
    "sponsorship_added": "Sponsorship attached",
    "sponsorship_changed": "Sponsorship changed",
    "sponsorship_removed": "Sponsorship removed",
    "sources_changed": "Sources of a claim changed",
    "claim_removed": "Claim removed",
    "claim_added": "Claim made from a sentence of the body",
    "preview_link_created": "Preview link made",
    "preview_link_revoked": "Preview link revoked",
    "restore": "Revision restored",
    "shared_record_changed": "Shared record changed (author, sponsor, image or source)",
    **{f"correction:{kind}": f"{label} added" for kind, label in Correction.Kind.choices},
}
# revisions.agent_actor_name names every AI agent so; agents have no account to point at.
AGENT_MARK = " (AI agent"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection),
# and headlines and notes can come from outside, through the API.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = [
    "When",
    "Who",
    "Account",
    "Action",
    "Action code",
    "Article ID",
    "Article",
    "From",
    "To",
    "Note",
]


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())


def status_label(status: str) -> str:
    return Article.Status(status).label if status in Article.Status.values else status


def _safe_cell(value) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file that hands back what is written to it, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def events_csv(events) -> StreamingHttpResponse:
    """``events`` as a CSV download (UTF-8, one header row), written as it is read."""
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(CSV_HEADER)
        for event in events.select_related("article", "actor").iterator(chunk_size=500):
            yield writer.writerow(
                _safe_cell(value)
                for value in [
                    timezone.localtime(event.created_at).isoformat(),
                    event.actor_name or "The scheduler",
                    event.actor.get_username() if event.actor else "",
                    action_label(event.action),
                    event.action,
                    event.article_id,
                    event.article.headline,
                    status_label(event.from_status),
                    status_label(event.to_status),
                    event.note,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response


class ActionFilter(admin.SimpleListFilter):
    title = "action"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        seen = model_admin.get_queryset(request).order_by()
        actions = seen.values_list("action", flat=True).distinct()
        return sorted(((a, action_label(a)) for a in actions), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class WhoFilter(admin.SimpleListFilter):
    """The people who appear in the log, AI agents (all, or one), and the scheduler."""

    title = "who"
    parameter_name = "who"

    def lookups(self, request, model_admin):
        seen = model_admin.get_queryset(request).order_by()
        users = get_user_model().objects.filter(pk__in=seen.values("actor_id"))
        agents = Author.objects.filter(kind=Author.Kind.AI_AGENT).only("name").order_by("name")
        return [
            *(
                (str(u.pk), u.get_full_name() or u.get_username())
                for u in users.order_by("first_name", "last_name", "username")
            ),
            ("agents", "AI agents"),
            *((f"agent-{a.pk}", f"{a.name} (AI agent)") for a in agents),
            ("scheduler", "The scheduler"),
        ]

    def queryset(self, request, queryset):
        value = self.value() or ""
        not_a_user = queryset.filter(actor__isnull=True)
        if value == "agents":
            return not_a_user.filter(actor_name__contains=AGENT_MARK)
        if value == "scheduler":
            return not_a_user.filter(actor_name="")
        if value.startswith("agent-") and (pk := _id(value.removeprefix("agent-"))):
            agent = Author.objects.filter(pk=pk, kind=Author.Kind.AI_AGENT).first()
            name = agent.name if agent else ""
            return not_a_user.filter(actor_name__startswith=f"{name}{AGENT_MARK}")
        if pk := _id(value):
            return queryset.filter(actor_id=pk)
        return queryset


def _id(text: str) -> int | None:
    """A row id from a query string, or None for anything a database could not hold."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


class ReadOnlyRecords:
    """Records are written by the workflow only: nobody adds, changes or deletes them
    here, and each list holds only the articles its reader may read."""

    list_display_links = None
    date_hierarchy = "created_at"
    list_select_related = ["article"]

    def get_queryset(self, request):
        readable = Article.objects.readable_by(request.user).values("pk")
        return super().get_queryset(request).filter(article__in=readable)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description="article", ordering="article__headline")
    def article_link(self, record):
        return article_link(record.article)


@admin.register(ArticleEvent)
class ArticleEventAdmin(ReadOnlyRecords, admin.ModelAdmin):
    """The audit log: who did what to which article, when, and why."""

    change_list_template = "admin/articles/articleevent/change_list.html"
    list_display = ["created_at", "who", "action_name", "article_link", "states", "note"]
    list_filter = [ActionFilter, WhoFilter, ("created_at", admin.DateFieldListFilter)]
    search_fields = ["article__headline", "note", "actor_name"]
    actions = ["export_csv"]
    list_per_page = 50

    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="articles_articleevent_export",
        )
        return [export, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "Audit log", **(extra_context or {})})

    @admin.display(description="who", ordering="actor_name")
    def who(self, event):
        return event.actor_name or "The scheduler"

    @admin.display(description="action", ordering="action")
    def action_name(self, event):
        return action_label(event.action)

    @admin.display(description="from → to")
    def states(self, event):
        if not (event.from_status or event.to_status):
            return "—"
        return f"{status_label(event.from_status)} → {status_label(event.to_status)}"

    @admin.action(description="Export selected events as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return events_csv(queryset)

    def export_view(self, request):
        """The list as filtered and searched now, every page of it, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            self.message_user(request, "Those filters are not valid.", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_articleevent_changelist"))
        return events_csv(changelist.get_queryset(request))


@admin.register(Revision)
class RevisionAdmin(ReadOnlyRecords, admin.ModelAdmin):
    """Every saved revision of every article; each opens in its article's revisions view."""

    list_display = [
        "article_link",
        "revision",
        "version",
        "kind",
        "who",
        "created_at",
        "note",
    ]
    list_filter = ["kind", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["article__headline", "note", "created_by_name"]
    ordering = ["-created_at", "-pk"]
    fields = ["article", "number", "version", "kind", "created_by_name", "created_at", "note"]
    list_per_page = 50

    def get_queryset(self, request):
        # The snapshots are large and no list shows them. Autosaves are no saves: they are
        # offered back on the article's page only (articles.publishing.editing).
        queryset = super().get_queryset(request).exclude(kind=Revision.Kind.AUTOSAVE)
        return queryset.defer("data")

    @admin.display(description="revision", ordering="number")
    def revision(self, revision):
        url = reverse("admin:articles_article_revisions", args=[revision.article_id])
        if revision.number > 1:
            url += f"?a={revision.number - 1}&b={revision.number}"
        return format_html('<a href="{}">Revision {}</a>', url, revision.number)

    @admin.display(description="who", ordering="created_by_name")
    def who(self, revision):
        return revision.created_by_name or "—"
