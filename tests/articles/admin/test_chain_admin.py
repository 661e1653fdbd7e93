"""Editors enter a source's chain of custody on its own page, reached from the claim's
sources: the chain's rules are form errors, and every save is an edit of the article
(recorded, checked, reviewed first on a live AI-written piece), like a claim's sources."""

import datetime as dt

import pytest
from django.urls import reverse

from articles.models import AIInvolvement, Article, HumanReview
from sources.models import Attribution, AttributionHop
from tests.articles.admin.sources_forms import sources_url
from tests.articles.publishing.helpers import S, commercial_article
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    AuthorFactory,
    BylineFactory,
    ClaimFactory,
    PublisherFactory,
    SourceDocumentFactory,
)

pytestmark = pytest.mark.django_db

CLAIM = "Console sales will double next year."
MAY_8 = dt.date(2026, 5, 8)


def quoted_by_reuters(*, published=False, created_by=None) -> Attribution:
    """A claim citing Bloomberg's May 7 report as quoted by Reuters on May 8."""
    article = ArticleFactory(published=published, created_by=created_by, body=f"<p>{CLAIM}</p>")
    BylineFactory(article=article, author=AuthorFactory(user=created_by))
    return AttributionFactory(
        claim=ClaimFactory(article=article, text=CLAIM),
        document=SourceDocumentFactory(
            title="Console makers expect a record year",
            publisher=PublisherFactory(name="Bloomberg"),
            published_on=dt.date(2026, 5, 7),
        ),
        via=PublisherFactory(name="Reuters"),
        relation=Attribution.Relation.QUOTED_BY,
        via_on=MAY_8,
    )


def chain_url(attribution) -> str:
    return reverse("admin:sources_attribution_change", args=[attribution.pk])


def chain_form(attribution, hops: list[dict], **fields) -> dict:
    """The attribution's page as posted: its first intermediary and ``hops`` as new rows
    (the page's existing hops are posted as they are, first)."""
    existing = list(attribution.hops.order_by("position"))
    data = {
        "via": attribution.via_id or "",
        "relation": attribution.relation,
        "via_url": attribution.via_url,
        "via_on": attribution.via_on.isoformat() if attribution.via_on else "",
        "hops-TOTAL_FORMS": str(len(existing) + len(hops)),
        "hops-INITIAL_FORMS": str(len(existing)),
        "hops-MIN_NUM_FORMS": "0",
        "hops-MAX_NUM_FORMS": "1000",
    } | fields
    rows = [
        {
            "id": h.pk,
            "attribution": attribution.pk,
            "position": h.position,
            "publisher": h.publisher_id,
            "relation": h.relation,
            "url": h.url,
            "on": h.on.isoformat() if h.on else "",
        }
        for h in existing
    ] + [{"attribution": attribution.pk, "url": "", "on": ""} | row for row in hops]
    for i, row in enumerate(rows):
        data |= {f"hops-{i}-{name}": value for name, value in row.items()}
    return data


def yahoo_hop(**fields) -> dict:
    return {
        "publisher": PublisherFactory(name="Yahoo Finance").pk,
        "relation": "carried_by",
        "url": "https://yahoo-finance.example/reuters-story",
        "on": "2026-05-09",
    } | fields


def errors_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# -- entering a chain ----------------------------------------------------------------------


def test_the_claims_sources_page_links_each_source_to_its_chain(client, editor):
    attribution = quoted_by_reuters()
    client.force_login(editor)
    page = client.get(sources_url(attribution.claim)).content.decode()
    assert chain_url(attribution) in page
    assert "Edit chain" in page


