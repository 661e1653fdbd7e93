"""Agents file drafts with claims and sources in one request, and edit their own drafts
only, never a sponsorship or a byline."""

import pytest
from django.utils import timezone

from articles.models import Article, Byline, Revision, Sponsorship
from articles.publishing import sponsorships
from sources.models import Attribution, Publisher, SourceDocument
from tests.articles.api.helpers import ARTICLES, BODY, SONY_CLAIM, draft_payload, patch, post
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    ImageFactory,
    SponsorFactory,
)

pytestmark = pytest.mark.django_db

# -- an agent files a draft ---------------------------------------------------------------


def test_agent_files_a_draft_with_claims_and_sources_in_one_request(
    key_client, agent, agent_key, technology, sony_release
):
    sift = key_client(agent_key)
    response = post(sift, ARTICLES, draft_payload(sony_release))

    assert response.status_code == 201, response.content
    data = response.json()
    assert response["Location"] == f"http://testserver{ARTICLES}{data['id']}/"
    assert response["ETag"] == sift.get(response["Location"])["ETag"]
    assert data["status"] == "draft"
    assert data["url"] is None
    assert data["headline"] == "Sony takes cloud streaming to more countries"
    assert data["section"]["slug"] == "technology"
    assert data["type_of_work"] == "analysis"
    assert data["tags"] == ["Wi-Fi", "cloud gaming"]
    # The key's agent is the author, and the piece is AI-generated, without being asked.
    assert [(b["role"], b["author"]["slug"], b["author"]["kind"]) for b in data["bylines"]] == [
        ("by", "sift", "ai_agent")
    ]
    assert data["ai_involvement"]["level"] == "generated"
    assert data["byline_text"] == (
        "By Sift, an AI agent operated by Newsroom Media Ltd; not yet reviewed by a human editor"
    )
    assert data["is_sponsored"] is False
    today = timezone.localdate()
    assert [c["citation"] for c in data["claims"]] == [
        "Sony",
        f"Reuters via Yahoo Finance, {today:%B} {today.day}",
    ]
    [carried] = data["claims"][1]["attributions"]
    assert carried["relation"] == "carried_by"
    assert carried["intermediary"]["name"] == "Yahoo Finance"
    assert carried["intermediary_url"] == "https://yahoo-finance.example.com/game-streaming"
    assert carried["document"]["publisher"]["name"] == "Reuters"

    article = Article.objects.get(pk=data["id"])
    assert article.desk == Article.Desk.NEWSROOM
    assert article.created_by is None
    assert article.claims.get(text=SONY_CLAIM).attributions.get().document == sony_release
    assert Revision.objects.get(article=article).note == (
        "Filed through the API by Sift (AI agent, key “Sift drafts”)"
    )


def test_inline_documents_and_publishers_are_reused_not_duplicated(
    key_client, agent_key, technology, sony_release
):
    sift = key_client(agent_key)
    assert post(sift, ARTICLES, draft_payload(sony_release)).status_code == 201
    again = draft_payload(sony_release, headline="A second look")
    # The same publishers, written differently.
    again["claims"][1]["sources"][0]["via"] = "yahoo finance"
    again["claims"][1]["sources"][0]["document"]["publisher"] = "REUTERS"
    assert post(sift, ARTICLES, again).status_code == 201
    assert SourceDocument.objects.filter(title__startswith="Game streaming").count() == 1
    assert Publisher.objects.filter(slug="yahoo-finance").count() == 1
    assert Attribution.objects.filter(via__name="Yahoo Finance").count() == 2


def test_agent_never_sets_a_sponsorship_or_bylines(key_client, agent_key, technology, sony_release):
    sift = key_client(agent_key)
    for field, value in [
        ("sponsorship", {"sponsor": "kestrel-networks", "kind": "native_advertising"}),
        ("sponsor", "kestrel-networks"),
        ("sponsor_id", 1),
    ]:
        response = post(sift, ARTICLES, draft_payload(sony_release, **{field: value}))
        assert response.status_code == 400, field
        assert response.json()["errors"][field] == [
            "Sponsorships are attached by the commercial desk in the editorial system, never "
            "through the API."
        ]
    author = AuthorFactory()
    response = post(sift, ARTICLES, draft_payload(sony_release, bylines=[{"author": author.slug}]))
    assert response.status_code == 400
    assert "bylines" in response.json()["errors"]
    assert not Article.objects.exists()


def test_a_draft_takes_an_uploaded_picture_as_its_lead_image(key_client, agent_key, filed):
    picture = ImageFactory(alt_text="A console on a shelf beside a router")
    sift = key_client(agent_key)
    url = f"{ARTICLES}{filed.pk}/"
    response = patch(sift, url, {"lead_image": picture.pk}, **{"If-Match": sift.get(url)["ETag"]})
    assert response.status_code == 200, response.content
    assert response.json()["lead_image"]["alt_text"] == "A console on a shelf beside a router"
    response = patch(sift, url, {"lead_image": None}, **{"If-Match": response["ETag"]})
    assert response.json()["lead_image"] is None
    response = patch(sift, url, {"lead_image": 999_999}, **{"If-Match": response["ETag"]})
    assert response.status_code == 400
    assert response.json()["errors"]["lead_image"] == [
        'Invalid pk "999999" - object does not exist.'
    ]


