"""The admin as editors see it, at a desktop's 1440 px and a phone's 390 px: the article
list, the article page, the editorial overview and the front page. Full-page screenshots
of each are kept as artefacts (``admin-<page>-desktop.png`` / ``-mobile.png``, in the
folder of the ``artefacts`` fixture); on a phone no page scrolls sideways; axe finds no
serious violation on any of them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.media import renditions
from articles.models import Article
from articles.publishing import workflow
from tests.browser.axe import assert_no_serious_violations
from tests.factories import ArticleFactory, ImageFactory, make_publishable

WIDTHS = {"desktop": 1440, "mobile": 390}
# The cloud-gaming piece of the demo: sponsored, written by an AI agent, with claims.
SPONSORED_AI = "Cloud gaming is moving into the living room. Is your home network ready?"


def box(page, selector: str) -> dict:
    found = page.locator(selector)
    expect(found).to_have_count(1)
    return found.bounding_box()


def shoot(page, url: str, name: str, artefacts, width: int, label: str) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    page.screenshot(path=artefacts / f"admin-{name}-{label}.png", full_page=True)
    if width < 600:
        # Wide tables scroll in their own box: the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_no_serious_violations(page, where=f"{url} at {width} px")


def with_picture(article: Article) -> Article:
    """Give ``article`` a lead image whose list thumbnail is already made."""
    image = ImageFactory()
    renditions.get_rendition(image, "thumbnail", "webp")
    article.lead_image = image
    article.save(update_fields=["lead_image"])
    return article


@pytest.fixture
def embargoed(demo) -> Article:
    at = timezone.now() + dt.timedelta(days=2)
    return ArticleFactory(
        headline="Results under embargo",
        status=Article.Status.SCHEDULED,
        scheduled_for=at,
        embargo=True,
    )


def test_article_list_reads_at_a_glance(page, login, superuser, demo, embargoed, artefacts):
    with_picture(Article.objects.get(headline=SPONSORED_AI))
    login(superuser)
    url = reverse("admin:articles_article_changelist")
    for label, width in WIDTHS.items():
        shoot(page, url, "article-list", artefacts, width, label)
        if label == "desktop":
            headline = box(page, "#result_list tbody tr:first-child th.field-headline")
            # Headlines read as lines (five or six words), not as a word or two stacked:
            # the column was 75 px wide beside the app list and the filters.
            assert headline["width"] >= 280
            published = page.locator("#result_list thead th.column-published")
            expect(published).to_be_in_viewport()
            row = page.locator("#result_list tr").filter(has_text=SPONSORED_AI)
            expect(row.locator("img.image-thumbnail")).to_be_visible()
            expect(row.locator(".badge-ai")).to_be_visible()
    row = page.locator("#result_list tr").filter(has_text="Results under embargo")
    local = timezone.localtime(embargoed.scheduled_for)
    expect(row.locator(".status-badge")).to_have_text(f"Embargoed until {local:%-d %b %H:%M}")


def test_article_page_has_a_side_column_for_publishing(page, login, superuser, demo, artefacts):
    article = Article.objects.get(headline=SPONSORED_AI)
    login(superuser)
    url = reverse("admin:articles_article_change", args=[article.pk])
    sizes = {}
    for label, width in WIDTHS.items():
        shoot(page, url, "article-change", artefacts, width, label)
        main, side = box(page, ".article-main"), box(page, ".article-sidebar")
        headline = box(page, "input[name=headline]")
        sizes[label] = {
            "page height": page.evaluate("document.documentElement.scrollHeight"),
            "headline input width": headline["width"],
            "side column width": side["width"],
        }
        if label == "desktop":
            # Beside each other: the side column starts right of the writing area, level
            # with the headline.
            assert side["x"] >= main["x"] + main["width"]
            assert side["y"] <= headline["y"]
            assert headline["width"] >= 600
        else:
            assert abs(side["x"] - main["x"]) < 20
            assert side["y"] >= headline["y"] + headline["height"]
        expect(page.locator(".article-sidebar .workflow-panel")).to_be_visible()
        expect(page.locator(".article-sidebar #sponsorship-group")).to_have_count(1)
    print("article page height and width:", sizes)


def test_dashboard_uses_the_screen(page, login, superuser, demo, artefacts):
    login(superuser)
    url = reverse("admin:index")
    for label, width in WIDTHS.items():
        shoot(page, url, "dashboard", artefacts, width, label)
        panels = page.locator(".dashboard-grid > .module")
        first, second = panels.nth(0).bounding_box(), panels.nth(1).bounding_box()
        dashboard = box(page, "section.dashboard")
        if label == "desktop":
            # The whole width (Django's own is 600 px).
            assert dashboard["width"] >= 1440 * 0.85
            assert second["y"] == first["y"]  # side by side
        else:
            assert second["y"] > first["y"]  # one column


def test_front_page_curation_at_both_widths(page, login, superuser, demo, artefacts):
    login(superuser)
    url = reverse("admin:articles_frontpageslot_changelist")
    for label, width in WIDTHS.items():
        shoot(page, url, "front-page", artefacts, width, label)
        expect(page.get_by_role("heading", name="Front page")).to_be_visible()


def test_the_side_columns_forms_post_on_their_own(page, login, reporter, editor):
    """The workflow panel sits inside the article's form; its fields belong to forms of
    their own (form="…"), so scheduling under embargo sends only what it asks for."""
    article = ArticleFactory(created_by=reporter)
    make_publishable(article)
    workflow.submit(article, by=reporter)
    workflow.approve(article, by=editor)
    login(editor)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    page.goto(reverse("admin:articles_article_change", args=[article.pk]))
    side = page.locator(".article-sidebar")
    at = timezone.localtime() + dt.timedelta(days=1)
    side.get_by_label("Publish at", exact=True).fill(f"{at:%Y-%m-%dT%H:%M}")
    side.get_by_label("Embargo: partners cleared for embargoed copy receive it now").check()
    # Typed into the article's own field: not sent with the schedule, nor saved by it.
    page.get_by_label("Headline").fill("Not saved by scheduling")
    side.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.locator(".messagelist .success")).to_have_text("Schedule: done.")
    expect(page.locator(".workflow-status")).to_have_text("Scheduled")
    expect(page.locator(".workflow-embargo")).to_contain_text("embargoed until")
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED
    assert article.embargo is True
    assert article.headline != "Not saved by scheduling"