def test_editor_adds_a_further_intermediary_and_the_edit_is_recorded(client, editor):
    attribution = quoted_by_reuters()
    article = attribution.claim.article
    client.force_login(editor)
    assert client.get(chain_url(attribution)).status_code == 200

    response = client.post(chain_url(attribution), chain_form(attribution, [yahoo_hop()]))

    assert response.status_code == 302
    assert response.url == sources_url(attribution.claim)
    assert str(attribution) == (
        "according to Bloomberg as cited by Reuters, as carried by Yahoo Finance"
    )
    event = article.events.get()
    assert event.action == "sources_changed"
    assert "as carried by Yahoo Finance" in event.note
    revision = article.revisions.get()
    [source] = revision.data["claims"][0]["sources"]
    assert [h["name"] for h in source["hops"]] == ["Yahoo Finance"]


def test_hops_typed_out_of_order_are_saved_in_chain_order(client, editor):
    attribution = quoted_by_reuters()
    msn = {"publisher": PublisherFactory(name="MSN").pk, "relation": "carried_by", "position": 5}
    client.force_login(editor)
    form = chain_form(attribution, [msn, yahoo_hop(position=1)])
    assert client.post(chain_url(attribution), form).status_code == 302
    hops = list(attribution.hops.order_by("position"))
    assert [(h.position, h.publisher.name) for h in hops] == [(0, "Yahoo Finance"), (1, "MSN")]

    # Swapped on the page: saved whole, without tripping over the stored positions.
    form = chain_form(attribution, [])
    form["hops-0-position"], form["hops-1-position"] = "1", "0"
    assert client.post(chain_url(attribution), form).status_code == 302
    hops = list(attribution.hops.order_by("position"))
    assert [h.publisher.name for h in hops] == ["MSN", "Yahoo Finance"]


# -- the chain's rules, as form errors -----------------------------------------------------


def test_an_outlet_repeated_in_the_chain_is_refused(client, editor):
    attribution = quoted_by_reuters()
    client.force_login(editor)
    form = chain_form(attribution, [yahoo_hop(publisher=attribution.via_id)])
    assert "Reuters appears twice in the chain." in errors_of(
        client.post(chain_url(attribution), form)
    )
    assert not attribution.hops.exists()
    assert not attribution.claim.article.events.exists()


def test_the_documents_own_publisher_is_refused_as_a_hop(client, editor):
    attribution = quoted_by_reuters()
    client.force_login(editor)
    form = chain_form(attribution, [yahoo_hop(publisher=attribution.document.publisher_id)])
    assert "Bloomberg published the document itself" in errors_of(
        client.post(chain_url(attribution), form)
    )
    assert not attribution.hops.exists()


def test_a_hop_dated_before_the_document_is_refused(client, editor):
    attribution = quoted_by_reuters()
    client.force_login(editor)
    form = chain_form(attribution, [yahoo_hop(on="2026-05-01")])
    assert "before the document was published (2026-05-07)" in errors_of(
        client.post(chain_url(attribution), form)
    )


def test_hops_without_a_first_intermediary_are_refused(client, editor):
    attribution = quoted_by_reuters()
    client.force_login(editor)
    form = chain_form(attribution, [yahoo_hop()], via="", relation="", via_url="")
    assert "Further intermediaries need a first intermediary" in errors_of(
        client.post(chain_url(attribution), form)
    )
    attribution.refresh_from_db()
    assert attribution.via is not None


def test_removing_the_intermediary_of_a_chain_on_the_claims_page_is_refused(client, editor):
    attribution = quoted_by_reuters()
    AttributionHop.objects.create(
        attribution=attribution,
        publisher=PublisherFactory(name="Yahoo Finance"),
        relation="carried_by",
    )
    claim = attribution.claim
    data = {
        "attributions-TOTAL_FORMS": "1",
        "attributions-INITIAL_FORMS": "1",
        "attributions-MIN_NUM_FORMS": "0",
        "attributions-MAX_NUM_FORMS": "1000",
        "attributions-0-id": attribution.pk,
        "attributions-0-claim": claim.pk,
        "attributions-0-position": 0,
        "attributions-0-document": attribution.document_id,
        "attributions-0-via": "",
        "attributions-0-relation": "",
        "attributions-0-via_url": "",
    }
    client.force_login(editor)
    assert "Further intermediaries need a first intermediary" in errors_of(
        client.post(sources_url(claim), data)
    )
    attribution.refresh_from_db()
    assert attribution.via_id is not None


