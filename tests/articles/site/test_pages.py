"""What readers can reach (published, 404, 410; nothing hidden leaks) and the standards pages."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import Article, Correction
from tests.articles.site.helpers import LABEL, html_of, jsonld
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    CorrectionFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


# -- who can see what ------------------------------------------------------------


def test_published_article_is_public(client):
    article = ArticleFactory(published=True, headline="Tram Wi-Fi approved")
    assert "Tram Wi-Fi approved" in html_of(client, article.get_absolute_url())


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.IN_REVIEW},
        {"status": Article.Status.APPROVED},
        {"status": Article.Status.SCHEDULED, "scheduled_for": timezone.now()},
        {
            "status": Article.Status.PUBLISHED,
            "published_at": timezone.now() + dt.timedelta(hours=1),
        },
    ],
)
def test_unpublished_work_is_404(client, fields):
    article = ArticleFactory(headline="Secret draft headline", **fields)
    html = html_of(client, article.get_absolute_url(), status=404)
    assert "Secret draft headline" not in html


def test_withdrawn_article_is_410_gone_without_its_headline(client):
    article = ArticleFactory(published=True, headline="Withdrawn story")
    CorrectionFactory(article=article, kind=Correction.Kind.RETRACTION, text="It was wrong.")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.UNPUBLISHED)
    html = html_of(client, article.get_absolute_url(), status=410)
    assert "has been withdrawn" in html
    assert "It was wrong." in html
    assert "Withdrawn story" not in html


def test_nothing_unpublished_leaks_into_lists_feeds_sitemaps_or_search(client):
    section = SectionFactory(slug="tech")
    author = AuthorFactory(slug="reporter")
    hidden = [
        ArticleFactory(section=section, headline="Hidden draft zebra"),
        ArticleFactory(
            section=section,
            headline="Hidden scheduled zebra",
            status=Article.Status.SCHEDULED,
            scheduled_for=timezone.now() + dt.timedelta(days=1),
        ),
        ArticleFactory(
            section=section,
            headline="Hidden withdrawn zebra",
            status=Article.Status.UNPUBLISHED,
            published_at=timezone.now(),
        ),
    ]
    for article in hidden:
        article.tags.add("zebras")
        BylineFactory(article=article, author=author)
    urls = [
        "/",
        "/section/tech/",
        "/tag/zebras/",
        "/author/reporter/",
        "/search/?q=zebra",
        "/feeds/latest.rss",
        "/feeds/latest.atom",
        "/section/tech/feed.rss",
        "/author/reporter/feed.rss",
        "/sitemap.xml",
        "/news-sitemap.xml",
    ]
    for url in urls:
        assert "Hidden" not in html_of(client, url), url
    # Sitemaps list addresses: this month's (a live piece makes the month) has none of them.
    ArticleFactory(published=True, section=section, headline="Live zebra")
    month = html_of(client, f"/sitemaps/articles-{timezone.now():%Y-%m}.xml")
    assert "live-zebra" in month
    for article in hidden:
        assert article.slug not in month


@pytest.mark.parametrize("page", ["labels", "ai", "sourcing", "corrections", "ownership"])
def test_standards_pages_carry_the_publishers_policies_as_schema_org(client, page):
    html = html_of(client, f"/about/{page}/")
    [org] = jsonld(html)
    assert org["@type"] == "NewsMediaOrganization"
    assert org["publishingPrinciples"].endswith("/about/labels/")
    assert org["correctionsPolicy"].endswith("/about/corrections/")
    assert org["ownershipFundingInfo"].endswith("/about/ownership/")
    assert html.count("<h1>") == 1


def test_labels_page_explains_each_label_in_the_fixed_wording(client):
    html = html_of(client, "/about/labels/")
    assert LABEL in html
    assert "Supported by [sponsor]" in html
    assert "{sponsor}" not in html
    assert "“Paid for by [sponsor]”" in html
    assert "commercial desk" in html
    assert "Promoted" in html  # named as something we never use


def test_unknown_standards_page_is_404(client):
    html_of(client, "/about/whatever/", status=404)
