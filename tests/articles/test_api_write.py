"""The partner API, write side: agents file and edit their drafts, editors' keys take
workflow steps through the same gates as the admin, and keys are what they claim to be."""

import datetime as dt
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from articles import workflow
from articles.models import (
    AIInvolvement,
    Article,
    ArticleEvent,
    Byline,
    PartnerKey,
    Revision,
    Sponsorship,
)
from sources.models import Attribution, Publisher, SourceDocument
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    ClaimFactory,
    ImageFactory,
    PartnerKeyFactory,
    PublisherFactory,
    SectionFactory,
    SourceDocumentFactory,
    SponsorFactory,
    UserFactory,
    make_publishable,
)

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles/"
BODY = (
    "<p>Sony said it will bring its cloud streaming service to more countries next year. "
    "Shipments of Wi-Fi 7 routers more than doubled in the first quarter.</p>"
)
SONY_CLAIM = "Sony said it will bring its cloud streaming service to more countries next year."
ROUTER_CLAIM = "Shipments of Wi-Fi 7 routers more than doubled in the first quarter."


def post(client, url: str, data: dict, **headers):
    return client.post(url, data, content_type="application/json", headers=headers)


def patch(client, url: str, data: dict, **headers):
    return client.patch(url, data, content_type="application/json", headers=headers)


def transition(client, article: Article, name: str, **fields):
    return post(client, f"{ARTICLES}{article.pk}/transitions/", {"transition": name, **fields})


@pytest.fixture
def technology(db):
    return SectionFactory(name="Technology", slug="technology")


@pytest.fixture
def sony_release(db):
    return SourceDocumentFactory(
        title="Sony outlines the next stage of its cloud streaming service",
        publisher=PublisherFactory(name="Sony"),
        kind=SourceDocument.Kind.PRESS_RELEASE,
    )


def draft_payload(sony_release, **fields) -> dict:
    """A draft as an agent files it: body, claims, and both kinds of source."""
    today = timezone.localdate()
    return {
        "headline": "Sony takes cloud streaming to more countries",
        "dek": "What it means for home networks.",
        "section": "technology",
        "type_of_work": "analysis",
        "tags": ["cloud gaming", "Wi-Fi"],
        "body": BODY,
        "claims": [
            {"text": SONY_CLAIM, "sources": [{"document": sony_release.pk}]},
            {
                "text": ROUTER_CLAIM,
                "sources": [
                    {
                        "document": {
                            "title": "Game streaming puts home networks to the test",
                            "publisher": "Reuters",
                            "kind": "wire_report",
                            "url": "https://reuters.example.com/game-streaming",
                            "published_on": today.isoformat(),
                        },
                        "via": "Yahoo Finance",
                        "relation": "carried_by",
                        "via_url": "https://yahoo-finance.example.com/game-streaming",
                    }
                ],
            },
        ],
        **fields,
    }


@pytest.fixture
def filed(key_client, agent_key, technology, sony_release):
    """A draft Sift filed through the API."""
    response = post(key_client(agent_key), ARTICLES, draft_payload(sony_release))
    assert response.status_code == 201, response.content
    return Article.objects.get(pk=response.json()["id"])


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
        "Filed through the API by Sift (AI agent, via the API)"
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


def test_agent_updates_its_draft_with_if_match(key_client, agent_key, filed):
    sift = key_client(agent_key)
    url = f"{ARTICLES}{filed.pk}/"
    etag = sift.get(url)["ETag"]

    response = patch(sift, url, {"headline": "Sony widens cloud streaming"}, **{"If-Match": etag})

    assert response.status_code == 200, response.content
    assert response.json()["headline"] == "Sony widens cloud streaming"
    assert response["ETag"] != etag
    assert response["ETag"] == sift.get(url)["ETag"]
    filed.refresh_from_db()
    assert filed.version == 2
    assert filed.revisions.count() == 2


def test_patch_without_if_match_is_refused_with_428(key_client, agent_key, filed):
    response = patch(key_client(agent_key), f"{ARTICLES}{filed.pk}/", {"headline": "Changed"})
    assert response.status_code == 428
    assert response["Content-Type"] == "application/problem+json"
    assert "If-Match" in response.json()["detail"]
    assert Article.objects.get(pk=filed.pk).headline == filed.headline


