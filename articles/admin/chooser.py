"""Pictures and embeds in the body editor: the image chooser, and the embed check.

The body editor (django-prose-editor) loads ``articles/body_media.js``, whose two
toolbar buttons open a dialog: one shows the image library (search, thumbnails,
pages) and inserts the chosen picture as ``<figure data-image="ID"></figure>``; the
other takes a URL, asks ``embed_check_view`` whether a provider on the allow-list
(``articles.media.embeds``) shows it, and inserts ``<figure data-embed="URL"></figure>``
with its canonical URL, or shows why not.
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django_prose_editor.widgets import AdminProseEditorWidget

from articles.admin.display import image_thumbnail
from articles.media import embeds, renditions
from articles.models import Image, Rendition

CHOOSER_PAGE_SIZE = 24
MAX_QUERY = 100


class BodyEditorWidget(AdminProseEditorWidget):
    """The admin's body editor, with the picture and embed buttons (``body_media.js``)."""

    def get_config(self):
        config = super().get_config()
        return config | {
            "extensions": config["extensions"]
            | {
                "BodyImage": {
                    "chooserUrl": reverse("admin:articles_article_image_chooser"),
                    "infoUrl": reverse("admin:articles_article_image_info", args=[0]),
                },
                "BodyEmbed": {"checkUrl": reverse("admin:articles_article_embed_check")},
            },
            "js_modules": [*config["js_modules"], static("articles/body_media.js")],
        }

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["articles/body_media.css"]})


def _thumbnails():
    return Prefetch(
        "renditions", queryset=Rendition.objects.filter(spec="thumbnail", format="webp")
    )


class BodyMediaViews:
    """Mixed into ``ArticleAdmin``: the body editor's widget and the views it calls."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "body-media/images/",
                view(self.image_chooser_view),
                name="articles_article_image_chooser",
            ),
            path(
                "body-media/images/<int:pk>/",
                view(self.image_info_view),
                name="articles_article_image_info",
            ),
            path(
                "body-media/embed/",
                view(self.embed_check_view),
                name="articles_article_embed_check",
            ),
            *super().get_urls(),
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = BodyEditorWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def _may_choose(self, request) -> bool:
        return self.has_change_permission(request) or self.has_add_permission(request)

    def image_chooser_view(self, request):
        """A page of the image library (newest first, or matching ``q``) as a fragment
        for the editor's dialog: three queries (count, page, thumbnails), however many."""
        if not (self._may_choose(request) and request.user.has_perm("articles.view_image")):
            return JsonResponse({"error": "You may not choose pictures."}, status=403)
        query = request.GET.get("q", "").strip()[:MAX_QUERY]
        images = Image.objects.order_by("-uploaded_at", "-pk")
        if query:
            images = images.filter(
                Q(caption__icontains=query)
                | Q(alt_text__icontains=query)
                | Q(credit__icontains=query)
                | Q(original_name__icontains=query)
            )
        page = Paginator(images.prefetch_related(_thumbnails()), CHOOSER_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return TemplateResponse(
            request,
            "admin/articles/image_chooser.html",
            {
                "query": query,
                "page": page,
                "choices": [(image, image_thumbnail(image, width=140)) for image in page],
                "chooser_url": reverse("admin:articles_article_image_chooser"),
            },
        )

    def image_info_view(self, request, pk):
        """What the editor shows of a picture in the body: thumbnail, alt text, label."""
        if not self._may_choose(request):
            return JsonResponse({"error": "You may not choose pictures."}, status=403)
        image = Image.objects.prefetch_related(_thumbnails()).filter(pk=pk).first()
        if image is None:
            return JsonResponse(
                {"error": f"Picture {pk} is no longer in the image library: remove it."},
                status=404,
            )
        try:
            thumbnail = renditions.get_rendition(image, "thumbnail", "webp").file.url
        except renditions.RenditionError:
            thumbnail = ""
        return JsonResponse(
            {
                "id": image.pk,
                "thumbnail": thumbnail,
                "alt_text": image.alt_text,
                "caption": image.caption,
                "credit": image.credit,
                "label": image.reader_label,
            }
        )

    def embed_check_view(self, request):
        """Whether ``url`` is an embed we show: its canonical URL and provider, or why not
        (``allowed`` false, and the message editors see)."""
        if not self._may_choose(request):
            return JsonResponse({"error": "You may not add embeds."}, status=403)
        url = request.GET.get("url", "").strip()
        if not url:
            return JsonResponse({"error": "Paste the address of a video, post or map."}, status=400)
        try:
            embed = embeds.check(url)
        except embeds.UnknownEmbed as refused:
            # An answer, not a failed request: the editor shows it beside the address.
            return JsonResponse({"allowed": False, "error": str(refused)})
        return JsonResponse(
            {
                "allowed": True,
                "url": embed.url,
                "provider": embed.provider,
                "kind": embed.kind,
                "title": embed.title,
                "author": embed.author,
                "link": embed.link,
            }
        )
