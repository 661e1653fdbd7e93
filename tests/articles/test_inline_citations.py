"""An editor turns the inline citations of a piece into claims, side by side with its
text: accepted citations become claims with their sources and leave the body, in one
edit of the article; the publish gates refuse a body that still doubles a claim's
citation; the page is for those who may change the piece, behind the desk firewall."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from articles.publishing import inline_citations
from articles.publishing.gates import publish_problems
from articles.publishing.inline_citations import Adjustment
from articles.publishing.transitions import WorkflowError
from sources.models import Attribution, AttributionHop, Claim
from tests.articles.admin.helpers import change_url, set_status
from tests.articles.admin.test_query_budgets_and_dashboard import count
from tests.articles.publishing.helpers import commercial_article, fresh, newsroom_article
from tests.factories import AttributionFactory, PublisherFactory, SourceDocumentFactory

pytestmark = pytest.mark.django_db

# An invented sponsored analysis about a console maker.
BODY = (
    "<p>Kestrel Interactive sold 4.1 million Lumen consoles (Kestrel Interactive). "
    "Its largest rival remains a major shareholder (Kestrel Interactive; Wirewire/Portalia). "
    "The shares rose 3% (Wirewire via Portalia, April 10).</p>"
    "<p>The deal was delayed, according to Orbis as cited by Wirewire, as carried by "
    "Portalia. Supply recovered (Nimbus News).</p>"
)


@pytest.fixture
def sources(db):
    kestrel = PublisherFactory(name="Kestrel Interactive")
    wire = PublisherFactory(name="Wirewire")
    PublisherFactory(name="Portalia")
    PublisherFactory(name="Nimbus News")
    return {
        "release": SourceDocumentFactory(
            publisher=kestrel,
            title="Results",
            kind="press_release",
            published_on=dt.date(2026, 5, 8),
        ),
        "wire": SourceDocumentFactory(
            publisher=wire,
            title="Shares climb",
            kind="wire_report",
            published_on=dt.date(2026, 4, 10),
        ),
        "orbis": SourceDocumentFactory(
            publisher=PublisherFactory(name="Orbis"),
            title="Deal talk",
            kind="news_article",
            published_on=dt.date(2026, 4, 2),
        ),
    }


def piece(reporter, body=BODY, **fields) -> Article:
    article = newsroom_article(reporter, **fields)
    article.claims.all().delete()
    article.body = body
    article.save()
    return article


def page_url(article) -> str:
    return reverse("admin:articles_article_inline_citations", args=[article.pk])


# -- the service ----------------------------------------------------------------------------


def test_accepting_makes_the_claims_and_takes_the_citations_out_in_one_edit(
    reporter, editor, sources
):
    article = piece(reporter)
    version, revisions = article.version, article.revisions.count()
    proposals = inline_citations.propose(article, user=reporter)
    keys = [p.key for p in proposals if p.resolved]

    claims = inline_citations.accept(article, keys, by=editor)

    article = fresh(article)
    assert [c.text for c in claims] == [
        "Kestrel Interactive sold 4.1 million Lumen consoles",
        "Its largest rival remains a major shareholder",
        "The shares rose 3%",
        "The deal was delayed",
    ]
    assert article.body_text == (
        "Kestrel Interactive sold 4.1 million Lumen consoles. Its largest rival remains a major "
        "shareholder. The shares rose 3%. The deal was delayed. Supply recovered (Nimbus News)."
    )
    assert article.version == version + 1
    assert article.revisions.count() == revisions + 1
    event = article.events.get(action="claims_from_citations")
    assert "“The shares rose 3%” ((Wirewire via Portalia, April 10))" in event.note
    chain = Attribution.objects.get(claim__text="The deal was delayed")
    assert (chain.document, chain.via.name, chain.relation) == (
        sources["orbis"],
        "Wirewire",
        "quoted_by",
    )
    [hop] = AttributionHop.objects.filter(attribution=chain)
    assert (hop.publisher.name, hop.relation) == ("Portalia", "carried_by")
    # Nothing doubled: readers see one generated citation per claim.
    assert inline_citations.doubled_citations(article) == []


def test_accepting_the_same_text_again_doubles_nothing(reporter, editor, sources):
    article = piece(reporter)
    keys = [p.key for p in inline_citations.propose(article, user=reporter) if p.resolved]
    inline_citations.accept(article, keys, by=editor)
    claims, attributions = Claim.objects.count(), Attribution.objects.count()
    # The text comes back with its citations (pasted again), and is accepted again.
    article = fresh(article)
    article.body = BODY
    article.save()
    keys = [p.key for p in inline_citations.propose(fresh(article), user=reporter) if p.resolved]

    inline_citations.accept(fresh(article), keys, by=editor)

    assert (Claim.objects.count(), Attribution.objects.count()) == (claims, attributions)


def test_an_ambiguous_source_is_accepted_once_its_document_is_chosen(reporter, editor, sources):
    other = SourceDocumentFactory(
        publisher=sources["wire"].publisher, title="Analysts react", published_on=None
    )
    article = piece(reporter, "<p>Analysts were cautious (Wirewire).</p>")
    [proposal] = inline_citations.propose(article, user=reporter)
    assert not proposal.resolved
    assert "“Shares climb”" in proposal.problems[0] and "“Analysts react”" in proposal.problems[0]
    with pytest.raises(WorkflowError):
        inline_citations.accept(article, [proposal.key], by=editor)

    adjust = Adjustment(text="Analysts were cautious", documents={0: other.pk})
    [claim] = inline_citations.accept(
        article, [proposal.key], by=editor, adjustments={proposal.key: adjust}
    )

    assert [a.document for a in claim.attributions.all()] == [other]
    assert fresh(article).body_text == "Analysts were cautious."


def test_rejecting_leaves_the_text_and_dropping_takes_only_the_words_out(reporter, editor, sources):
    article = piece(reporter, "<p>Prices fell (Kestrel Interactive). Costs rose (Orbis).</p>")
    _, second = inline_citations.propose(article, user=reporter)

    assert inline_citations.accept(article, [], by=editor, drop=[second.key]) == []

    assert fresh(article).body_text == "Prices fell (Kestrel Interactive). Costs rose."
    assert not Claim.objects.filter(article=article).exists()


def test_a_live_piece_is_refused(reporter, editor, sources):
    article = piece(reporter)
    set_status(article, Article.Status.PUBLISHED, published_at=article.created_at)
    key = inline_citations.propose(article, user=reporter)[0].key
    with pytest.raises(WorkflowError, match="This piece is live"):
        inline_citations.accept(article, [key], by=editor)
    assert "(Kestrel Interactive)" in fresh(article).body_text


def test_a_stale_proposal_is_refused(reporter, editor, sources):
    article = piece(reporter)
    with pytest.raises(WorkflowError, match="The body has changed"):
        inline_citations.accept(article, ["0-5"], by=editor)


# -- the gate ---------------------------------------------------------------------------------


def test_the_gate_refuses_a_body_that_doubles_a_claims_citation(reporter, sources):
    article = piece(reporter, "<p>Margins narrowed (Kestrel Interactive).</p>")
    claim = Claim.objects.create(article=article, text="Margins narrowed")
    AttributionFactory(claim=claim, document=sources["release"])

    problems = publish_problems(fresh(article))

    assert (
        "The claim “Margins narrowed” still carries the citation “(Kestrel Interactive)” in the "
        "body" in " ".join(problems)
    )


def test_the_gate_refuses_the_generated_citation_typed_into_the_body(reporter, sources):
    body = "<p>The shares rose 3% (Wirewire via Portalia, April 10).</p>"
    article = piece(reporter, body)
    claim = Claim.objects.create(article=article, text="The shares rose 3%")
    portalia = sources["wire"].publisher.__class__.objects.get(name="Portalia")
    AttributionFactory(claim=claim, document=sources["wire"], via=portalia, relation="carried_by")

    assert any("still carries the citation" in p for p in publish_problems(fresh(article)))


def test_a_citation_naming_another_source_is_not_a_doubling(reporter, sources):
    article = piece(reporter, "<p>Margins narrowed (Orbis).</p>")
    claim = Claim.objects.create(article=article, text="Margins narrowed")
    AttributionFactory(claim=claim, document=sources["release"])
    assert inline_citations.doubled_citations(fresh(article)) == []


def test_publishing_in_the_admin_is_refused_while_the_body_doubles_a_citation(
    editor_client, reporter, sources
):
    article = piece(reporter, "<p>Margins narrowed (Kestrel Interactive).</p>")
    claim = Claim.objects.create(article=article, text="Margins narrowed")
    AttributionFactory(claim=claim, document=sources["release"])
    set_status(article, Article.Status.APPROVED)

    url = reverse("admin:articles_article_transition", args=[article.pk, "publish"])
    html = editor_client.post(url, follow=True).content.decode()

    assert "still carries the citation “(Kestrel Interactive)”" in html
    assert fresh(article).status == Article.Status.APPROVED


# -- the admin page -------------------------------------------------------------------------


def test_the_page_shows_the_text_beside_the_proposals_and_the_unresolved(
    editor_client, reporter, sources
):
    article = piece(reporter)
    assert (
        'href="' + page_url(article) + '"'
        in editor_client.get(change_url(article)).content.decode()
    )
    html = editor_client.get(page_url(article)).content.decode()
    assert "Proposed claims (4)" in html
    assert '<mark id="ic-' in html
    assert "Kestrel Interactive sold 4.1 million Lumen consoles</textarea>" in html
    assert "Unresolved (1)" in html
    assert "No document from Nimbus News is among the sources." in html


def test_accepting_on_the_page_makes_the_claims(editor_client, reporter, sources):
    article = piece(reporter)
    proposals = [p for p in inline_citations.propose(article, user=reporter) if p.resolved]
    data = {f"action-{p.key}": "accept" for p in proposals}
    data[f"text-{proposals[0].key}"] = "Kestrel Interactive sold 4.1 million Lumen consoles"
    data[f"action-{proposals[1].key}"] = "leave"

    response = editor_client.post(page_url(article), data, follow=True)

    assert response.status_code == 200
    assert "3 claims made" in response.content.decode()
    assert "(Kestrel Interactive; Wirewire/Portalia)" in fresh(article).body_text
    assert fresh(article).claims.count() == 3


def test_a_refusal_is_shown_on_the_page_not_an_error(editor_client, reporter, sources):
    article = piece(reporter)
    response = editor_client.post(page_url(article), {"action-1-2": "accept"})
    assert response.status_code == 200
    assert "The body has changed since the proposals were made" in response.content.decode()


def test_the_page_needs_the_csrf_token(editor, reporter, sources):
    article = piece(reporter)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    key = inline_citations.propose(article, user=reporter)[0].key
    assert client.post(page_url(article), {f"action-{key}": "accept"}).status_code == 403
    assert not Claim.objects.filter(article=article).exists()


def test_a_reporter_may_not_use_it_on_another_reporters_piece(
    client, reporter, other_reporter, sources
):
    article = piece(other_reporter, status=Article.Status.IN_REVIEW)
    client.force_login(reporter)
    assert client.get(page_url(article)).status_code == 403


def test_the_desk_firewall_hides_the_other_desks_pieces(client, commercial, reporter, sources):
    article = piece(reporter)
    client.force_login(commercial)
    assert client.get(page_url(article)).status_code == 404
    mine = commercial_article(commercial)
    assert client.get(page_url(mine)).status_code == 200


def test_a_live_piece_shows_why_and_no_apply_button(editor_client, reporter, sources):
    article = piece(reporter)
    set_status(article, Article.Status.PUBLISHED, published_at=article.created_at)
    html = editor_client.get(page_url(article)).content.decode()
    assert "This piece is live" in html
    assert "Apply to the article" not in html


def test_the_page_costs_the_same_queries_however_many_claims(editor_client, reporter, sources):
    article = piece(reporter)
    # One claim already: its sources, chains and checks are read in one query each.
    first = inline_citations.propose(article, user=reporter)[0]
    inline_citations.accept(article, [first.key], by=reporter)
    few = count(editor_client, page_url(article))
    sentences = "".join(f"<p>Units rose {n}% (Kestrel Interactive).</p>" for n in range(30))
    article.body = BODY + sentences
    article.save()
    keys = [p.key for p in inline_citations.propose(fresh(article), user=reporter) if p.resolved]
    inline_citations.accept(fresh(article), keys[:20], by=article.created_by)
    assert Claim.objects.filter(article=article).count() == 20  # the first made again: once
    assert count(editor_client, page_url(article)) == few


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Kestrel sold many consoles", "does not appear in the body"),
        ("x" * 5000, "does not appear in the body"),
        ("Kestrel\x00", "does not appear in the body"),
    ],
)
def test_an_adjusted_claim_must_quote_the_body(editor_client, reporter, sources, text, reason):
    article = piece(reporter)
    key = inline_citations.propose(article, user=reporter)[0].key
    data = {f"action-{key}": "accept", f"text-{key}": text}
    response = editor_client.post(page_url(article), data)
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not Claim.objects.filter(article=article).exists()
    assert "(Kestrel Interactive)" in fresh(article).body_text


# -- the reading firewall and the body's markup ----------------------------------------------


def test_proposals_never_reveal_a_document_only_the_other_desks_draft_cites(
    reporter, commercial, sources
):
    """A press release cited only by a commercial-desk draft tells of that draft: a
    newsroom reporter's proposals neither offer it nor name it."""
    secret = SourceDocumentFactory(
        publisher=PublisherFactory(name="Halcyon Labs"), title="Halcyon's unannounced deal"
    )
    draft = commercial_article(commercial)
    AttributionFactory(claim=draft.claims.first(), document=secret)
    article = piece(reporter, body="<p>Halcyon will sign next week (Halcyon Labs).</p>")

    (proposal,) = inline_citations.propose(article, user=reporter)

    assert not proposal.resolved
    assert "Halcyon's unannounced deal" not in " ".join(proposal.problems)
    # The commercial desk, who may read its own draft, is offered the document.
    (theirs,) = inline_citations.propose(article, user=commercial)
    assert [c.id for s in theirs.sources for c in s.choices] == [secret.pk]


def test_a_citation_crossing_the_bodys_formatting_is_left_with_its_reason(reporter, sources):
    """Taking out words that begin inside a link and end outside it would break the
    markup: the citation is listed with why, and the body is never cut mid-tag."""
    body = (
        '<p>Kestrel sold more <a href="https://example.com/q">consoles (Kestrel</a> '
        "Interactive). Margins narrowed (Kestrel Interactive).</p>"
    )
    article = piece(reporter, body=body)

    crossing, plain = inline_citations.propose(article, user=reporter)

    assert not crossing.resolved
    assert "crosses the body's formatting" in " ".join(crossing.problems)
    assert plain.resolved
    inline_citations.accept(article, [plain.key], by=reporter)
    article.refresh_from_db()
    assert '<a href="https://example.com/q">consoles (Kestrel</a> Interactive).' in article.body
    assert "Margins narrowed.</p>" in article.body
