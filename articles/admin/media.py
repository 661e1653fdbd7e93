from django.contrib import admin
from django.db.models import Count, Prefetch
from django.template.defaultfilters import filesizeformat, pluralize
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles.admin.display import image_thumbnail
from articles.admin.shared_records import SharedRecordAdmin
from articles.media import renditions
from articles.media.forms import ImageForm
from articles.models import Image, Rendition
from articles.publishing import shared_records


@admin.register(Image)
class ImageAdmin(SharedRecordAdmin):
    """The image library. A lead image's AI label, credit and alt text are on every piece
    using it: history, and changes to one of live pieces by their desk's editors only
    (``articles.publishing.shared_records``)."""

    form = ImageForm
    list_display = ["thumbnail", "__str__", "source_kind", "credit", "size", "usage", "uploaded_at"]
    list_filter = ["source_kind", "format"]
    search_fields = ["caption", "credit", "alt_text"]
    ordering = ["-uploaded_at"]  # as SectionAdmin: annotated, so Meta.ordering is dropped
    # No bulk delete, which asks no question of each image: lead images (with their credit
    # and AI label) are on published pieces; one at a time, from the image's page.
    actions = None
    readonly_fields = ["focal_point_picker", "facts", "uploaded_at", "used_by"]
    fieldsets = [
        (None, {"fields": ["file", "alt_text", "caption", "credit", "copyright", "source_kind"]}),
        (
            "Focal point",
            {
                "fields": ["focal_point_picker", ("focal_x", "focal_y")],
                "description": "Crops (cards, thumbnails, social cards) keep this point in frame.",
            },
        ),
        ("File", {"fields": ["facts", "uploaded_at"]}),
        ("Used by", {"fields": ["used_by"]}),
    ]

    class Media:
        css = {"all": ["articles/focal_point.css"]}
        js = ["articles/focal_point.js"]

    def get_queryset(self, request):
        # The list's thumbnails in one query; renditions.get_rendition reads them from here.
        thumbnails = Rendition.objects.filter(spec="thumbnail", format="webp")
        return (
            super()
            .get_queryset(request)
            .annotate(n_articles=Count("articles"))
            .prefetch_related(Prefetch("renditions", queryset=thumbnails))
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            renditions.delete_stale(obj)

    def get_deleted_objects(self, objs, request):
        # Bodies that show the picture protect it as a lead image's article does: the
        # confirmation page names them instead of offering to delete.
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        for image in objs:
            for article in shared_records.articles_with_in_body(image):
                protected.append(f"Article (picture in its body): {article}")
        return deleted, counts, perms, protected

    def delete_model(self, request, obj):
        renditions.delete_files(obj)
        super().delete_model(request, obj)

    @admin.display(description="")
    def thumbnail(self, obj):
        return image_thumbnail(obj)

    @admin.display(description="size")
    def size(self, obj):
        return f"{obj.width}×{obj.height}" if obj.width else "—"

    @admin.display(description="used by", ordering="n_articles")
    def usage(self, obj):
        return f"{obj.n_articles} article{pluralize(obj.n_articles)}" if obj.n_articles else "—"

    @admin.display(description="file")
    def facts(self, obj):
        if obj is None or not obj.pk:
            return "—"
        return format_html(
            "{}×{} pixels · {} · {}<br><small>SHA-256 {}</small>",
            obj.width,
            obj.height,
            obj.format or "?",
            filesizeformat(obj.bytes or 0),
            obj.sha256 or "not recorded",
        )

    @admin.display(description="pick")
    def focal_point_picker(self, obj):
        if obj is None or not obj.pk:
            return "Save the image first; then click its subject here to set the focal point."
        try:
            preview = renditions.get_rendition(obj, "hero", "webp", width=480)
        except renditions.RenditionError:
            return "—"
        return format_html(
            '<div class="focal-picker" data-focal-x="id_focal_x" data-focal-y="id_focal_y">'
            '<img src="{}" width="{}" height="{}" alt="Click the subject of the picture">'
            '<span class="focal-marker" style="left:{}%;top:{}%"></span></div>'
            '<div class="help">Click the subject of the picture, or type the point below '
            "(0 to 1 from the top left).</div>",
            preview.file.url,
            preview.width,
            preview.height,
            round(obj.focal_x * 100, 1),
            round(obj.focal_y * 100, 1),
        )

    @admin.display(description="lead image of")
    def used_by(self, obj):
        articles = list(obj.articles.order_by("-updated_at")) if obj and obj.pk else []
        if not articles:
            return "No article uses this image yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[a.pk]),
                        a.headline,
                        a.get_status_display(),
                    )
                    for a in articles
                ),
            ),
        )
