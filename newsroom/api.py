"""The partner API's router: /api/v1/…"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from articles.api import images, ninjs
from articles.api import views as articles
from articles.webhooks.api import WebhookEndpointViewSet
from sources.api import views as sources

router = DefaultRouter()
router.register("articles", articles.ArticleViewSet, basename="article")
router.register("authors", articles.AuthorViewSet, basename="author")
router.register("sections", articles.SectionViewSet, basename="section")
router.register("tags", articles.TagViewSet, basename="tag")
router.register("sponsors", articles.SponsorViewSet, basename="sponsor")
router.register("images", images.ImageViewSet, basename="image")
router.register("publishers", sources.PublisherViewSet, basename="publisher")
router.register("documents", sources.SourceDocumentViewSet, basename="document")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("ninjs/newsroom-extension.json", ninjs.ninjs_extension, name="ninjs_extension"),
    *router.urls,
]
