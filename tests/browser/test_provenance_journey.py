"""Issue 15 end to end, in a real browser: an AI agent files an analysis whose body
carries its citations inline, through the API; an editor accepts the proposed claim the
API could not settle alone, pastes the supporting passages, verifies each claim against
them and publishes; the reader page shows one citation per claim, the Sources list with
a chain of custody, "Checked by" on opening a citation, and a signed provenance record
that ``verify_provenance`` accepts."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from sources.models import Claim, SourceDocument
from tests.factories import PublisherFactory, SectionFactory

BODY = (
    "<p>Kestrel Interactive sold 4.1 million Lumen consoles in its first quarter "
    "(Kestrel Interactive). Its largest rival remains a major shareholder "
    "(Kestrel Interactive; Wirewire/Portalia).</p>"
    "<p>The autumn launch was delayed, according to Orbis as cited by Wirewire, "
    "as carried by Portalia.</p>"
)
SHIPPED = "Kestrel Interactive sold 4.1 million Lumen consoles in its first quarter"
SHAREHOLDER = "Its largest rival remains a major shareholder"
DELAYED = "The autumn launch was delayed"
PASSAGES = {
    "Kestrel Interactive": "Lumen shipments reached 4.1 million units in the first quarter, "
    "and our largest competitor remains a significant shareholder.",
    "Wirewire": "Kestrel's biggest rival still holds a major stake in the console maker.",
    "Orbis": "The company has pushed the launch back to the autumn, people familiar said.",
}


def documents() -> list[dict]:
    wire = {"publisher": "Wirewire", "kind": "wire_report"}
    return [
        {
            "title": "Kestrel Interactive reports first-quarter results",
            "publisher": "Kestrel Interactive",
            "kind": "press_release",
            "published_on": "2026-05-08",
        },
        # Two Wirewire reports: "(…; Wirewire/Portalia)" cannot tell which one it means.
        {**wire, "title": "Kestrel shares climb on console sales", "published_on": "2026-04-10"},
        {**wire, "title": "Rival keeps its Kestrel stake", "published_on": "2026-04-12"},
        {
            "title": "Kestrel delays its autumn launch",
            "publisher": "Orbis",
            "kind": "news_article",
            "published_on": "2026-04-02",
        },
    ]


@pytest.fixture
def newsroom(transactional_db):
    SectionFactory(name="Technology", slug="technology")
    PublisherFactory(name="Portalia", kind="portal")


def api(page, live_server, key, method: str, path: str, data: dict) -> dict:
    response = page.request.fetch(
        live_server.url + path,
        method=method,
        headers={"Authorization": f"Api-Key {key.secret}", "Content-Type": "application/json"},
        data=json.dumps(data),
    )
    assert response.ok, response.text()
    return response.json()


def paste_passages(page, claim: Claim) -> None:
    """On the claim's page, each source's passage in its row (rows in source order)."""
    page.goto(reverse("admin:sources_claim_change", args=[claim.pk]))
    fields = page.locator("textarea[name$='-passage']")
    sources = claim.attributions.select_related("document__publisher").order_by("position", "pk")
    for row, attribution in enumerate(sources):
        fields.nth(row).fill(PASSAGES[attribution.document.publisher.name])
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_an_inline_cited_ai_analysis_is_verified_claim_by_claim_and_signed(
    page, login, newsroom, agent_key, editor, live_server
):
    # 1. The agent files the draft with its citations inline, and submits it.
    filed = api(
        page,
        live_server,
        agent_key,
        "POST",
        "/api/v1/articles/",
        {
            "headline": "Kestrel's quiet quarter",
            "section": "technology",
            "type_of_work": "analysis",
            "body": BODY,
            "citations": "inline",
            "documents": documents(),
        },
    )
    made = {claim["text"] for claim in filed["inline_citations"]["claims"]}
    assert made == {SHIPPED, DELAYED}
    (unsettled,) = filed["inline_citations"]["unresolved"]
    assert "matches 2 documents" in unsettled["reason"]
    pk = filed["id"]
    api(page, live_server, agent_key, "POST", f"/api/v1/articles/{pk}/transitions/",
        {"transition": "submit"})  # fmt: skip

    # 2. An editor accepts the proposal the API left, choosing the right report.
    login(editor)
    page.goto(reverse("admin:articles_article_change", args=[pk]))
    page.get_by_role("link", name="Inline citations").click()
    proposal = page.locator(".inline-citation")
    expect(proposal).to_have_count(1)
    expect(proposal.locator("textarea")).to_have_value(SHAREHOLDER)
    stake = SourceDocument.objects.get(title="Rival keeps its Kestrel stake")
    proposal.locator("select").select_option(value=str(stake.pk))
    page.get_by_role("button", name="Apply to the article").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get(pk=pk)
    assert "Wirewire/Portalia" not in article.body
    assert "(Kestrel Interactive)" not in article.body

    # 3. The passages are pasted; each claim is verified against them.
    claims = list(Claim.objects.filter(article=article).order_by("position"))
    assert [c.text for c in claims] == [SHIPPED, SHAREHOLDER, DELAYED]
    for claim in claims:
        paste_passages(page, claim)
    page.goto(reverse("admin:articles_article_verification", args=[pk]))
    for claim in claims:
        section = page.locator(f"#claim-{claim.pk}")
        expect(section.locator(".passage").first).to_be_visible()
        section.get_by_role("button", name="Verified against the passage").click()
        expect(page.locator(f"#claim-{claim.pk} .claim-check-state")).to_contain_text(
            "Verified by Maria Okafor"
        )

    # 4. A human review of this version, approval, publication.
    page.goto(reverse("admin:articles_article_change", args=[pk]))
    expect(page.locator(".claim-checks-count")).to_contain_text("3 of 3")
    page.get_by_role("button", name="Record my review of version").click()
    page.get_by_role("button", name="Approve").click()
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator(".messagelist .success")).to_have_text("Publish now: done.")

    # 5. Readers: one citation per claim, the chain, "Checked by" behind a citation.
    article.refresh_from_db()
    page.goto(article.get_absolute_url())
    body = page.locator("article .body")
    expect(body.locator(".citation")).to_have_count(3)
    expect(body).not_to_contain_text("(Kestrel Interactive; Wirewire/Portalia) (")
    expect(body).to_contain_text("Kestrel Interactive; Wirewire/Portalia")
    expect(body).to_contain_text("according to Orbis as cited by Wirewire, as carried by Portalia")
    sources = page.locator("section.sources")
    expect(sources).to_contain_text("As quoted by Wirewire")
    expect(sources).to_contain_text("carried by Portalia")
    body.get_by_role("link", name="checked").first.click()
    opened = page.locator(":target")  # where the first claim's "checked" link leads
    expect(opened).to_contain_text(SHIPPED)
    expect(opened.get_by_text(PASSAGES["Kestrel Interactive"])).to_be_visible()
    expect(opened.locator(".claim-checked-by")).to_contain_text("Checked by Maria Okafor on")

    # 6. The signed record, linked from the page, verifies against the published key.
    record_url = live_server.url + reverse("articles:provenance", args=[article.slug])
    record = page.request.get(record_url).json()["record"]
    assert [c["verified_by"] for c in record["claims"]] == ["Maria Okafor"] * 3
    out = io.StringIO()
    call_command("verify_provenance", record_url, stdout=out)
    assert "valid" in out.getvalue().lower()
