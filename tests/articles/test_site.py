"""The public site: what readers can reach, and the labels on everything they see."""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.demo import load_demo
from articles.models import AIInvolvement, Article, Byline, Correction, Sponsorship
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AttributionFactory,
    AuthorFactory,
    BylineFactory,
    ClaimFactory,
    CorrectionFactory,
    PublisherFactory,
    SectionFactory,
    SourceDocumentFactory,
    SponsorFactory,
    SponsorshipFactory,
)

pytestmark = pytest.mark.django_db

SPONSORED_SLUG = "cloud-gaming-home-network-ready"
LABEL = "Sponsored Advertising Content"


@pytest.fixture
def demo():
    load_demo()
    return Article.objects.for_detail().get(slug=SPONSORED_SLUG)


def html_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def teaser_of(html: str, headline: str, where: str = "") -> str:
    """The teaser <article> on a list page that shows ``headline``."""
    escaped = headline.replace("'", "&#x27;").replace('"', "&quot;")
    for chunk in html.split('<article class="teaser')[1:]:
        chunk = chunk.split("</article>")[0]
        if escaped in chunk:
            return chunk
    raise AssertionError(f"No teaser for {headline!r} on {where}")


def jsonld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


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


# -- who wrote it ----------------------------------------------------------------------


def test_ai_written_article_says_so_in_the_byline_with_operator_and_reviewer(client, demo):
    html = html_of(client, demo.get_absolute_url())
    byline = re.search(r'<p class="byline">(.*?)</p>', html, re.S).group(1)
    text = re.sub(r"<[^>]+>", "", byline)
    reviewer = demo.latest_review.reviewer_name
    assert text == f"By Sift, an AI agent operated by Newsroom Media Ltd; reviewed by {reviewer}"
    assert 'href="/about/ai/"' in byline


def test_ai_agent_is_never_marked_up_as_a_person(client, demo):
    [data] = jsonld(html_of(client, demo.get_absolute_url()))
    [author] = data["author"]
    assert author["@type"] == "Organization"
    assert author["name"] == "Newsroom Media Ltd"
    assert "Sift is an AI agent operated by Newsroom Media Ltd" in author["description"]
    assert data["editor"] == {"@type": "Person", "name": demo.latest_review.reviewer_name}
    assert data["digitalSourceType"] == "https://schema.org/TrainedAlgorithmicMediaDigitalSource"


def test_teasers_mark_ai_written_pieces(client):
    article = ArticleFactory(published=True, ai_involvement=AIInvolvement.GENERATED)
    BylineFactory(article=article, author=AIAgentFactory(name="Ledger"))
    teaser = teaser_of(html_of(client, "/"), article.headline)
    assert "Written by an AI agent" in teaser
    assert "Ledger, an AI agent operated by Newsroom Media Ltd" in teaser


def test_ai_agent_author_page_discloses_what_it_is(client, demo):
    sift = demo.byline_list[0].author
    html = html_of(client, sift.get_absolute_url())
    assert "Sift is an AI agent</strong>, not a person" in html
    assert "an AI agent operated by Newsroom Media Ltd" in html
    assert sift.disclosure in html
    assert "Covers: AI, machine learning, autonomous systems" in html
    assert "Maria Okafor" in html  # the supervising editor


def test_human_author_is_a_person_in_json_ld(client):
    article = ArticleFactory(published=True)
    BylineFactory(article=article, author=AuthorFactory(name="Hannah Lindqvist"))
    [data] = jsonld(html_of(client, article.get_absolute_url()))
    assert data["author"][0]["@type"] == "Person"
    assert data["author"][0]["name"] == "Hannah Lindqvist"
    assert "digitalSourceType" not in data


# -- claims and sources ------------------------------------------------------------------


