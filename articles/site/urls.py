from django.urls import path

from articles.site import corrections, feeds, provenance, views
from articles.site.caching import public_feed

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("articles/<slug:slug>/provenance.json", provenance.record, name="provenance"),
    path(
        ".well-known/newsroom-provenance-keys.json",
        provenance.keys,
        name="provenance_keys",
    ),
    path("section/<slug:slug>/", views.section, name="section"),
    path("section/<slug:slug>/feed.rss", public_feed(feeds.SectionFeed()), name="section_feed"),
    path("tag/<slug:slug>/", views.tag, name="tag"),
    path("author/<slug:slug>/", views.author, name="author"),
    path("author/<slug:slug>/feed.rss", public_feed(feeds.AuthorFeed()), name="author_feed"),
    path("sponsor/<slug:slug>/", views.sponsor, name="sponsor"),
    path("search/", views.search, name="search"),
    path("about/<slug:page>/", views.standards, name="standards"),
    path("corrections/", corrections.corrections, name="corrections"),
    path(
        "corrections/feed.rss",
        public_feed(corrections.CorrectionsFeed()),
        name="corrections_feed",
    ),
    path("feeds/latest.rss", public_feed(feeds.LatestFeed()), name="feed"),
    path("feeds/latest.atom", public_feed(feeds.LatestAtomFeed()), name="atom_feed"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("staff-preview/<int:pk>/", views.staff_preview, name="staff_preview"),
]