# -- an agent edits its drafts ----------------------------------------------------------------


def test_agent_replaces_claims_and_sources_on_update(key_client, agent_key, filed):
    sift = key_client(agent_key)
    url = f"{ARTICLES}{filed.pk}/"
    body = "<p>Sony said it will bring its cloud streaming service to more countries next year.</p>"
    response = patch(
        sift,
        url,
        {"body": body, "claims": [{"text": SONY_CLAIM, "sources": []}]},
        **{"If-Match": sift.get(url)["ETag"]},
    )
    assert response.status_code == 200, response.content
    assert [(c["text"], c["citation"]) for c in response.json()["claims"]] == [(SONY_CLAIM, "")]


def test_a_body_that_drops_a_claim_needs_the_claims_too(key_client, agent_key, filed):
    sift = key_client(agent_key)
    url = f"{ARTICLES}{filed.pk}/"
    response = patch(
        sift, url, {"body": "<p>Nothing of the sort.</p>"}, **{"If-Match": sift.get(url)["ETag"]}
    )
    assert response.status_code == 400
    assert "send the claims too" in response.json()["errors"]["body"][0]
    assert Article.objects.get(pk=filed.pk).body == BODY


@pytest.fixture
def sponsored_draft(commercial, agent):
    """A commercial-desk draft with its sponsorship, which the desk bylined Sift on."""
    article = ArticleFactory(
        desk=Article.Desk.COMMERCIAL,
        created_by=commercial,
        headline="Is your home network ready for cloud gaming?",
        body="<p>Most broadband lines are fast enough. Wi-Fi is the weak link.</p>",
    )
    sponsorships.set_sponsorship(
        article,
        by=commercial,
        sponsor=SponsorFactory(name="Kestrel Networks"),
        kind=Sponsorship.Kind.NATIVE_ADVERTISING,
        disclosure="Paid for by Kestrel Networks; drafted by Sift for our commercial desk.",
        campaign_starts_on=timezone.localdate(),
    )
    Byline.objects.create(article=article, author=agent, role=Byline.Role.BY)
    return article


def test_agent_edits_a_sponsored_draft_it_is_bylined_on_and_the_sponsorship_stays(
    key_client, agent_key, sponsored_draft
):
    sift = key_client(agent_key)
    url = f"{ARTICLES}{sponsored_draft.pk}/"
    before = Sponsorship.objects.filter(article=sponsored_draft).values().get()
    read = sift.get(url)
    assert read.json()["sponsorship"]["label"] == "Sponsored Advertising Content"

    response = patch(
        sift,
        url,
        {"body": "<p>Most broadband lines are fast enough. Wi-Fi is often the weak link.</p>"},
        **{"If-Match": read["ETag"]},
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["sponsorship"]["label"] == "Sponsored Advertising Content"
    assert data["sponsorship"]["sponsor"]["name"] == "Kestrel Networks"
    assert data["title_with_label"].startswith("Sponsored Advertising Content paid for by")
    # Whatever an agent writes is AI-generated.
    assert data["ai_involvement"]["level"] == "generated"
    assert Sponsorship.objects.filter(article=sponsored_draft).values().get() == before
    assert Article.objects.get(pk=sponsored_draft.pk).desk == Article.Desk.COMMERCIAL


@pytest.mark.parametrize(
    "payload",
    [
        {"sponsorship": None},
        {"sponsorship": {"kind": "underwriting"}},
        {"sponsor": "someone-else"},
        {"headline": "Relabelled", "sponsorship_kind": "underwriting"},
    ],
)
def test_agent_cannot_change_a_sponsorship(key_client, agent_key, sponsored_draft, payload):
    sift = key_client(agent_key)
    url = f"{ARTICLES}{sponsored_draft.pk}/"
    before = Sponsorship.objects.filter(article=sponsored_draft).values().get()
    response = patch(sift, url, payload, **{"If-Match": sift.get(url)["ETag"]})
    assert response.status_code == 400
    [field] = [name for name in payload if "sponsor" in name]
    assert response.json()["errors"][field] == [
        "Sponsorships are attached by the commercial desk in the editorial system, never "
        "through the API."
    ]
    assert Sponsorship.objects.filter(article=sponsored_draft).values().get() == before
    assert Article.objects.get(pk=sponsored_draft.pk).headline == sponsored_draft.headline


def test_agent_cannot_edit_another_agents_draft_or_a_published_article(
    key_client, agent, agent_key
):
    sift = key_client(agent_key)
    theirs = BylineFactory(author=AIAgentFactory()).article
    assert patch(sift, f"{ARTICLES}{theirs.pk}/", {"headline": "Mine now"}).status_code == 404

    for published in (
        ArticleFactory(published=True),
        BylineFactory(author=agent, article=ArticleFactory(published=True)).article,
    ):
        url = f"{ARTICLES}{published.pk}/"
        response = patch(
            sift, url, {"headline": "Rewritten"}, **{"If-Match": sift.get(url)["ETag"]}
        )
        assert response.status_code == 403
        assert Article.objects.get(pk=published.pk).headline == published.headline
