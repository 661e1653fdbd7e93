"""Sponsorship labels on every listing, feed, card and article page."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from articles.models import Article, Sponsorship
from tests.articles.site.helpers import LABEL, html_of, jsonld, teaser_of
from tests.factories import ArticleFactory, SponsorFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


# -- labels everywhere --------------------------------------------------------------


def test_every_public_page_listing_the_sponsored_demo_article_shows_its_label(client, demo):
    headline = demo.headline
    list_pages = [
        "/",
        demo.section.get_absolute_url(),
        *[reverse("articles:tag", args=[t.slug]) for t in demo.tags.all()],
        *[b.author.get_absolute_url() for b in demo.byline_list],
        demo.sponsorship.sponsor.get_absolute_url(),
        "/search/?q=" + "+".join(headline.split()[:2]),
    ]
    # "More in Technology" on other articles of the section, where it is listed.
    related_on = [
        other.get_absolute_url()
        for other in Article.objects.published().filter(section=demo.section).exclude(pk=demo.pk)
        if headline.replace("'", "&#x27;") in html_of(client, other.get_absolute_url())
    ]
    assert related_on, "the demo article should be related to at least one other piece"
    for url in list_pages + related_on:
        teaser = teaser_of(html_of(client, url), headline, url)
        assert LABEL in teaser, url
        # The label comes before the headline in the teaser.
        assert teaser.index(LABEL) < teaser.index(headline.split()[0]), url

    for url in ["/feeds/latest.rss", demo.section.get_absolute_url() + "feed.rss"]:
        items = ET.fromstring(html_of(client, url)).iter("item")
        item = next(i for i in items if headline in i.findtext("title"))
        assert item.findtext("title").startswith(f"{LABEL} paid for by Kestrel Networks: ")
        assert LABEL in [c.text for c in item.findall("category")]
        assert LABEL in item.findtext("description")

    atom = ET.fromstring(html_of(client, "/feeds/latest.atom"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = next(
        e for e in atom.findall("a:entry", ns) if headline in e.findtext("a:title", "", ns)
    )
    assert entry.findtext("a:title", "", ns).startswith(LABEL)


def test_sponsored_article_page_labels_title_cards_and_json_ld(client, demo):
    html = html_of(client, demo.get_absolute_url())
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title.startswith(f"{LABEL} paid for by Kestrel Networks: ")
    for meta in ('property="og:title"', 'name="twitter:title"'):
        content = re.search(rf'<meta {meta} content="([^"]*)"', html).group(1)
        assert content.startswith(LABEL), meta
    for meta in ('property="og:description"', 'name="twitter:description"'):
        content = re.search(rf'<meta {meta} content="([^"]*)"', html).group(1)
        assert content.startswith(f"{LABEL} paid for by Kestrel Networks."), meta

    # The label sits above the headline and links to "About our labels".
    assert html.index(f'href="/about/labels/">{LABEL}</a>') < html.index("<h1>")
    assert "Paid for by Kestrel Networks" in html
    assert demo.sponsorship.disclosure in html

    [data] = jsonld(html)
    assert data["@type"] == "AdvertiserContentArticle"
    assert data["sponsor"]["name"] == "Kestrel Networks"
    assert data["genre"] == LABEL
    assert data["headline"] == demo.headline
    assert data["backstory"].startswith(f"{LABEL} paid for by Kestrel Networks.")


def test_links_inside_a_sponsored_article_are_rel_sponsored(client):
    article = ArticleFactory(
        published=True,
        body='<p>See <a href="https://kestrel.example/offer">the offer</a>.</p>',
    )
    SponsorshipFactory(article=article)
    html = html_of(client, article.get_absolute_url())
    assert '<a href="https://kestrel.example/offer" rel="sponsored">the offer</a>' in html


def test_links_in_journalism_are_not_marked_sponsored(client):
    article = ArticleFactory(
        published=True, body='<p>See <a href="https://council.example/plan">the plan</a>.</p>'
    )
    html = html_of(client, article.get_absolute_url())
    assert '<a href="https://council.example/plan">the plan</a>' in html


def test_underwritten_article_says_supported_by_and_the_sponsor_had_no_role(client):
    article = ArticleFactory(published=True)
    SponsorshipFactory(
        article=article,
        kind=Sponsorship.Kind.UNDERWRITING,
        sponsor=SponsorFactory(name="Tidewater Foundation"),
    )
    html = html_of(client, article.get_absolute_url())
    assert ">Supported by Tidewater Foundation</a>" in html
    assert "Tidewater Foundation funded this coverage and had no role" in html
    [data] = jsonld(html)
    assert data["@type"] == "ReportageNewsArticle"
    assert data["sponsor"]["name"] == "Tidewater Foundation"


def test_sponsor_page_is_clearly_a_sponsor_page(client, demo):
    html = html_of(client, demo.sponsorship.sponsor.get_absolute_url())
    assert "Content paid for by Kestrel Networks" in html
    assert '<meta name="robots" content="noindex">' in html
