"""Shareable preview links in a real browser: made on the article page, opened by someone
without an account, revoked, and dead at once."""

from django.urls import reverse
from playwright.sync_api import expect

from articles.models import PreviewLink
from tests.factories import ArticleFactory, make_publishable

BODY = "Analysts expect more."


def test_editor_shares_a_preview_link_then_revokes_it(page, new_page, login, editor, page_errors):
    article = make_publishable(ArticleFactory(headline="Port strike ends"))
    login(editor)
    page.goto(reverse("admin:articles_article_change", args=[article.pk]))

    page.get_by_label("Preview link for (optional)").fill("Kestrel Wire approval")
    page.get_by_role("button", name="Create a shareable preview link").click()

    message = page.locator(".messagelist .success")
    expect(message).to_contain_text("Share this preview link")
    url = message.get_by_role("link").get_attribute("href")
    row = page.locator(".preview-links tr.preview-link")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Kestrel Wire approval")
    expect(row.locator(".preview-link-state")).to_have_text("Active")

    guest = new_page()  # its own cookies: no login
    guest.goto(url)
    expect(guest.locator(".preview-banner")).to_contain_text("not published")
    expect(guest.get_by_role("heading", level=1)).to_have_text("Port strike ends")
    expect(guest.get_by_text(BODY)).to_be_visible()

    page.reload()
    expect(row).to_contain_text("1 time")
    row.get_by_role("button", name="Revoke").click()

    expect(message).to_contain_text("is revoked: it no longer opens")
    expect(row.locator(".preview-link-state")).to_contain_text("Revoked by Maria Okafor")
    expect(row.get_by_role("button", name="Revoke")).to_have_count(0)

    # Chromium reports the 404 as a console error: here it is the point, not a fault.
    with guest.expect_console_message(lambda m: "404" in m.text):
        gone = guest.goto(url)
    page_errors[:] = [e for e in page_errors if not ("404" in e and url in e)]
    assert gone.status == 404
    expect(guest.get_by_text(BODY)).to_have_count(0)
    link = PreviewLink.objects.get()
    assert link.revoked_by == editor
    assert list(article.events.values_list("action", flat=True)) == [
        "preview_link_revoked",
        "preview_link_created",
    ]
