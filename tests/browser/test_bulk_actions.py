"""A bulk action in a real browser: tick rows in the article list, choose "Move to
section…", confirm, and read the report, with the one piece the desk firewall refused."""

import re

from playwright.sync_api import expect

from articles.models import Article
from tests.articles.publishing.helpers import S, commercial_article, put
from tests.browser.axe import assert_no_serious_violations
from tests.factories import ArticleFactory, SectionFactory, make_publishable


def test_move_to_section_with_a_partly_refused_selection(page, login, commercial, editor):
    technology = SectionFactory(name="Technology", slug="technology")
    ads = [
        commercial_article(commercial, S.DRAFT, headline="Sponsored guide to batteries"),
        commercial_article(commercial, S.PUBLISHED, headline="Sponsored tour of a gigafactory"),
    ]
    # Published, so the commercial desk sees it in the list; still the newsroom's to change.
    scoop = ArticleFactory(created_by=editor, headline="The newsroom's scoop")
    put(make_publishable(scoop), S.PUBLISHED)
    login(commercial)

    page.goto("/admin/articles/article/")
    for headline in [*(ad.headline for ad in ads), scoop.headline]:
        page.get_by_role("row").filter(has_text=headline).locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label="Move to section…")
    page.get_by_role("button", name="Run", exact=True).click()

    # The confirmation page: the selection, and the section to move it to.
    expect(
        page.get_by_role("heading", name="Move the selected articles to a section")
    ).to_be_visible()
    selection = page.locator("table.bulk-selection tbody tr")
    expect(selection).to_have_count(3)
    assert_no_serious_violations(page, where="the bulk confirmation page")
    page.get_by_label("Move to").select_option(label="Technology")
    page.get_by_role("button", name="Move them (3)").click()

    # Back in the list, with the report.
    expect(page).to_have_url(re.compile(r"/admin/articles/article/$"))
    messages = page.locator("ul.messagelist li")
    expect(messages).to_have_text(
        [
            "Moved 2 articles to Technology.",
            "Refused 1:",
            "“The newsroom's scoop” — The commercial desk cannot work on newsroom articles.",
        ]
    )
    moved = Article.objects.filter(section=technology).values_list("headline", flat=True)
    assert sorted(moved) == sorted(ad.headline for ad in ads)
    assert Article.objects.get(pk=scoop.pk).section != technology
