from django.contrib import admin
from django.db.models import Count
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from articles.admin.forms import PlainTextForm
from articles.admin.shared_records import SharedRecordAdmin
from articles.models import Author, Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    form = PlainTextForm  # the name is unique
    list_display = ["name", "slug", "position", "article_count"]
    list_editable = ["position"]
    # Explicit: the Count annotation below makes Django ignore Meta.ordering, and the
    # autocomplete (section picker) paginates, which needs a fixed order.
    ordering = ["position", "name"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    # No bulk delete: a section is printed on its articles; one at a time, from its page.
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_articles=Count("articles"))

    @admin.display(description="articles", ordering="n_articles")
    def article_count(self, obj):
        return obj.n_articles


@admin.register(Author)
class AuthorAdmin(SharedRecordAdmin):
    """Bylines print an author on every piece: history, and changes to one on published
    pieces by their desk's editors only (``articles.publishing.shared_records``)."""

    list_display = ["name", "kind", "job_title", "operator", "supervising_editor", "byline_count"]
    list_filter = ["kind"]
    list_select_related = ["supervising_editor"]
    search_fields = ["name", "beats", "operator"]
    ordering = ["name"]  # as SectionAdmin: annotated, so Meta.ordering is dropped
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user", "supervising_editor"]
    # No bulk delete, which asks no question of each author: bylines name them (and an AI
    # agent's disclosure) on published pieces; one at a time, from the author's page.
    actions = None
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


# taggit (listed before this app, so its admin is registered by now) validates a new
# tag's name as typed; ours validates it as it will be stored, like the names above.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    form = PlainTextForm
