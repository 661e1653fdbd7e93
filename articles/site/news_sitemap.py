"""The Google News sitemap: journalism of the last two days, never sponsored content."""

import datetime as dt

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from articles.models import Article

NEWS_WINDOW = dt.timedelta(days=2)


def news_sitemap(request):
    articles = (
        Article.objects.published()
        .editorial()
        .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
        .only("slug", "headline", "language", "published_at")
        .newest_first()[:1000]
    )
    return render(
        request,
        "articles/news_sitemap.xml",
        {"articles": articles, "site_url": settings.SITE_URL, "site_name": settings.SITE_NAME},
        content_type="application/xml; charset=utf-8",
    )