def test_each_claim_shows_its_sources_in_place_and_in_the_numbered_list(client, demo):
    html = html_of(client, demo.get_absolute_url())
    body = html.split('<div class="body">')[1].split('<section class="sources"')[0]
    in_place = [
        re.sub(r"<[^>]+>", "", m).removeprefix("Source: ")
        for m in re.findall(r'<span class="citation"[^>]*>\((.*?)\)</span>', body, re.S)
    ]
    assert "Sony" in in_place
    assert "Sony; Reuters/Yahoo Finance" in in_place
    assert any(t.startswith("Reuters via Yahoo Finance, ") for t in in_place)
    assert "according to Bloomberg as quoted by Yahoo Finance" in in_place

    sources = html.split('<section class="sources"')[1].split("</section>")[0]
    for number in re.findall(r'href="#source-(\d+)"', body):
        assert f'id="source-{number}"' in sources
    assert "Carried by Yahoo Finance" in sources
    assert "As quoted by Yahoo Finance" in sources

    [data] = jsonld(html)
    assert len(data["citation"]) == sources.count("<li ")
    assert any(c.get("provider", {}).get("name") == "Yahoo Finance" for c in data["citation"])


def test_claim_citation_follows_the_claim_even_across_markup(client):
    article = ArticleFactory(
        published=True, body="<p>Profit <strong>rose 12%</strong> in the quarter. Then more.</p>"
    )
    claim = ClaimFactory(article=article, text="Profit rose 12% in the quarter.")
    AttributionFactory(
        claim=claim, document=SourceDocumentFactory(publisher=PublisherFactory(name="Sony"))
    )
    html = html_of(client, article.get_absolute_url())
    assert re.search(
        r'in the quarter\. <span class="citation" id="claim-1">.*?>Sony</a>\)</span> Then more',
        html,
    )


def test_corrections_are_dated_and_the_updated_time_reflects_them(client):
    article = ArticleFactory(published=True)
    article.published_at = timezone.now() - dt.timedelta(days=3)
    Article.objects.filter(pk=article.pk).update(
        published_at=article.published_at, updated_at=article.published_at
    )
    correction = CorrectionFactory(article=article, text="The vote was 7–2, not 6–3.")
    html = html_of(client, article.get_absolute_url())
    assert "This article has been corrected" in html
    assert "The vote was 7–2, not 6–3." in html
    assert f'datetime="{correction.created_at.isoformat()}">Updated' in html.replace(
        "+00:00", "+00:00"
    )
    [data] = jsonld(html)
    assert data["correction"][0]["@type"] == "CorrectionComment"
    assert data["dateModified"] == correction.created_at.isoformat()


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


# -- search ------------------------------------------------------------------------------------


def test_search_finds_published_articles_by_their_words(client):
    ArticleFactory(published=True, headline="Sea wall vote", body="<p>The council voted.</p>")
    ArticleFactory(published=True, headline="Tram news", body="<p>New timetable.</p>")
    html = html_of(client, "/search/?q=sea+wall")
    assert "Sea wall vote" in html
    assert "Tram news" not in html
    assert "1 result for" in html


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="ranking needs PostgreSQL full-text search; CI runs this on PostgreSQL",
)
def test_search_ranks_headline_matches_first_on_postgresql(client):
    ArticleFactory(published=True, headline="Budget talks", body="<p>Ferries and ferries.</p>")
    ArticleFactory(published=True, headline="Ferry timetable changes", body="<p>Boats.</p>")
    html = html_of(client, "/search/?q=ferry")
    assert html.index("Ferry timetable changes") < html.index("Budget talks")


