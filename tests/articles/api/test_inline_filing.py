"""An agent files a draft whose body carries its citations inline, with
``"citations": "inline"``: the citations become claims with their sources, leave the
stored body, and the answer lists what was made and what could not be resolved."""

import pytest

from articles.models import Article
from sources.models import Attribution, AttributionHop, Claim, SourceDocument
from tests.articles.api.helpers import ARTICLES, patch, post, transition
from tests.factories import PublisherFactory, SourceDocumentFactory

pytestmark = pytest.mark.django_db

BODY = (
    "<p>Kestrel Interactive sold 4.1 million Lumen consoles in its first quarter "
    "(Kestrel Interactive). Its largest rival remains a major shareholder "
    "(Kestrel Interactive; Wirewire/Portalia). The shares rose 3% "
    "(Wirewire via Portalia, April\u00a010).</p>"
    "<p>According to Orbis as quoted by Portalia, the chief executive called it "
    "“a turning point”. Margins narrowed, according to Kestrel Interactive’s May 8 release "
    "and a Wirewire report published by Portalia. Supply recovered (Nimbus News).</p>"
)


def documents():
    return [
        {
            "title": "Kestrel Interactive reports first-quarter results",
            "publisher": "Kestrel Interactive",
            "kind": "press_release",
            "published_on": "2026-05-08",
        },
        {
            "title": "Kestrel shares climb on console sales",
            "publisher": "Wirewire",
            "kind": "wire_report",
            "published_on": "2026-04-10",
        },
        {
            "title": "Interview with Kestrel's chief executive",
            "publisher": "Orbis",
            "kind": "interview",
            "published_on": "2026-04-02",
        },
    ]


def payload(**fields):
    return {
        "headline": "The console maker's quiet quarter",
        "section": "technology",
        "type_of_work": "analysis",
        "body": BODY,
        "citations": "inline",
        "documents": documents(),
        **fields,
    }


@pytest.fixture
def portalia(db):
    return PublisherFactory(name="Portalia")


def test_filing_with_inline_citations_makes_the_claims_and_lists_the_unresolved(
    key_client, agent_key, technology, portalia
):
    PublisherFactory(name="Nimbus News")  # known, but no document of theirs was sent
    response = post(key_client(agent_key), ARTICLES, payload())

    assert response.status_code == 201, response.content
    report = response.json()["inline_citations"]
    assert [c["text"] for c in report["claims"]] == [
        "Kestrel Interactive sold 4.1 million Lumen consoles in its first quarter",
        "Its largest rival remains a major shareholder",
        "The shares rose 3%",
        'The chief executive called it "a turning point"',
        "Margins narrowed",
    ]
    assert report["claims"][1]["citation"] == "(Kestrel Interactive; Wirewire/Portalia)"
    [unresolved] = report["unresolved"]
    assert unresolved["text"] == "(Nimbus News)"
    assert "No document from Nimbus News" in unresolved["reason"]
    article = Article.objects.get(pk=response.json()["id"])
    # The position is where the citation starts in the stored body's text.
    assert article.body_text[unresolved["position"] :].startswith("(Nimbus News)")
    # The resolved citations left the body; readers see the generated ones instead.
    assert article.body_text == (
        "Kestrel Interactive sold 4.1 million Lumen consoles in its first quarter. Its "
        "largest rival remains a major shareholder. The shares rose 3%. The chief executive "
        'called it "a turning point". Margins narrowed. Supply recovered (Nimbus News).'
    )
    citations = [c["citation"] for c in response.json()["claims"]]
    assert citations[:2] == ["Kestrel Interactive", "Kestrel Interactive; Wirewire/Portalia"]
    carried = Attribution.objects.get(claim__text="The shares rose 3%")
    assert (carried.document.publisher.name, carried.via.name, carried.relation) == (
        "Wirewire",
        "Portalia",
        "carried_by",
    )
    quoted = Attribution.objects.get(claim__text__startswith="The chief executive")
    assert (quoted.via.name, quoted.relation) == ("Portalia", "quoted_by")
    margins = Claim.objects.get(text="Margins narrowed")
    assert [a.document.kind for a in margins.attributions.all()] == [
        "press_release",
        "wire_report",
    ]


def test_refiling_the_same_text_makes_no_second_claim_or_source(
    key_client, agent_key, technology, portalia
):
    sift = key_client(agent_key)
    response = post(sift, ARTICLES, payload())
    url = f"{ARTICLES}{response.json()['id']}/"
    claims, attributions = Claim.objects.count(), Attribution.objects.count()

    again = patch(sift, url, payload(), **{"If-Match": response["ETag"]})

    assert again.status_code == 200, again.content
    assert len(again.json()["inline_citations"]["claims"]) == 5
    assert (Claim.objects.count(), Attribution.objects.count()) == (claims, attributions)
    assert SourceDocument.objects.count() == 3


def test_a_name_matching_two_documents_is_left_unresolved_naming_both(
    key_client, agent_key, technology, portalia
):
    wire = PublisherFactory(name="Wirewire")
    first = SourceDocumentFactory(publisher=wire, title="Shares climb", published_on=None)
    second = SourceDocumentFactory(publisher=wire, title="Analysts react", published_on=None)
    body = "<p>The shares rose 3% (Wirewire).</p>"

    response = post(
        key_client(agent_key),
        ARTICLES,
        payload(body=body, documents=[first.pk, second.pk]),
    )

    assert response.status_code == 201, response.content
    report = response.json()["inline_citations"]
    assert report["claims"] == []
    [unresolved] = report["unresolved"]
    assert unresolved["position"] == len("The shares rose 3% ")
    assert "“Shares climb”" in unresolved["reason"]
    assert "“Analysts react”" in unresolved["reason"]
    assert Article.objects.get().body_text == "The shares rose 3% (Wirewire)."


