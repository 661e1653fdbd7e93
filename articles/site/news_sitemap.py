"""The Google News sitemap: journalism of the last two days, never sponsored content.

The document is cleaned as a whole before it is sent: a character XML cannot carry,
in any headline however it was stored, would make the file malformed, and Google
News would drop every article in it rather than the one.
"""

import datetime as dt

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import Article
from articles.sanitize import clean_text

NEWS_WINDOW = dt.timedelta(days=2)


def news_sitemap(request):
    articles = (
        Article.objects.published()
        .editorial()
        .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
        .only("slug", "headline", "language", "published_at")
        .newest_first()[:1000]
    )
    document = render_to_string(
        "articles/news_sitemap.xml",
        {"articles": articles, "site_url": settings.SITE_URL, "site_name": settings.SITE_NAME},
        request,
    )
    # The markup itself holds none of these characters: removing them from the whole
    # document cleans every text in it and leaves its structure as it is.
    return HttpResponse(clean_text(document), content_type="application/xml; charset=utf-8")
