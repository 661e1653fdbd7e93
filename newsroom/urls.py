from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from articles.site import sitemaps
from articles.site import views as article_views
from articles.site.caching import public_feed
from articles.site.news_sitemap import news_sitemap
from newsroom import headers, health

admin.site.site_header = f"{settings.SITE_NAME} editorial"
admin.site.site_title = f"{settings.SITE_NAME} editorial"
admin.site.index_title = "Newsroom"

urlpatterns = [
    # For load balancers and compose: no login, never cached, in no sitemap.
    path("health/", health.health, name="health"),
    path("health/tasks/", health.worker_health, name="health_tasks"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("newsroom.api", "api"), namespace="api")),
    path("api/schema/", RedirectView.as_view(pattern_name="api:schema", permanent=False)),
    path("api/docs/", RedirectView.as_view(pattern_name="api:docs", permanent=False)),
    path("sitemap.xml", public_feed(sitemaps.index), name="sitemap"),
    re_path(
        r"^sitemaps/articles-(?P<year>[0-9]{4})-(?P<month>[0-9]{2})\.xml$",
        public_feed(sitemaps.articles),
        name="sitemap_articles",
    ),
    path(
        "sitemaps/<slug:section>.xml",
        public_feed(sitemap_views.sitemap),
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
    path("news-sitemap.xml", public_feed(news_sitemap), name="news_sitemap"),
    path("robots.txt", article_views.robots_txt, name="robots_txt"),
    path("favicon.ico", article_views.favicon, name="favicon"),
    path("trust.txt", article_views.trust_txt, name="trust_txt"),
    path(".well-known/trust.txt", article_views.trust_txt),
    path("", include("articles.site.urls")),
]

# The API's crashes as problem details (with the request id), the site's as its page;
# the database out of reach as a 503 (newsroom.outage).
handler500 = "newsroom.outage.server_error"

if settings.DEBUG:
    # Never in production: nginx or the bucket serve uploads there, with the same headers.
    urlpatterns += static(
        settings.MEDIA_URL, view=headers.serve_media, document_root=settings.MEDIA_ROOT
    )
