"""The editorial workflow in the admin, in a real browser: draft, review, publish, conflicts."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from articles.publishing import workflow
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    AuthorFactory,
    BylineFactory,
    ClaimFactory,
    SectionFactory,
)

CLAIM = "Sony said its profit rose."


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def status(page):
    return page.locator(".workflow-panel .workflow-status")


def pick(page, field_name: str, typed: str, option: str) -> None:
    """Choose ``option`` in the admin's autocomplete (select2) widget for ``field_name``."""
    page.locator(f"select[name='{field_name}'] + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.get_by_role("option", name=option).click()
    expect(page.locator(f"select[name='{field_name}'] + .select2")).to_contain_text(option)


def body_editor(page):
    return page.locator(".ProseMirror[contenteditable=true]")


def log_out(page) -> None:
    page.locator("#user-tools").get_by_role("button", name="Log out").click()
    expect(page.get_by_text("Thanks for spending some quality time")).to_be_visible()


def sourced_article(reporter, **fields) -> Article:
    """The reporter's own draft, bylined to them, with a sourced claim from its body."""
    body = f"<p>{CLAIM} Analysts expect more.</p>"
    article = ArticleFactory(created_by=reporter, body=body, **fields)
    author = AuthorFactory(user=reporter, name="Priya Raman")
    BylineFactory(article=article, author=author)
    AttributionFactory(claim=ClaimFactory(article=article, text=CLAIM))
    return article


def test_reporter_drafts_and_submits(page, login, reporter):
    SectionFactory(name="Technology", slug="technology")
    AuthorFactory(user=reporter, name="Priya Raman")
    login(reporter)
    page.goto("/admin/articles/article/add/")

    headline = "Chip exports fall for a third month"
    page.get_by_label("Headline").fill(headline)
    body = body_editor(page)
    body.click()
    body.press_sequentially(f"{CLAIM} Analysts expect more.")
    pick(page, "section", "Tech", "Technology")
    page.get_by_role("button", name="Add another Byline").click()
    pick(page, "bylines-0-author", "Priya", "Priya Raman")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    page.locator("#result_list").get_by_role("link", name=headline).click()

    expect(status(page)).to_have_text("Draft")
    actions = page.locator(".workflow-actions")
    expect(actions.get_by_role("button", name="Submit for review")).to_be_visible()
    expect(actions.get_by_role("button", name="Publish now")).to_have_count(0)
    expect(actions.get_by_role("button", name="Approve")).to_have_count(0)

    actions.get_by_role("button", name="Submit for review").click()

    expect(page.locator(".messagelist .success")).to_have_text("Submit for review: done.")
    expect(status(page)).to_have_text("In review")
    article = Article.objects.get(headline=headline)
    assert article.status == Article.Status.IN_REVIEW
    assert article.created_by == reporter
    assert article.section.name == "Technology"
    assert [b.author.user for b in article.bylines.all()] == [reporter]
    assert article.body == f"<p>{CLAIM} Analysts expect more.</p>"


def test_editor_requests_changes_then_approves_and_publishes(page, login, reporter, editor):
    article = sourced_article(reporter, headline="Port strike ends")
    workflow.submit(article, by=reporter)
    note = "Name the analysts, please."

    login(editor)
    awaiting = page.locator(".dashboard .module").filter(
        has=page.get_by_role("heading", name="Awaiting review")
    )
    awaiting.get_by_role("link", name="Port strike ends").click()
    expect(status(page)).to_have_text("In review")
    page.get_by_label("Note for request changes").fill(note)
    page.get_by_role("button", name="Request changes").click()
    expect(page.locator(".messagelist .success")).to_have_text("Request changes: done.")
    expect(status(page)).to_have_text("Draft")
    log_out(page)

    login(reporter)
    page.goto(change_url(article))
    request = page.locator(".workflow-panel .change-request")
    expect(request).to_contain_text("Changes requested by Maria Okafor")
    expect(request).to_contain_text(note)
    page.get_by_role("button", name="Submit for review").click()
    expect(status(page)).to_have_text("In review")
    expect(request).to_have_count(0)
    log_out(page)

    login(editor)
    page.goto(change_url(article))
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist .success")).to_have_text("Approve: done.")
    expect(status(page)).to_have_text("Approved")
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator(".messagelist .success")).to_have_text("Publish now: done.")
    expect(status(page)).to_have_text("Published")
    expect(page.locator(".workflow-panel")).to_contain_text("All publishing checks pass.")

    # The audit trail inline, newest first.
    trail = ["publish", "approve", "submit", "request_changes", "submit"]
    expect(page.locator("#events-group td.field-action")).to_have_text(trail)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None
    events = list(article.events.values_list("action", "actor_name"))
    assert events == [
        ("publish", "Maria Okafor"),
        ("approve", "Maria Okafor"),
        ("submit", "Priya Raman"),
        ("request_changes", "Maria Okafor"),
        ("submit", "Priya Raman"),
    ]
    assert article.events.get(action="request_changes").note == note


def test_blocked_publish_shows_the_reason_on_screen(page, login, reporter, editor):
    article = ArticleFactory(created_by=reporter, body=f"<p>{CLAIM}</p>", headline="Unsourced")
    BylineFactory(article=article, author=AuthorFactory(user=reporter))
    ClaimFactory(article=article, text=CLAIM)  # no attribution
    workflow.submit(article, by=reporter)
    workflow.approve(article, by=editor)
    reason = f"The claim “{CLAIM}” has no source."

    login(editor)
    page.goto(change_url(article))
    gates = page.locator(".workflow-panel .gate-problems")
    expect(gates).to_contain_text("Cannot be published yet")
    expect(gates.get_by_role("listitem")).to_have_text([reason])

    page.get_by_role("button", name="Publish now").click()

    error = page.locator(".messagelist .error")
    expect(error).to_contain_text("Publish now was refused")
    expect(error.get_by_role("listitem")).to_have_text([reason])
    expect(gates.get_by_role("listitem")).to_have_text([reason])
    expect(status(page)).to_have_text("Approved")
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    assert article.published_at is None
    assert not article.events.filter(action="publish").exists()


def test_edit_conflict_keeps_the_second_editors_text(
    page, new_page, login, reporter, editor, second_editor
):
    article = sourced_article(reporter, headline="Original headline")
    maria, sam = page, new_page()
    login(editor, on=maria)
    login(second_editor, on=sam)
    maria.goto(change_url(article))
    sam.goto(change_url(article))

    maria.get_by_label("Headline").fill("Maria's headline")
    maria.get_by_role("button", name="Save", exact=True).click()
    expect(maria.locator(".messagelist .success")).to_contain_text("was changed successfully")

    body = body_editor(sam)
    body.click()
    body.press("Control+End")
    body.press_sequentially(" Sam's careful rewrite.")
    sam.get_by_role("button", name="Save", exact=True).click()

    expect(sam.get_by_text(re.compile("^Edit conflict: Maria Okafor saved"))).to_be_visible()
    expect(body_editor(sam)).to_contain_text("Sam's careful rewrite.")
    expect(sam.get_by_label("Headline")).to_have_value("Original headline")
    article.refresh_from_db()
    assert article.headline == "Maria's headline"
    assert "Sam's careful rewrite" not in article.body
    refused = article.revisions.get(kind="refused")
    assert refused.created_by == second_editor
    assert "Sam's careful rewrite." in refused.data["body"]