def test_a_date_matching_no_document_is_said(key_client, agent_key, technology, portalia):
    body = "<p>The shares rose 3% (Wirewire via Portalia, April 11).</p>"
    response = post(key_client(agent_key), ARTICLES, payload(body=body))

    [unresolved] = response.json()["inline_citations"]["unresolved"]
    assert "dated 11 April" in unresolved["reason"]


def test_an_unknown_intermediary_is_said(key_client, agent_key, technology):
    body = "<p>The shares rose 3%, according to Wirewire as carried by Glimmerpost.</p>"
    response = post(key_client(agent_key), ARTICLES, payload(body=body))

    [unresolved] = response.json()["inline_citations"]["unresolved"]
    assert "Glimmerpost" in unresolved["reason"]
    assert "unknown intermediary" in unresolved["reason"]


def test_without_inline_citations_the_answer_has_no_report(key_client, agent_key, technology):
    response = post(key_client(agent_key), ARTICLES, payload(citations=None, documents=[]))
    assert response.status_code == 400
    body = {k: v for k, v in payload().items() if k not in ("citations", "documents")}
    response = post(key_client(agent_key), ARTICLES, body)
    assert response.status_code == 201, response.content
    assert "inline_citations" not in response.json()
    assert "(Kestrel Interactive)" in Article.objects.get().body_text


@pytest.mark.parametrize("value", ["yes", "", 1, ["inline"], "INLINE"])
def test_a_bad_citations_value_is_refused(key_client, agent_key, technology, value):
    response = post(key_client(agent_key), ARTICLES, payload(citations=value))
    assert response.status_code == 400
    assert "citations" in response.json()["errors"] or "citations" in str(response.json())
    assert not Article.objects.exists()


def test_documents_without_inline_citations_are_refused(key_client, agent_key, technology):
    body = {**payload(), "citations": None}
    del body["citations"]
    response = post(key_client(agent_key), ARTICLES, body)
    assert response.status_code == 400
    assert "documents" in str(response.json())


def test_a_source_takes_its_passage_its_chain_and_the_intermediary_date(
    key_client, agent_key, technology
):
    body = "<p>The deal was delayed by a month.</p>"
    claim = {
        "text": "The deal was delayed by a month.",
        "sources": [
            {
                "document": documents()[2] | {"publisher": "Orbis"},
                "via": "Wirewire",
                "relation": "quoted_by",
                "via_on": "2026-04-03",
                "passage": "We have moved the closing to June.",
                "hops": [
                    {
                        "publisher": "Portalia",
                        "relation": "carried_by",
                        "url": "https://portalia.example/deal",
                        "on": "2026-04-04",
                    }
                ],
            }
        ],
    }
    response = post(
        key_client(agent_key),
        ARTICLES,
        {"headline": "Deal", "section": "technology", "body": body, "claims": [claim]},
    )

    assert response.status_code == 201, response.content
    attribution = Attribution.objects.get()
    assert attribution.passage == "We have moved the closing to June."
    assert str(attribution.via_on) == "2026-04-03"
    [hop] = AttributionHop.objects.all()
    assert (hop.publisher.name, hop.relation, str(hop.on)) == (
        "Portalia",
        "carried_by",
        "2026-04-04",
    )


def test_hops_without_an_intermediary_are_refused(key_client, agent_key, technology):
    claim = {
        "text": "The deal was delayed.",
        "sources": [
            {
                "document": documents()[2],
                "hops": [{"publisher": "Portalia", "relation": "carried_by"}],
            }
        ],
    }
    body = {"headline": "Deal", "body": "<p>The deal was delayed.</p>", "claims": [claim]}
    response = post(key_client(agent_key), ARTICLES, body)
    assert response.status_code == 400
    assert "hops" in str(response.json())


def test_publishing_is_refused_while_the_body_doubles_a_claims_citation(
    key_client, editor_key, technology, portalia, editor
):
    from tests.factories import BylineFactory

    response = post(
        key_client(editor_key),
        ARTICLES,
        {
            "headline": "Quarter",
            "section": "technology",
            "body": "<p>The shares rose 3% (Wirewire via Portalia, April 10).</p>",
            "claims": [
                {
                    "text": "The shares rose 3%",
                    "sources": [
                        {"document": documents()[1], "via": "Portalia", "relation": "carried_by"}
                    ],
                }
            ],
        },
    )
    assert response.status_code == 201, response.content
    article = Article.objects.get()
    BylineFactory(article=article)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.APPROVED)
    answer = transition(key_client(editor_key), article, "publish")

    assert answer.status_code == 409, answer.content
    assert "“The shares rose 3%” still carries the citation" in str(answer.json())


def test_a_chain_that_passes_the_document_back_to_its_publisher_is_refused(
    key_client, agent_key, technology
):
    claim = {
        "text": "The deal was delayed.",
        "sources": [
            {
                "document": documents()[2],
                "via": "Wirewire",
                "relation": "quoted_by",
                "hops": [{"publisher": "Orbis", "relation": "carried_by"}],
            }
        ],
    }
    body = {"headline": "Deal", "body": "<p>The deal was delayed.</p>", "claims": [claim]}
    response = post(key_client(agent_key), ARTICLES, body)
    assert response.status_code == 400
    assert "Orbis published the document itself" in str(response.json())
    assert not Article.objects.exists()
