"""The Content-Security-Policy in Chromium: every page readers, editors and partners open
runs under the enforced policy with nothing refused (no securitypolicyviolation event,
no console error), cached pages included, and an injected inline script never runs."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import ImageFactory

SPONSORED_AI_ARTICLE = "/articles/cloud-gaming-home-network-ready/"
# Collects every violation from the first script the page runs, whatever refused it.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile}:${event.lineNumber}) ${event.sample}`
  );
});
"""


class Media:
    """/media/ from MEDIA_ROOT (the live server, not being DEBUG, serves none)."""

    def __init__(self, page):
        page.route("**/media/**", self.serve)

    def serve(self, route):
        path = Path(settings.MEDIA_ROOT) / route.request.url.split("/media/", 1)[1]
        if path.is_file():
            route.fulfill(path=path)
        else:
            route.fulfill(status=404)


@pytest.fixture
def visit(page):
    """``visit(url)``: loads ``url`` in ``page`` and returns the violations it reported."""
    page.add_init_script(RECORD_VIOLATIONS)
    Media(page)

    def visit(url: str) -> list[str]:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert "content-security-policy" in response.headers, url
        # Scripts that run late (the rich-text editor, Swagger UI) have had their turn.
        page.wait_for_load_state("networkidle")
        return page.evaluate("() => window.__violations")

    return visit


@pytest.fixture
def pictured(demo):
    """The demo's sponsored analysis, with a lead picture and its JSON-LD."""
    article = Article.objects.get(slug="cloud-gaming-home-network-ready")
    article.lead_image = ImageFactory(alt_text="A home router on a shelf")
    article.save(update_fields=["lead_image"])
    return article


def test_public_pages_run_under_the_policy_with_nothing_refused(page, visit, pictured):
    for url in ["/", SPONSORED_AI_ARTICLE, "/search/?q=port", "/about/labels/"]:
        assert visit(url) == [], url
    # Again, from the page cache: the replayed page and its own header still agree.
    assert visit(SPONSORED_AI_ARTICLE) == []
    picture = page.locator("figure.picture img")
    expect(picture).to_have_attribute("alt", "A home router on a shelf")
    assert picture.evaluate("img => img.complete && img.naturalWidth > 0")
    # The JSON-LD is a data block, which the policy leaves alone (nothing was refused).
    assert page.locator('script[type="application/ld+json"]').count() >= 1


INJECTED = (
    "<script>window.__ran = 'script'</script>"
    '<img alt="" src="data:," onerror="window.__ran = \'handler\'">'
)


def test_an_injected_inline_script_does_not_run_on_a_public_page(
    page, visit, pictured, page_errors
):
    # What a stored or reflected XSS would leave in a page, had the sanitiser missed it.
    def inject(route):
        response = route.fetch()
        route.fulfill(
            response=response, body=response.text().replace("</main>", INJECTED + "</main>")
        )

    page.route(f"**{SPONSORED_AI_ARTICLE}", inject)
    refused = visit(SPONSORED_AI_ARTICLE)

    assert page.evaluate("() => window.__ran") is None
    assert any(line.startswith("script-src-elem refused inline") for line in refused)
    assert any(line.startswith("script-src-attr refused inline") for line in refused)
    # Chromium logs each refusal on the console as well: expected here, and only those.
    page_errors[:] = [e for e in page_errors if "Content Security Policy" not in e]


def test_the_admin_runs_under_the_policy_with_nothing_refused(page, visit, pictured, login, editor):
    assert visit("/admin/login/") == []
    login(editor)
    assert visit("/admin/") == []
    assert visit(reverse("admin:articles_article_changelist")) == []
    assert visit(reverse("admin:articles_article_change", args=[pictured.pk])) == []
    assert visit(reverse("admin:articles_article_revisions", args=[pictured.pk])) == []
    assert visit(reverse("admin:articles_article_add")) == []
    # Its scripts ran: the rich-text editor is there, with the styles it injected.
    expect(page.locator(".ProseMirror[contenteditable=true]")).to_be_visible()
    assert visit(reverse("admin:articles_image_change", args=[ImageFactory().pk])) == []
    expect(page.locator(".focal-picker--ready")).to_be_visible()


def test_the_api_docs_run_under_the_policy_with_nothing_refused(page, visit):
    assert visit("/api/v1/docs/") == []
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Newsroom partner API")