@pytest.mark.parametrize("query", ["", "x" * 5000, "<script>", "a AND (b", "page=-1"])
def test_odd_search_input_is_handled_calmly(client, query):
    html = html_of(client, "/search/", status=200) if not query else None
    response = client.get("/search/", {"q": query, "page": "not-a-number"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[1]
    del html


# -- speed ---------------------------------------------------------------------------------------


def make_listed(n, section, author, sponsor):
    for i in range(n):
        article = ArticleFactory(published=True, section=section, headline=f"Story {i}")
        article.tags.add("port")
        BylineFactory(article=article, author=author)
        BylineFactory(article=article, author=AIAgentFactory(), role=Byline.Role.RESEARCH)
        if i % 3 == 0:
            SponsorshipFactory(article=article, sponsor=sponsor)


LIST_URLS = [
    "/",
    "/section/port/",
    "/tag/port/",
    "/author/hannah/",
    "/sponsor/kestrel/",
    "/search/?q=story",
    "/feeds/latest.rss",
    "/section/port/feed.rss",
    "/sitemap.xml",
    "/news-sitemap.xml",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_list_pages_cost_the_same_queries_for_5_and_55_articles(
    client, url, django_assert_num_queries, settings
):
    settings.PUBLIC_CACHE_SECONDS = 0
    section = SectionFactory(slug="port", name="Port")
    author = AuthorFactory(slug="hannah")
    sponsor = SponsorFactory(slug="kestrel")
    make_listed(5, section, author, sponsor)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make_listed(50, section, author, sponsor)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_article_page_costs_the_same_queries_however_many_claims(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PUBLIC_CACHE_SECONDS = 0
    article = ArticleFactory(published=True, body="")
    BylineFactory(article=article)

    def grow(n):
        start = article.claims.count()
        article.body += "".join(f"<p>Fact {i} holds.</p>" for i in range(start, start + n))
        article.save()
        for i in range(start, start + n):
            AttributionFactory(claim=ClaimFactory(article=article, text=f"Fact {i} holds."))
        CorrectionFactory(article=article)

    grow(2)
    with CaptureQueriesContext(connection) as few:
        client.get(article.get_absolute_url())
    grow(30)
    with CaptureQueriesContext(connection) as many:
        client.get(article.get_absolute_url())
    assert len(many.captured_queries) == len(few.captured_queries)


def test_pages_answer_conditional_requests_with_304(client):
    article = ArticleFactory(published=True)
    first = client.get(article.get_absolute_url())
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_readers_see_a_correction_at_once_despite_the_cache(
    client, editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(published=True)
    first = client.get(article.get_absolute_url())
    assert "Corrections and updates" not in first.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(article, by=editor, kind="correction", text="Fixed the date.")
    second = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert "Fixed the date." in second.content.decode()
    assert second["ETag"] != first["ETag"]


def test_unpublishing_takes_the_article_off_cached_lists_at_once(
    client, editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(published=True, headline="Soon withdrawn")
    BylineFactory(article=article)
    assert "Soon withdrawn" in html_of(client, "/")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(article, by=editor, note="Legal advice.")
    assert "Soon withdrawn" not in html_of(client, "/")
    html_of(client, article.get_absolute_url(), status=410)


# -- pictures ------------------------------------------------------------------------------------


def test_lead_image_is_responsive_and_shared_in_cards_and_json_ld(client):
    from tests.factories import ImageFactory

    image = ImageFactory(alt_text="Ferries at the quay", credit="Port Alder Harbour")
    article = ArticleFactory(published=True, lead_image=image)
    html = html_of(client, article.get_absolute_url())
    picture = html.split('<figure class="picture picture--hero">')[1].split("</figure>")[0]
    assert '<source type="image/webp" srcset="' in picture
    assert re.search(r'<img [^>]*width="\d+" height="\d+"[^>]*alt="Ferries at the quay"', picture)
    assert "Port Alder Harbour" in picture
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert og_image.startswith("http://127.0.0.1:8000/media/")
    # Small pictures are never upscaled: the card is as wide as the image allows.
    assert re.search(r'<meta property="og:image:width" content="\d+">', html)
    assert '<meta property="og:image:alt" content="Ferries at the quay">' in html
    [data] = jsonld(html)
    assert data["image"] == og_image


def test_teasers_show_lazy_pictures_at_a_constant_query_cost(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ImageFactory

    settings.PUBLIC_CACHE_SECONDS = 0
    section = SectionFactory(slug="port")

    def make(n):
        for _ in range(n):
            ArticleFactory(published=True, section=section, lead_image=ImageFactory())

    make(3)
    client.get("/section/port/")  # renditions are made on first view, then reused
    with CaptureQueriesContext(connection) as few:
        html = client.get("/section/port/").content.decode()
    assert html.count('loading="lazy"') == 3
    make(12)
    client.get("/section/port/")
    with CaptureQueriesContext(connection) as many:
        client.get("/section/port/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_freshly_published_article_does_not_claim_to_be_updated(
    client, editor, django_capture_on_commit_callbacks
):
    from tests.factories import make_publishable

    article = make_publishable(ArticleFactory())
    Article.objects.filter(pk=article.pk).update(status=Article.Status.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article, by=editor)
    html = html_of(client, article.get_absolute_url())
    assert "Published " in html
    assert "Updated " not in html