# -- who may, and live pieces ---------------------------------------------------------------


def test_a_reporter_cannot_open_the_chain_of_another_reporters_live_piece(
    client, reporter, other_reporter
):
    attribution = quoted_by_reuters(published=True, created_by=other_reporter)
    client.force_login(reporter)
    assert client.get(chain_url(attribution)).status_code in (302, 403)
    form = chain_form(attribution, [yahoo_hop()])
    assert client.post(chain_url(attribution), form).status_code in (302, 403)
    assert not attribution.hops.exists()


def test_a_chain_changed_on_a_live_ai_written_piece_needs_the_editors_review(client, editor, agent):
    attribution = quoted_by_reuters(published=True)
    article = attribution.claim.article
    BylineFactory(article=article, author=agent, position=1)
    Article.objects.filter(pk=article.pk).update(ai_involvement=AIInvolvement.GENERATED)
    HumanReview.objects.create(
        article=article, reviewer=editor, reviewer_name="Maria Okafor", version=article.version
    )
    client.force_login(editor)
    assert "I reviewed this version" in client.get(chain_url(attribution)).content.decode()

    page = errors_of(client.post(chain_url(attribution), chain_form(attribution, [yahoo_hop()])))
    assert "Nothing was saved" in page
    assert f"Maria Okafor reviewed version {article.version}, but" in page
    assert not attribution.hops.exists()
    assert not article.events.exists()

    form = chain_form(attribution, [yahoo_hop()], review_change="on")
    assert client.post(chain_url(attribution), form).status_code == 302
    assert attribution.hops.get().publisher.name == "Yahoo Finance"
    review = article.reviews.order_by("-pk").first()
    assert (review.reviewer, review.version) == (editor, article.version + 1)


def test_removing_a_source_from_its_own_page_is_an_edit_of_the_article(client, editor):
    attribution = quoted_by_reuters(published=True)
    claim, article = attribution.claim, attribution.claim.article
    AttributionFactory(claim=claim, document=SourceDocumentFactory(), position=1)
    delete_url = reverse("admin:sources_attribution_delete", args=[attribution.pk])
    client.force_login(editor)

    response = client.post(delete_url, {"post": "yes"})

    assert response.status_code == 302
    assert response.url == sources_url(claim)
    assert not Attribution.objects.filter(pk=attribution.pk).exists()
    assert article.events.get().action == "sources_changed"


def test_removing_the_only_source_of_a_live_claim_from_its_page_is_refused(client, editor):
    attribution = quoted_by_reuters(published=True)
    delete_url = reverse("admin:sources_attribution_delete", args=[attribution.pk])
    client.force_login(editor)

    response = client.post(delete_url, {"post": "yes"}, follow=True)

    assert "Nothing was removed" in response.content.decode()
    assert Attribution.objects.filter(pk=attribution.pk).exists()
    assert not attribution.claim.article.events.exists()


def test_an_outlet_named_only_in_another_desks_draft_chain_stays_hidden(
    client, reporter, commercial
):
    draft = commercial_article(commercial, S.IN_REVIEW)
    attribution = AttributionFactory(
        claim=ClaimFactory(article=draft, text="Routers sell well."),
        document=SourceDocumentFactory(publisher=PublisherFactory(name="Ofcom")),
        via=PublisherFactory(name="Gadget Wire"),
        relation="carried_by",
    )
    AttributionHop.objects.create(
        attribution=attribution,
        publisher=PublisherFactory(name="Mesh Weekly"),
        relation="quoted_by",
    )
    publishers = reverse("admin:sources_publisher_changelist")

    client.force_login(reporter)
    assert "Mesh Weekly" not in client.get(publishers).content.decode()
    client.force_login(commercial)
    assert "Mesh Weekly" in client.get(publishers).content.decode()
