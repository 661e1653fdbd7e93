"""Autosave, recovery and presence on the article page, in real browsers: typed text
survives a closed tab, an autosave never goes over someone else's save, and two editors
see each other and are warned before saving over each other's work."""

import re
import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, EditingSession, Revision
from articles.publishing import editing
from tests.browser.axe import blocking, describe, run_axe
from tests.factories import ArticleFactory, make_publishable


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    """Seconds instead of the defaults (read by the page through its data attributes)."""
    monkeypatch.setattr(editing, "AUTOSAVE_SECONDS", 1)
    monkeypatch.setattr(editing, "PING_SECONDS", 1)


@pytest.fixture(autouse=True)
def leave_cleanly(page, new_page):
    """After each test, every page leaves (its last request answered) before the test
    database is emptied: a ping still on its way would meet the emptying."""
    yield
    for context in page.context.browser.contexts:
        for open_page in context.pages:
            open_page.goto("about:blank")
    deadline = time.monotonic() + 5
    while EditingSession.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)


@pytest.fixture
def article():
    return make_publishable(
        ArticleFactory(headline="Port strike ends", body="<p>Sony said its profit rose.</p>")
    )


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def body_editor(page):
    return page.locator(".ProseMirror[contenteditable=true]")


def status(page):
    return page.locator("#editing-panel [role=status]")


def others(page):
    return page.locator("#editing-panel .editing-others")


def type_in_body(page, text: str) -> None:
    body = body_editor(page)
    body.click()
    body.press("End")
    body.press_sequentially(text)


def test_typed_text_survives_a_closed_tab_and_is_restored_and_saved(page, login, editor, article):
    login(editor)
    page.goto(change_url(article))
    page.get_by_label("Headline").fill("Port strike ends after nine days")
    type_in_body(page, " Dockers return on Monday.")
    expect(status(page)).to_have_text(re.compile(r"^Autosaved at \d\d:\d\d$"))
    page.close()  # the tab closed (or crashed) without saving

    assert Article.objects.get().headline == "Port strike ends"
    reopened = page.context.new_page()
    reopened.goto(change_url(article))
    offer = reopened.locator(".editing-offer")
    expect(offer).to_contain_text("You have autosaved text from")
    expect(offer).to_contain_text("that was never saved")
    violations = blocking(run_axe(reopened))
    assert violations == [], describe(violations, where="the recovery offer")

    offer.get_by_role("link", name=re.compile(r"^Restore autosaved text from \d\d:\d\d$")).click()
    expect(reopened.get_by_label("Headline")).to_have_value("Port strike ends after nine days")
    expect(body_editor(reopened)).to_contain_text("Dockers return on Monday.")
    expect(reopened.locator(".editing-restored")).to_contain_text("It is not saved yet")
    reopened.get_by_role("button", name="Save and continue editing").click()

    expect(reopened.locator(".messagelist .success")).to_be_visible()
    saved = Article.objects.get()
    assert saved.headline == "Port strike ends after nine days"
    assert "Dockers return on Monday." in saved.body
    assert not saved.revisions.filter(kind=Revision.Kind.AUTOSAVE).exists()
    expect(reopened.locator(".editing-offer")).to_have_count(0)


def test_discarding_the_offer_turns_autosave_back_on(page, login, editor, article):
    login(editor)
    page.goto(change_url(article))
    type_in_body(page, " First attempt.")
    expect(status(page)).to_contain_text("Autosaved at")
    page.reload()

    page.get_by_role("button", name="Discard").click()
    expect(status(page)).to_have_text("Autosaved text discarded. Autosave is on.")
    expect(page.locator(".editing-offer")).to_have_count(0)
    expect(page.get_by_label("Headline")).to_be_focused()
    type_in_body(page, " Second attempt.")
    expect(status(page)).to_contain_text("Autosaved at")
    kept = Revision.objects.get(kind=Revision.Kind.AUTOSAVE)
    assert "Second attempt." in kept.data["body"]
    assert "First attempt." not in kept.data["body"]


def test_autosave_is_refused_after_another_editor_saved(
    page, new_page, login, editor, second_editor, article, page_errors
):
    login(editor)
    page.goto(change_url(article))
    sam = new_page()
    login(second_editor, on=sam)
    sam.goto(change_url(article))
    sam.get_by_label("Headline").fill("Sam's headline")
    sam.get_by_role("button", name="Save and continue editing").click()
    expect(sam.locator(".messagelist .success")).to_be_visible()

    type_in_body(page, " Maria keeps typing.")

    expect(status(page)).to_contain_text("Not autosaved: Sam Ng saved this article at")
    expect(status(page)).to_contain_text("Your text is kept for recovery")
    saved = Article.objects.get()
    assert saved.headline == "Sam's headline"
    assert "Maria keeps typing." not in saved.body
    # Chromium logs the refusal (409) on the console: expected here, and only that.
    page_errors[:] = [e for e in page_errors if "status of 409 (Conflict)" not in e]


def test_two_editors_see_each_other_and_a_save_meanwhile_is_announced(
    page, new_page, login, editor, second_editor, article, page_errors
):
    login(editor)
    page.goto(change_url(article))
    sam = new_page()
    login(second_editor, on=sam)
    sam.goto(change_url(article))

    expect(others(page)).to_have_text("Sam Ng (viewing)")
    expect(others(sam)).to_have_text("Maria Okafor (viewing)")
    sam.get_by_label("Headline").fill("Sam's headline")
    expect(others(page)).to_have_text("Sam Ng (editing)")
    page.get_by_label("Headline").fill("Maria's headline")
    expect(page.locator("#editing-panel .editing-warning")).to_be_hidden()

    sam.get_by_role("button", name="Save and continue editing").click()
    expect(sam.locator(".messagelist .success")).to_be_visible()

    # Maria is told without reloading, at the top and beside the save buttons.
    warning = page.locator("#editing-panel .editing-warning")
    expect(warning).to_have_text(
        re.compile(
            r"^Sam Ng saved this article at \d\d:\d\d \(now version \d+\) while you were "
            r"editing\. Saving now will ask you to resolve the conflict\.$"
        )
    )
    expect(page.locator(".editing-warning-near-save").first).to_be_visible()
    violations = blocking(run_axe(page))
    assert violations == [], describe(violations, where="the presence panel")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("Edit conflict: Sam Ng saved this article")).to_be_visible()
    assert Article.objects.get().headline == "Sam's headline"

    # Closing the page takes Sam off Maria's list at once, not after the timeout.
    sam.close()
    expect(others(page)).to_have_text("no one else")
    # Maria's typing met Sam's save: its autosave was refused (409), as it should be.
    page_errors[:] = [e for e in page_errors if "status of 409 (Conflict)" not in e]