def test_stale_if_match_is_refused_with_412_and_changes_nothing(key_client, agent_key, filed):
    sift = key_client(agent_key)
    url = f"{ARTICLES}{filed.pk}/"
    stale = sift.get(url)["ETag"]
    assert patch(sift, url, {"dek": "First edit."}, **{"If-Match": stale}).status_code == 200

    response = patch(sift, url, {"headline": "Lost update"}, **{"If-Match": stale})

    assert response.status_code == 412
    assert response.json()["title"] == "Precondition failed"
    filed.refresh_from_db()
    assert (filed.headline, filed.dek, filed.version) == (
        "Sony takes cloud streaming to more countries",
        "First edit.",
        2,
    )


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; CI runs this on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_clients_holding_the_same_etag_cannot_both_win(key_client, agent, agent_key):
    draft = BylineFactory(author=agent).article
    url = f"{ARTICLES}{draft.pk}/"
    etag = key_client(agent_key).get(url)["ETag"]
    start = threading.Barrier(2, timeout=10)
    statuses: dict = {}
    errors: list[BaseException] = []

    def edit(headline: str) -> None:
        try:
            client = key_client(agent_key)
            start.wait()
            statuses[headline] = patch(client, url, {"headline": headline}, **{"If-Match": etag})
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(name,)) for name in ("Ours", "Theirs")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(r.status_code for r in statuses.values()) == [200, 412]
    [winner] = [name for name, response in statuses.items() if response.status_code == 200]
    draft.refresh_from_db()
    assert (draft.headline, draft.version) == (winner, 2)


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
    workflow.set_sponsorship(
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


# -- an agent's workflow steps -----------------------------------------------------------------


def test_agent_submits_its_draft_for_review(key_client, agent_key, filed):
    sift = key_client(agent_key)
    response = transition(sift, filed, "submit")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_review"
    event = ArticleEvent.objects.get(article=filed, action="submit")
    assert event.actor_name == "Sift (AI agent)"
    # Past the draft stage the agent's text is the editors'.
    url = f"{ARTICLES}{filed.pk}/"
    assert patch(sift, url, {"dek": "x"}, **{"If-Match": sift.get(url)["ETag"]}).status_code == 403


@pytest.mark.parametrize("step", ["approve", "publish", "schedule", "request_changes"])
def test_agent_cannot_take_editors_steps(key_client, agent_key, filed, step):
    extra = {"scheduled_for": (timezone.now() + dt.timedelta(days=1)).isoformat(), "note": "n"}
    response = transition(key_client(agent_key), filed, step, **extra)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert Article.objects.get(pk=filed.pk).status == Article.Status.DRAFT


def test_agent_cannot_submit_another_agents_draft(key_client, agent_key):
    theirs = BylineFactory(author=AIAgentFactory()).article
    assert transition(key_client(agent_key), theirs, "submit").status_code == 404


# -- editors' keys ----------------------------------------------------------------------


def test_editor_key_cannot_publish_an_unsourced_article(key_client, editor_key):
    article = ArticleFactory(status=Article.Status.APPROVED)
    BylineFactory(article=article)
    ClaimFactory(article=article, text="Sony said its profit rose.")  # and no source

    response = transition(key_client(editor_key), article, "publish")

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The claim “Sony said its profit rose.” has no source."
    assert Article.objects.get(pk=article.pk).status == Article.Status.APPROVED


def test_editor_key_lists_every_reason_a_piece_cannot_be_published(key_client, editor_key):
    article = ArticleFactory(status=Article.Status.APPROVED, section=None, body="")
    detail = transition(key_client(editor_key), article, "publish").json()["detail"]
    for reason in ("Write the body.", "Choose a section.", "Add at least one byline."):
        assert reason in detail


def test_an_ai_piece_is_published_only_after_a_human_review(
    key_client, agent_key, editor_key, second_editor, filed
):
    editor = key_client(editor_key)
    assert transition(key_client(agent_key), filed, "submit").status_code == 200
    assert transition(editor, filed, "approve").json()["status"] == "approved"

    refused = transition(editor, filed, "publish")
    assert refused.status_code == 409
    assert "a human editor must record a review" in refused.json()["detail"]

    workflow.record_review(filed, by=second_editor, note="Checked both claims.")
    published = transition(editor, filed, "publish")

    assert published.status_code == 200, published.content
    data = published.json()
    assert data["status"] == "published"
    assert data["url"].endswith(f"/articles/{filed.slug}/")
    assert data["reviewed_by"]["reviewer"] == "Sam Ng"
    assert data["byline_text"].endswith("reviewed by Sam Ng")
    assert ArticleEvent.objects.get(article=filed, action="publish").actor_name == "Maria Okafor"


def test_editor_key_sends_a_piece_back_with_a_note(key_client, editor_key):
    article = make_publishable(ArticleFactory(status=Article.Status.IN_REVIEW))
    editor = key_client(editor_key)
    assert transition(editor, article, "request_changes").status_code == 409  # needs a note
    response = transition(editor, article, "request_changes", note="Source the second figure.")
    assert response.json()["status"] == "draft"


def test_editor_key_schedules_through_the_gates(key_client, editor_key):
    article = make_publishable(ArticleFactory(status=Article.Status.APPROVED))
    editor = key_client(editor_key)
    assert transition(editor, article, "schedule").status_code == 400  # when?
    when = timezone.now() + dt.timedelta(days=1)
    response = transition(editor, article, "schedule", scheduled_for=when.isoformat())
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "scheduled"


def test_editor_key_files_a_draft_bylining_an_agent_and_declares_ai_involvement(
    key_client, editor_key, technology, sony_release
):
    agent = AIAgentFactory(name="Sift")
    human = AuthorFactory(name="Ada Reyes")
    payload = draft_payload(
        sony_release,
        bylines=[{"author": human.slug}, {"author": agent.slug, "role": "research"}],
    )
    response = post(key_client(editor_key), ARTICLES, payload)
    assert response.status_code == 201, response.content
    data = response.json()
    assert [(b["author"]["name"], b["role"]) for b in data["bylines"]] == [
        ("Ada Reyes", "by"),
        ("Sift", "research"),
    ]
    # An agent doing research makes the piece at least AI-assisted.
    assert data["ai_involvement"]["level"] == AIInvolvement.ASSISTED
    assert Article.objects.get(pk=data["id"]).created_by.username == "editor"


def test_editor_key_edits_only_what_the_editor_may(key_client, editor_key, commercial):
    editor = key_client(editor_key)
    newsroom_draft = make_publishable(ArticleFactory())
    url = f"{ARTICLES}{newsroom_draft.pk}/"
    response = patch(editor, url, {"dek": "Edited."}, **{"If-Match": editor.get(url)["ETag"]})
    assert response.status_code == 200
    commercial_draft = ArticleFactory(desk=Article.Desk.COMMERCIAL)
    assert patch(editor, f"{ARTICLES}{commercial_draft.pk}/", {"dek": "x"}).status_code == 404


def test_a_key_acts_with_no_more_than_its_accounts_permissions(key_client, technology):
    nobody = UserFactory(username="intern", is_staff=True)  # staff, but in no role
    key = PartnerKeyFactory(partner="", user=nobody, can_draft=True, can_transition=True)
    response = post(key_client(key), ARTICLES, {"headline": "H", "body": "<p>B</p>"})
    assert response.status_code == 403
    assert not Article.objects.exists()


# -- keys --------------------------------------------------------------------------------------


def test_partner_keys_are_read_only(key_client, partner_key, technology):
    partner = key_client(partner_key)
    article = ArticleFactory(published=True)
    url = f"{ARTICLES}{article.pk}/"
    assert partner.get(url).status_code == 200
    assert post(partner, ARTICLES, {"headline": "H", "body": "<p>B</p>"}).status_code == 403
    response = patch(partner, url, {"headline": "H"}, **{"If-Match": partner.get(url)["ETag"]})
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "This key may not file or edit drafts (it lacks the draft scope)."
    )
    assert transition(partner, article, "unpublish", note="x").status_code == 403
    assert not Article.objects.exclude(pk=article.pk).exists()


