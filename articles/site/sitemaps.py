from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Section
from articles.site.views import STANDARDS_PAGES


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        # In index order, so a sitemap page reads its rows without sorting the archive.
        return Article.objects.published().only("slug", "updated_at").newest_first()

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


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap, "standards": StandardsSitemap}
