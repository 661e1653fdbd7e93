"""The sitemap: an index of small sitemaps, each costing the same at any archive size.

``/sitemap.xml`` is a sitemap index (sitemaps.org): the sections, the standards pages
and one sitemap of articles per calendar month (UTC), from the month of the oldest
published article to the current one. The months come from one indexed read of the
oldest publication date; nothing counts the archive. A month's sitemap reads that
month's articles from the (status, published_at, id) index in order.

A month holds up to ``MONTH_LIMIT`` articles (the protocol's maximum) in one file. A
month with more would get ``?p=2`` pages from Django's sitemap view that the index does
not list: counting each month to find them would cost what this design avoids.
"""

import datetime as dt
from collections.abc import Iterator

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.shortcuts import get_current_site
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from articles.site.views import STANDARDS_PAGES

MONTH_LIMIT = 50_000


class ArticleMonthSitemap(Sitemap):
    """The published articles of one calendar month (UTC), newest first."""

    changefreq = "daily"
    limit = MONTH_LIMIT

    def __init__(self, month: dt.date):
        self.month = month

    def items(self):
        # In index order within the month's range: its paginator counts one month, and
        # its page reads the rows without sorting.
        starts = dt.datetime(self.month.year, self.month.month, 1, tzinfo=dt.UTC)
        ends = dt.datetime.combine(next_month(self.month), dt.time.min, tzinfo=dt.UTC)
        return (
            Article.objects.published()
            .filter(published_at__gte=starts, published_at__lt=ends)
            .only("slug", "updated_at")
            .newest_first()
        )

    def lastmod(self, item):
        return item.updated_at


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.all()


class StandardsSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return list(STANDARDS_PAGES)

    def location(self, item):
        return reverse("articles:standards", args=[item])


# The sitemaps served by name at /sitemaps/<name>.xml; the articles' are per month.
SITEMAPS = {"sections": SectionSitemap, "standards": StandardsSitemap}


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def published_months() -> Iterator[dt.date]:
    """The first day of every month (UTC) from the oldest published article's to the
    current one, newest first; none when nothing is published."""
    # One row: the (status, published_at, id) index read backwards gives exactly this
    # order (with the id), so nothing is sorted or counted.
    oldest = (
        Article.objects.published()
        .order_by("published_at", "id")
        .values_list("published_at", flat=True)
        .first()
    )
    if oldest is None:
        return
    first = oldest.astimezone(dt.UTC).date().replace(day=1)
    month = timezone.now().astimezone(dt.UTC).date().replace(day=1)
    while month >= first:
        yield month
        month = (month - dt.timedelta(days=1)).replace(day=1)


def index(request):
    """The sitemap index: the named sitemaps, then one articles sitemap per month."""
    prefix = f"{request.scheme}://{get_current_site(request).domain}"
    urls = [reverse("sitemap_section", kwargs={"section": name}) for name in SITEMAPS]
    urls += [month_url(month) for month in published_months()]
    # Django's own index template; no <lastmod>, which would cost a read per sitemap.
    items = [sitemap_views.SitemapIndexItem(prefix + url) for url in urls]
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


def month_url(month: dt.date) -> str:
    return reverse(
        "sitemap_articles", kwargs={"year": f"{month.year:04d}", "month": f"{month.month:02d}"}
    )


def articles(request, year: str, month: str):
    """A month's articles sitemap; 404 for a month the index does not list."""
    try:
        wanted = dt.date(int(year), int(month), 1)
    except ValueError:  # month 13, year 0
        raise Http404("No such month") from None
    if wanted not in set(published_months()):
        raise Http404("No articles sitemap for this month")
    return sitemap_views.sitemap(request, {"articles": ArticleMonthSitemap(wanted)})
