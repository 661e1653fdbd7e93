"""The public reader site in a real browser: what readers see, reach and hear.

Each test loads the demo newsroom, whose sponsored analysis written by the AI
agent Sift is the hardest page we publish to get right: a label, a sponsor, an
AI byline and sourced claims, all on one phone screen.
"""

import re

from django.utils import translation
from playwright.sync_api import expect

from articles import labels
from articles.models import Article, HumanReview
from tests.browser.axe import blocking, describe, run_axe
from tests.wording import reviewed_on

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
# WCAG 1.4.10 (Reflow): content fits 320 CSS pixels without scrolling sideways.
NARROWEST = {"width": 320, "height": 640}

SPONSORED_AI_ARTICLE = "/articles/cloud-gaming-home-network-ready/"
# Its German translation: the same piece, labelled as German press law asks.
GERMAN_ARTICLE = "/articles/cloud-gaming-home-network-ready-de/"
LABELS_PAGE = "/about/labels/"
PAGES = {
    "home": "/",
    "sponsored AI-written article": SPONSORED_AI_ARTICLE,
    "its German translation": GERMAN_ARTICLE,
    "AI agent's author page": "/author/sift/",
    "reporter's author page": "/author/tomas-reyes/",
    "search results": "/search/?q=port",
    "labels page": LABELS_PAGE,
}


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not rendered"
    return found


def article_header(page):
    return page.locator("main article.article > header")


# -- accessibility --------------------------------------------------------------------


def test_pages_have_no_serious_accessibility_violations(page, demo):
    # One test for all pages (each test reloads the demo): every page is checked
    # and every violation reported, not only the first page's.
    problems = []
    for name, url in PAGES.items():
        for viewport in (DESKTOP, MOBILE):
            page.set_viewport_size(viewport)
            page.goto(url)
            # An empty page would pass trivially: its teasers, bylines and labels
            # are what must be accessible.
            expect(page.locator("main h2").first, url).to_be_visible()
            if found := blocking(run_axe(page)):
                size = f"{viewport['width']}×{viewport['height']}"
                problems.append(describe(found, where=f"the {name} ({url}) at {size}"))
    assert not problems, "\n\n".join(problems)


def test_pages_have_one_h1_and_every_landmark_once(page, demo):
    for url in [*PAGES.values(), "/section/technology/", "/sponsor/kestrel-networks/"]:
        page.goto(url)
        expect(page.locator("h1"), url).to_have_count(1)
        expect(page.get_by_role("banner"), url).to_have_count(1)
        expect(page.get_by_role("main"), url).to_have_count(1)
        expect(page.get_by_role("contentinfo"), url).to_have_count(1)
        expect(page.get_by_role("search"), url).to_have_count(1)
        with translation.override(page.locator("html").get_attribute("lang")):
            sections = translation.gettext("Sections")  # "Ressorts" on a German page
        expect(page.get_by_role("navigation", name=sections), url).to_be_visible()
        # Two landmarks of a kind need different names, or a screen reader's list
        # of landmarks offers two identical entries.
        repeated = run_axe(page, rules=["landmark-unique", "landmark-one-main", "region"])
        assert not repeated, describe(repeated, where=url)


def test_pages_fit_a_phone_screen_without_sideways_scrolling(page, demo):
    for viewport in (MOBILE, NARROWEST):
        page.set_viewport_size(viewport)
        for url in PAGES.values():
            page.goto(url)
            width = page.evaluate("document.scrollingElement.scrollWidth")
            screen = viewport["width"]
            assert width <= screen, f"{url} is {width}px wide on a {screen}px wide screen"


# -- the label, the AI byline, the sources ----------------------------------------------


