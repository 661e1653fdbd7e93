"""The curated front page in a real browser: an editor renumbers two stories, drags one
by its handle or moves it with its arrow buttons on the admin's "Front page" page, and
readers see the new order at once. Screenshots at 1440 and 390 px are kept as artefacts
(the ``artefacts`` fixture: ``var/browser-artefacts/``, or ``BROWSER_ARTEFACTS``); axe
finds no serious violation on the page."""

import re

from playwright.sync_api import expect

from tests.articles.site.test_front_page import stories
from tests.browser.axe import assert_no_serious_violations

URL = "/admin/articles/frontpageslot/"
WIDTHS = {"desktop": 1440, "phone": 390}


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


def orders(page) -> list[str]:
    return [
        page.locator("#front-page tbody tr").nth(i).locator("input.front-page-order").input_value()
        for i in range(page.locator("#front-page tbody tr").count())
    ]


def row_of(page, headline: str):
    return page.locator("#front-page tbody tr").filter(has_text=headline)


def test_dragging_a_story_up_the_front_page(page, login, editor, artefacts):
    stories(4)
    login(editor)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    page.goto(URL)
    rows = page.locator("#front-page tbody tr")
    expect(rows.nth(1)).to_contain_text("Story 1")

    # Story 2's handle, dropped on the upper half of Story 1's row: it goes above it.
    handle = row_of(page, "Story 2").locator(".front-page-handle")
    handle.drag_to(row_of(page, "Story 1"), target_position={"x": 40, "y": 4})

    expect(rows.nth(1)).to_contain_text("Story 2")
    expect(rows.nth(2)).to_contain_text("Story 1")
    # The numbers follow the rows, so the form posts what typing them would have.
    assert orders(page)[:4] == ["1", "2", "3", "4"]
    expect(rows.nth(1)).to_have_class(re.compile(r"\bis-moved\b"))
    # The place keeps its name and its slot kind; only the story moved.
    expect(rows.nth(1).locator("th")).to_have_text("2")
    expect(rows.nth(0).locator("td.front-page-kind")).to_have_text("Lead")
    expect(rows.nth(1).locator("td.front-page-kind select")).to_have_attribute(
        "name", re.compile(r"-1-kind$")
    )
    expect(page.locator("#front-page-announce")).to_contain_text("Story 2 moved to position 2")
    page.screenshot(path=artefacts / "front-page-admin-dragged.png", full_page=True)

    page.get_by_role("button", name="Save the front page").click()
    expect(page.locator("ul.messagelist li")).to_have_text(
        "Front page saved: 2 position(s) changed."
    )
    expect(rows.nth(1)).to_contain_text("Story 2")
    expect(rows.nth(1)).to_contain_text("Pinned")
    page.goto("/")
    assert headlines(page)[:4] == ["Story 0", "Story 2", "Story 1", "Story 3"]


def test_moving_a_story_with_the_keyboard(page, login, editor):
    stories(4)
    login(editor)
    page.goto(URL)
    down = page.get_by_role("button", name="Move “Story 0” down")
    down.focus()
    page.keyboard.press("Enter")
    # Focus stays on the button, so pressing again moves the story another step.
    page.keyboard.press("Enter")
    rows = page.locator("#front-page tbody tr")
    expect(rows.nth(2)).to_contain_text("Story 0")
    expect(page.locator("#front-page-announce")).to_contain_text("Story 0 moved to position 3")
    page.get_by_role("button", name="Save the front page").click()
    expect(page.locator("ul.messagelist li")).to_contain_text("Front page saved")
    page.goto("/")
    assert headlines(page)[:4] == ["Story 1", "Story 2", "Story 0", "Story 3"]
