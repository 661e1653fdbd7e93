"""Machine-readable files: the sitemap, the news sitemap, trust.txt and robots.txt."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.models import Article
from tests.articles.site.helpers import html_of
from tests.factories import ArticleFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


# -- machine-readable files ------------------------------------------------------------------


def test_news_sitemap_lists_recent_journalism_and_never_sponsored_content(client):
    fresh = ArticleFactory(published=True, headline="Fresh journalism")
    sponsored = ArticleFactory(published=True, headline="Fresh advertising")
    SponsorshipFactory(article=sponsored)
    ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - dt.timedelta(days=3),
        headline="Old journalism",
    )
    root = ET.fromstring(html_of(client, "/news-sitemap.xml"))
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "n": "http://www.google.com/schemas/sitemap-news/0.9",
    }
    titles = [u.findtext("n:news/n:title", "", ns) for u in root.findall("s:url", ns)]
    assert titles == ["Fresh journalism"]
    url = root.find("s:url", ns)
    assert url.findtext("s:loc", "", ns).endswith(fresh.get_absolute_url())
    assert url.findtext("n:news/n:publication/n:name", "", ns) == "Newsroom"


def test_sitemap_lists_published_articles_and_standards_pages(client):
    live = ArticleFactory(published=True)
    draft = ArticleFactory()
    root = ET.fromstring(html_of(client, "/sitemap.xml"))
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(loc.endswith(live.get_absolute_url()) for loc in locs)
    assert not any(loc.endswith(draft.get_absolute_url()) for loc in locs)
    assert any(loc.endswith("/about/labels/") for loc in locs)


def test_trust_txt_and_robots_txt(client):
    trust = html_of(client, "/trust.txt")
    assert "disclosure=http://127.0.0.1:8000/about/labels/" in trust
    assert "contact=mailto:newsroom@example.com" in trust
    assert "datatrainingallowed=no" in trust
    assert html_of(client, "/.well-known/trust.txt") == trust
    robots = html_of(client, "/robots.txt")
    assert "Disallow: /admin/" in robots
    assert "Sitemap: http://127.0.0.1:8000/news-sitemap.xml" in robots