def test_sponsored_label_is_above_the_headline_on_the_first_phone_screen(page, demo):
    page.set_viewport_size(MOBILE)
    page.goto(SPONSORED_AI_ARTICLE)

    label = article_header(page).locator(".label")
    headline = page.get_by_role("heading", level=1)
    expect(label).to_have_text("Sponsored Advertising Content")
    expect(article_header(page).locator(".sponsor-line")).to_have_text(
        "Paid for by Kestrel Networks"
    )
    assert page.evaluate("window.scrollY") == 0
    expect(label).to_be_in_viewport(ratio=1)
    label_box, headline_box = box(label), box(headline)
    assert label_box["y"] + label_box["height"] <= headline_box["y"], "label is not above the h1"
    assert label_box["x"] >= 0 and label_box["x"] + label_box["width"] <= MOBILE["width"]
    assert label_box["y"] >= 0 and label_box["y"] + label_box["height"] <= MOBILE["height"]

    expect(label).to_have_attribute("href", LABELS_PAGE)
    label.click()
    expect(page).to_have_url(re.compile(re.escape(LABELS_PAGE) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("About our labels")


def test_german_translation_says_anzeige_above_its_headline_in_german(page, demo):
    page.set_viewport_size(MOBILE)
    page.goto(GERMAN_ARTICLE)

    expect(page.locator("html")).to_have_attribute("lang", "de")
    label = article_header(page).locator(".label")
    expect(label).to_have_text("Anzeige")
    expect(article_header(page).locator(".sponsor-line")).to_have_text(
        "Bezahlt von Kestrel Networks"
    )
    expect(label).to_be_in_viewport(ratio=1)
    label_box, headline_box = box(label), box(page.get_by_role("heading", level=1))
    assert label_box["y"] + label_box["height"] <= headline_box["y"], "label is not above the h1"
    expect(article_header(page).locator(".byline")).to_contain_text("KI-Agent, betrieben von")
    # The English original and the French translation are offered to German readers too.
    expect(page.locator('link[rel="alternate"][hreflang="en"]')).to_have_count(1)
    expect(page.locator('link[rel="alternate"][hreflang="fr"]')).to_have_count(1)
    if found := blocking(run_axe(page)):
        raise AssertionError(describe(found, where=f"the German article ({GERMAN_ARTICLE})"))


def test_ai_agent_byline_says_what_it_is_and_who_reviewed_it(page, demo):
    page.set_viewport_size(MOBILE)
    page.goto(SPONSORED_AI_ARTICLE)

    review = HumanReview.objects.get(article__slug="cloud-gaming-home-network-ready")
    reviewed = f"reviewed by Priya Nair on {reviewed_on(review)}"
    byline = article_header(page).locator(".byline")
    expect(byline).to_have_text(f"By Sift, an AI agent operated by Newsroom Media Ltd; {reviewed}")
    expect(byline.get_by_text("an AI agent operated by")).to_be_visible()
    expect(byline.get_by_role("link", name="an AI agent operated by")).to_have_attribute(
        "href", "/about/ai/"
    )
    expect(article_header(page).locator(".ai-note")).to_contain_text(
        f"An AI agent wrote this article; {reviewed}."
    )


def test_every_citation_leads_to_its_entry_in_the_sources(page, demo):
    page.set_viewport_size(MOBILE)
    page.goto(SPONSORED_AI_ARTICLE)

    links = page.locator('.body .citation a[href^="#source-"]')
    # The demo piece has five sourced claims, one with two sources (and one with a chain
    # of custody: its citation names the origin, Bloomberg, which leads to its entry).
    expect(links).to_have_count(6)
    for i in range(links.count()):
        link = links.nth(i)
        fragment = link.get_attribute("href")
        entry = page.locator(f".sources li{fragment}")
        expect(entry, f"no Sources entry for {fragment}").to_have_count(1)
        # Start from no fragment, so following a link to the same entry as the
        # previous one still changes the address.
        page.evaluate("history.replaceState(null, '', location.pathname)")

        link.click()

        expect(page).to_have_url(re.compile(re.escape(fragment) + "$"))
        expect(entry).to_be_visible()
        expect(entry).to_be_in_viewport()
        assert entry.evaluate("element => element.matches(':target')"), "entry not highlighted"
        # The entry is the one the citation names: "Reuters via Yahoo Finance" leads to Reuters.
        publisher = entry.locator("strong").first.inner_text()
        expect(link).to_contain_text(publisher)


def test_sponsored_teasers_on_home_show_their_labels(page, demo):
    page.goto("/")

    sponsored = Article.objects.published().filter(sponsorship__isnull=False)
    # Each card carries its label in its article's language, whatever the page's.
    expected = {}
    for article in sponsored:
        with labels.in_language(article):
            expected[article.pk] = article.label
    assert set(expected.values()) == {
        "Sponsored Advertising Content",
        "Supported by Tidewater Foundation",
        "Anzeige",
        "Publicité",
    }
    for article in sponsored:
        teasers = page.locator("article.teaser").filter(
            has=page.locator(f'a[href="{article.get_absolute_url()}"]')
        )
        expect(teasers.first, article.headline).to_be_visible()
        for i in range(teasers.count()):
            teaser = teasers.nth(i)
            label = teaser.locator(".label")
            expect(label).to_be_visible()
            expect(label).to_have_text(expected[article.pk])
            label_box, headline_box = box(label), box(teaser.get_by_role("heading"))
            assert label_box["y"] + label_box["height"] <= headline_box["y"], article.headline


def test_labels_page_shows_no_unfilled_placeholders(page):
    page.goto(LABELS_PAGE)
    assert "{sponsor}" not in page.get_by_role("main").inner_text()


# -- keyboard -------------------------------------------------------------------------


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_article(page, demo):
    page.goto(SPONSORED_AI_ARTICLE)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport(ratio=1)

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    # The next Tab continues in the article, at its label, not back in the header.
    page.keyboard.press("Tab")
    expect(article_header(page).locator(".label")).to_be_focused()


def test_focused_controls_show_a_visible_outline(page, demo):
    page.goto("/")

    # Skip link, site title, the five demo sections, search box, search button.
    for _ in range(9):
        page.keyboard.press("Tab")
        outline = page.evaluate(
            """() => {
                const style = getComputedStyle(document.activeElement);
                return {
                    element: document.activeElement.outerHTML.slice(0, 80),
                    style: style.outlineStyle,
                    width: parseFloat(style.outlineWidth),
                };
            }"""
        )
        assert outline["style"] != "none" and outline["width"] >= 2, outline
