"""Query budgets of the reader's list pages: at most 6 queries (the home page 7), the
same for 5 and 50 stories and for the first page and a deep one (teasers with pictures,
bylines, labels)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Byline
from tests.articles.site.test_pagination import link
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    CorrectionFactory,
    ImageFactory,
    SectionFactory,
    SponsorFactory,
    SponsorshipFactory,
)

pytestmark = pytest.mark.django_db

# For every list: the page of stories, joined to section, lead image and sponsorship with
# its sponsor (1), then prefetch_teasers' three: bylines with authors and supervising
# editors (2), the lead images' renditions (3), human reviews (4). A teaser shows no tags
# or corrections, so no list reads them. The navigation comes from the cache (refreshed
# whenever a section is saved), but on the home page.
LISTING = 4
BUDGETS = {
    # sections, each with the ids of its newest four (which also draws the navigation);
    # the editors' current front-page pins; the latest thirteen ids (plus one per pin);
    # then every one of those stories as a listing
    "/": 3 + LISTING,
    # the section; the listing
    "/section/port/": 1 + LISTING,
    "/tag/port/": 1 + LISTING,
    # the author with their supervising editor; the listing
    "/author/hannah/": 1 + LISTING,
    "/sponsor/kestrel/": 1 + LISTING,
    # on PostgreSQL the planner's estimate of how many match (EXPLAIN, no rows read); the
    # listing, matched and ranked in one query
    "/search/?q=story": 1 + LISTING,
}


@pytest.fixture
def newsroom():
    return {
        "section": SectionFactory(slug="port", name="Port"),
        "other": SectionFactory(slug="harbour", name="Harbour"),
        "author": AuthorFactory(slug="hannah"),
        "sponsor": SponsorFactory(slug="kestrel"),
        "image": ImageFactory(),
    }


def publish_stories(n: int, newsroom: dict) -> None:
    for i in range(n):
        article = ArticleFactory(
            published=True,
            section=newsroom["section"] if i % 2 else newsroom["other"],
            headline=f"Story {i}",
            lead_image=newsroom["image"],
        )
        article.tags.add("port")
        BylineFactory(article=article, author=newsroom["author"])
        BylineFactory(article=article, author=AIAgentFactory(), role=Byline.Role.RESEARCH)
        if i % 3 == 0:
            SponsorshipFactory(article=article, sponsor=newsroom["sponsor"])
        if i % 4 == 0:
            CorrectionFactory(article=article)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", BUDGETS)
def test_list_pages_stay_within_budget_for_5_and_50_stories(client, settings, newsroom, url):
    settings.PUBLIC_CACHE_SECONDS = 0
    publish_stories(5, newsroom)
    client.get(url)  # the pictures' renditions are made once, on first sight
    few = queries(client, url)
    publish_stories(45, newsroom)
    client.get(url)
    # SQLite has no planner estimate to read.
    estimate = url.startswith("/search/") and connection.vendor != "postgresql"
    assert few == BUDGETS[url] - estimate
    assert queries(client, url) == few


@pytest.mark.parametrize("url", ["/section/port/", "/tag/port/", "/search/?q=story"])
def test_a_deep_page_costs_what_the_first_one_does(client, settings, newsroom, url):
    settings.PUBLIC_CACHE_SECONDS = 0
    publish_stories(45, newsroom)
    first = client.get(url).content.decode()
    deeper = url + ("&" if "?" in url else "?") + link(first, "next")[1:]
    assert queries(client, deeper) == queries(client, url)


def navigation(client, url: str) -> str:
    html = client.get(url).content.decode()
    return html[html.index('<nav class="site-nav"') : html.index("</nav>")]


def test_the_navigation_shows_a_section_renamed_added_or_removed_at_once(
    client, settings, newsroom
):
    settings.PUBLIC_CACHE_SECONDS = 0
    assert ">Port</a>" in navigation(client, "/section/port/")
    newsroom["section"].name = "Docks"
    newsroom["section"].save()
    SectionFactory(slug="ferries", name="Ferries")
    newsroom["other"].delete()
    nav = navigation(client, "/section/port/")
    assert ">Docks</a>" in nav and ">Ferries</a>" in nav
    assert ">Port</a>" not in nav and ">Harbour</a>" not in nav
    # The home page draws the same navigation from its own query.
    assert navigation(client, "/") == nav