def test_without_a_key_writes_are_401(client):
    response = post(client, ARTICLES, {"headline": "H", "body": "<p>B</p>"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_revoked_key_is_refused_at_once(key_client, partner_key):
    partner = key_client(partner_key)
    assert partner.get(ARTICLES).status_code == 200
    PartnerKey.objects.filter(pk=partner_key.pk).update(revoked=True)
    response = partner.get(ARTICLES)
    assert response.status_code == 401
    assert response.json()["detail"] == "This API key is not valid or was revoked."


@pytest.mark.parametrize(
    "header",
    ["Api-Key nonsense", "Api-Key ", "Api-Key abc.def", "Api-Key {prefix}.wrong-secret"],
)
def test_a_wrong_key_is_401(client, partner_key, header):
    prefix = partner_key.secret.split(".")[0]
    response = client.get(ARTICLES, headers={"Authorization": header.format(prefix=prefix)})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_an_expired_key_is_401(key_client):
    key = PartnerKeyFactory(expiry_date=timezone.now() - dt.timedelta(minutes=1))
    assert key_client(key).get(ARTICLES).json()["detail"] == "This API key has expired."


def test_keys_are_stored_hashed(partner_key):
    row = PartnerKey.objects.filter(pk=partner_key.pk).values().get()
    prefix, secret_part = partner_key.secret.split(".")
    stored = " ".join(str(value) for value in row.values())
    assert partner_key.secret not in stored
    assert secret_part not in stored
    assert row["prefix"] == prefix
    assert row["hashed_key"] != partner_key.secret


def test_a_key_records_when_it_was_last_used(key_client, partner_key):
    assert partner_key.last_used_at is None
    key_client(partner_key).get(ARTICLES)
    partner_key.refresh_from_db()
    assert partner_key.last_used_at is not None


# -- manage.py create_api_key ----------------------------------------------------------------


def create_api_key(*args) -> list[str]:
    out = StringIO()
    call_command("create_api_key", *args, stdout=out)
    return out.getvalue().splitlines()


def test_create_api_key_prints_the_key_once_and_it_works(client):
    lines = create_api_key("Kestrel app", "--partner", "Kestrel Wire")
    assert lines[0] == "Created API key “Kestrel app” for Kestrel Wire."
    secret = lines[-1]
    assert sum(secret in line for line in lines) == 1
    key = PartnerKey.objects.get()
    assert (key.partner, key.can_draft, key.can_transition) == ("Kestrel Wire", False, False)
    assert secret not in str(PartnerKey.objects.values().get())
    response = client.get(ARTICLES, headers={"Authorization": f"Api-Key {secret}"})
    assert response.status_code == 200


def test_create_api_key_for_an_agent_and_an_editor(agent, editor):
    create_api_key("Sift drafts", "--agent", "sift")
    create_api_key("Desk tool", "--user", "editor", "--transitions")
    agent_key, editor_key = PartnerKey.objects.get(agent=agent), PartnerKey.objects.get(user=editor)
    assert (agent_key.agent, agent_key.can_draft, agent_key.can_transition) == (agent, True, False)
    assert (editor_key.user, editor_key.can_draft, editor_key.can_transition) == (
        editor,
        True,
        True,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agent", "nobody"], "No AI-agent author with slug “nobody”."),
        (["--agent", "ada-human"], "No AI-agent author with slug “ada-human”."),
        (["--user", "reader"], "No staff user “reader”."),
        (["--user", "ghost"], "No staff user “ghost”."),
        (["--partner", "Kestrel", "--transitions"], "Only an editor's key (--user) may take"),
        (["--agent", "sift"], None),  # the control: this one works
    ],
)
def test_create_api_key_refuses_bad_owners(agent, args, message):
    AuthorFactory(slug="ada-human")
    UserFactory(username="reader", is_staff=False)
    if message is None:
        create_api_key("Key", *args)
        return
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        create_api_key("Key", *args)
    assert not PartnerKey.objects.exists()


def test_create_api_key_needs_exactly_one_owner(agent):
    with pytest.raises(CommandError):
        create_api_key("Key")
    with pytest.raises(CommandError):
        create_api_key("Key", "--partner", "Kestrel", "--agent", "sift")
    assert not PartnerKey.objects.exists()
