"""Reading a long list page by page: "Older stories" and "Newer stories" links."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from articles.models import Article
from articles.site.pagination import PAGE_SIZE
from tests.articles.site.helpers import html_of
from tests.factories import ArticleFactory, AuthorFactory, BylineFactory, SectionFactory

pytestmark = pytest.mark.django_db

HEADLINE = re.compile(r"<h2><a href=\"/articles/[^\"]+/\">(Story \d+)</a></h2>")
LINK = re.compile(r'<a href="\?([^"]+)" rel="(prev|next)">')


def headlines(html: str) -> list[str]:
    return HEADLINE.findall(html)


def link(html: str, rel: str) -> str | None:
    for query, found in LINK.findall(html):
        if found == rel:
            return "?" + query.replace("&amp;", "&")
    return None


def make_stories(n: int, section, *, now=None, same_time_every=0) -> list[str]:
    """``n`` published stories, newest first; every ``same_time_every`` share a minute."""
    now = now or timezone.now()
    made = []
    for i in range(n):
        minute = i // same_time_every if same_time_every else i
        made.append(
            ArticleFactory(
                published=True,
                section=section,
                headline=f"Story {i}",
                published_at=now - dt.timedelta(minutes=minute + 1),
            )
        )
    made.sort(key=lambda a: (a.published_at, a.pk), reverse=True)
    return [a.headline for a in made]


def walk(client, url: str, rel: str = "next") -> list[list[str]]:
    pages, seen = [], set()
    while url:
        assert url not in seen, f"{url} visited twice"
        seen.add(url)
        html = html_of(client, url)
        pages.append(headlines(html))
        nxt = link(html, rel)
        url = url.split("?")[0] + nxt if nxt else None
    return pages


def test_a_reader_walking_older_pages_sees_every_story_once_newest_first(client):
    section = SectionFactory(slug="port")
    # Stories published in the same minute still each appear exactly once.
    expected = make_stories(2 * PAGE_SIZE + 5, section, same_time_every=3)
    ArticleFactory(section=section, headline="Story 999")  # a draft
    ArticleFactory(
        section=section,
        headline="Story 998",
        status=Article.Status.SCHEDULED,
        scheduled_for=timezone.now() + dt.timedelta(days=1),
    )
    pages = walk(client, "/section/port/")
    assert [len(p) for p in pages] == [PAGE_SIZE, PAGE_SIZE, 5]
    assert [h for page in pages for h in page] == expected


def test_newer_stories_leads_back_through_the_same_pages(client):
    section = SectionFactory(slug="port")
    make_stories(2 * PAGE_SIZE + 5, section)
    forward = walk(client, "/section/port/")
    last = html_of(client, "/section/port/")
    url = "/section/port/"
    while nxt := link(last, "next"):
        url = "/section/port/" + nxt
        last = html_of(client, url)
    backward = walk(client, url, rel="prev")
    assert backward == forward[::-1]
    # The first page links only to older stories; the last only to newer ones.
    first = html_of(client, "/section/port/")
    assert link(first, "prev") is None and "Older stories" in first
    assert link(last, "next") is None and "Newer stories" in last


def test_stories_published_meanwhile_do_not_push_a_reader_back_over_what_they_read(client):
    section = SectionFactory(slug="port")
    make_stories(PAGE_SIZE + 3, section)
    first = html_of(client, "/section/port/")
    make_stories(4, section, now=timezone.now() + dt.timedelta(seconds=50))
    second = html_of(client, "/section/port/" + link(first, "next"))
    assert headlines(second) == ["Story 20", "Story 21", "Story 22"]


def test_a_tag_or_author_list_walks_the_same_way(client):
    section = SectionFactory()
    author = AuthorFactory(slug="hannah")
    expected = make_stories(PAGE_SIZE + 2, section)
    for article in Article.objects.all():
        article.tags.add("harbour")
        BylineFactory(article=article, author=author)
    for url in ["/tag/harbour/", "/author/hannah/"]:
        assert [h for page in walk(client, url) for h in page] == expected, url


def test_search_results_walk_without_repeats(client):
    section = SectionFactory()
    expected = make_stories(PAGE_SIZE + 4, section)
    pages = walk(client, "/search/?q=story")
    assert sorted(h for page in pages for h in page) == sorted(expected)
    assert len(pages) == 2
    first = html_of(client, "/search/?q=story")
    assert f"More than {PAGE_SIZE} results for" in first
    assert "q=story&amp;before=" in first


def test_a_short_list_has_no_page_links(client):
    make_stories(3, SectionFactory(slug="port"))
    html = html_of(client, "/section/port/")
    assert 'class="pagination"' not in html


@pytest.mark.parametrize("query", ["page=3", "page=abc", "q=ferry&page=2"])
def test_old_page_number_links_lead_to_the_first_page(client, query):
    SectionFactory(slug="port")
    path = "/search/" if query.startswith("q=") else "/section/port/"
    response = client.get(f"{path}?{query}")
    assert response.status_code == 302
    assert response["Location"] == (f"{path}?q=ferry" if "q=" in query else path)


@pytest.mark.parametrize(
    "cursor",
    ["before=x", "before=1_2_3", "after=99999999999999999999_1", "before=1_" + "9" * 40, "after="],
)
def test_a_mangled_position_shows_the_first_page(client, cursor):
    expected = make_stories(3, SectionFactory(slug="port"))
    assert headlines(html_of(client, f"/section/port/?{cursor}")) == expected
