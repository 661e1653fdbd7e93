"""An editor's first minutes in the admin, in a real browser."""

import re

from playwright.sync_api import expect

from articles.models import Article
from articles.sanitize import sanitize_html


def test_editor_writes_an_article_in_the_admin(page, login, editor):
    login(editor)
    page.goto("/admin/articles/article/")
    page.get_by_role("link", name="Add article").click()

    page.get_by_label("Headline").fill("Sony's profit rises")
    # The body is a ProseMirror contenteditable, not a textarea: type into it
    # like an editor would, with Ctrl+B for the bold word.
    body = page.locator(".ProseMirror[contenteditable=true]")
    body.click()
    body.press_sequentially("Profit rose <5%> & ")
    body.press("Control+b")
    body.press_sequentially("analysts")
    body.press("Control+b")
    body.press_sequentially(" expect more.")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page).to_have_url(re.compile(r"/admin/articles/article/$"))
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    expect(page.locator("#result_list")).to_contain_text("Sony's profit rises")

    # What was typed is stored as escaped text in the allow-list's markup, not as tags.
    article = Article.objects.get(headline="Sony's profit rises")
    typed = "<p>Profit rose &lt;5%&gt; &amp; <strong>analysts</strong> expect more.</p>"
    assert article.body == typed
    assert article.body == sanitize_html(article.body)
    assert article.created_by == editor
