"""The audit log in a real browser: an editor finds who published what, and the page
is accessible."""

from playwright.sync_api import expect

from articles.publishing import workflow
from tests.articles.publishing.helpers import newsroom_article
from tests.browser.axe import assert_no_serious_violations


def test_editor_filters_the_audit_log_by_action(page, login, reporter, other_reporter, editor):
    harbour = newsroom_article(reporter, headline="Harbour strike looms")
    workflow.submit(harbour, by=reporter)
    tram = newsroom_article(other_reporter, headline="Tram Wi-Fi approved")
    workflow.submit(tram, by=other_reporter)
    workflow.approve(tram, by=editor)
    workflow.publish(tram, by=editor)

    login(editor)
    page.get_by_role("link", name="Article events").click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(4)
    assert_no_serious_violations(page, where="the audit log")

    page.locator("#changelist-filter").get_by_role("link", name="Published").click()

    expect(rows).to_have_count(1)
    expect(rows.locator("td.field-who")).to_have_text("Maria Okafor")
    expect(rows.locator("td.field-action_name")).to_have_text("Published")
    expect(rows.locator("td.field-article_link")).to_have_text("Tram Wi-Fi approved")
    expect(rows.locator("td.field-states")).to_have_text("Approved → Published")
    export = page.get_by_role("link", name="Export as CSV")
    expect(export).to_have_attribute("href", "/admin/articles/articleevent/export/?action=publish")

    rows.get_by_role("link", name="Tram Wi-Fi approved").click()
    expect(page.get_by_label("Headline")).to_have_value("Tram Wi-Fi approved")
