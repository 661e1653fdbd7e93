"""A published AI-written piece in a real browser: an edit is refused until the editor
records a review of the new version, and readers then see who reviewed it and when."""

from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, HumanReview
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AttributionFactory,
    BylineFactory,
    ClaimFactory,
)
from tests.wording import reviewed_on

CLAIM = "Sony said its profit rose."


def live_ai_piece(reviewer) -> Article:
    article = ArticleFactory(
        headline="Sony lifts its forecast", ai_involvement="generated", published=True
    )
    BylineFactory(article=article, author=AIAgentFactory(name="Sift"))
    AttributionFactory(claim=ClaimFactory(article=article, text=CLAIM))
    article.refresh_from_db()
    HumanReview.objects.create(
        article=article, reviewer=reviewer, reviewer_name="Sam Ng", version=article.version
    )
    return article


def test_an_edit_waits_for_a_review_of_the_new_version(page, login, editor, second_editor):
    article = live_ai_piece(second_editor)
    login(editor)
    page.goto(reverse("admin:articles_article_change", args=[article.pk]))

    page.get_by_label("Headline").fill("Sony raises its profit forecast")
    page.get_by_role("button", name="Save", exact=True).click()
    errors = page.locator(".errornote, .errorlist")
    expect(errors.first).to_be_visible()
    expect(page.get_by_text("Not saved: readers can see this article")).to_be_visible()
    expect(page.get_by_text("Sam Ng reviewed version")).to_be_visible()
    expect(page.get_by_label("Headline")).to_have_value("Sony raises its profit forecast")

    page.get_by_label("I reviewed this version").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    article = Article.objects.for_detail().get(pk=article.pk)
    assert article.headline == "Sony raises its profit forecast"
    page.goto(article.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Sony raises its profit forecast")
    expect(page.locator(".byline")).to_contain_text(
        f"reviewed by Maria Okafor on {reviewed_on(article.latest_review)}"
    )
