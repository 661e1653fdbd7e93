"""The curated front page in a real browser: an editor renumbers two stories on the
admin's "Front page" page and readers see the new order at once. Screenshots at 1440 and
390 px are kept as artefacts (``BROWSER_ARTEFACTS``, else the session's pytest temporary
directory, under ``artefacts/``); axe finds no serious violation on the page."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.articles.site.test_front_page import stories
from tests.browser.axe import assert_no_serious_violations

URL = "/admin/articles/frontpageslot/"
WIDTHS = {"desktop": 1440, "phone": 390}


@pytest.fixture
def artefacts(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("BROWSER_ARTEFACTS") or tmp_path_factory.getbasetemp())
    folder = folder / "artefacts" if "BROWSER_ARTEFACTS" not in os.environ else folder
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def headlines(page) -> list[str]:
    return page.locator("article.teaser :is(h2, h3) a").all_text_contents()


def test_reordering_the_front_page(page, login, editor, artefacts):
    stories(4)
    login(editor)
    page.goto("/")
    assert headlines(page)[:4] == ["Story 0", "Story 1", "Story 2", "Story 3"]

    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    page.goto(URL)
    expect(page.get_by_role("heading", name="Front page")).to_be_visible()
    assert_no_serious_violations(page, where="the front page's admin page")
    page.get_by_label("Order of position 2").fill("3")
    page.get_by_label("Order of position 3").fill("2")
    page.get_by_role("button", name="Save the front page").click()
    expect(page.locator("ul.messagelist li")).to_have_text(
        "Front page saved: 2 position(s) changed."
    )
    rows = page.locator("#front-page tbody tr")
    expect(rows.nth(1)).to_contain_text("Story 2")
    expect(rows.nth(1)).to_contain_text("Pinned")
    assert_no_serious_violations(page, where="the front page's admin page, after saving")
    for name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=artefacts / f"front-page-admin-{name}.png", full_page=True)
        # The table scrolls within the page; the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.goto("/")
    assert headlines(page)[:4] == ["Story 0", "Story 2", "Story 1", "Story 3"]
