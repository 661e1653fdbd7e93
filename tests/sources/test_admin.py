import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sources.models import Attribution, SourceDocument
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    ClaimFactory,
    PublisherFactory,
    SourceDocumentFactory,
)

pytestmark = pytest.mark.django_db


def make_claims(n: int) -> None:
    yahoo = PublisherFactory(name="Yahoo Finance")
    for i in range(n):
        article = ArticleFactory(body=f"<p>Claim number {i} is true.</p>")
        claim = ClaimFactory(article=article, text=f"Claim number {i} is true.")
        AttributionFactory(claim=claim)
        AttributionFactory(
            claim=claim, via=yahoo, relation=Attribution.Relation.CARRIED_BY, position=1
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:sources_claim_changelist",
        "admin:sources_sourcedocument_changelist",
        "admin:sources_publisher_changelist",
    ],
)
def test_changelist_query_count_does_not_grow_with_rows(editor_client, url_name):
    url = reverse(url_name)
    make_claims(5)
    few = count_queries(editor_client, url)
    make_claims(45)
    assert count_queries(editor_client, url) == few


def test_claim_changelist_shows_citations_and_detached_claims(editor_client):
    claim = ClaimFactory(article=ArticleFactory(body="<p>Profit rose.</p>"), text="Profit rose.")
    AttributionFactory(claim=claim, document__publisher=PublisherFactory(name="Sony"))
    claim.article.body = "<p>Profit fell.</p>"
    claim.article.save()
    html = editor_client.get(reverse("admin:sources_claim_changelist")).content.decode()
    assert "Sony" in html
    assert 'alt="False"' in html  # the "in body" column flags the detached claim


def claim_form(claim, **source) -> dict:
    """The claim's admin form with one new source row."""
    return {
        "article": claim.article.pk,
        "text": claim.text,
        "attributions-TOTAL_FORMS": "1",
        "attributions-INITIAL_FORMS": "0",
        "attributions-MIN_NUM_FORMS": "0",
        "attributions-MAX_NUM_FORMS": "1000",
        "attributions-0-position": "0",
        **{f"attributions-0-{name}": value for name, value in source.items()},
    }


def test_editor_adds_a_wire_report_via_a_portal_to_a_claim(editor_client):
    claim = ClaimFactory()
    reuters = SourceDocumentFactory(publisher=PublisherFactory(name="Reuters"))
    yahoo = PublisherFactory(name="Yahoo Finance")
    response = editor_client.post(
        reverse("admin:sources_claim_change", args=[claim.pk]),
        claim_form(
            claim,
            document=reuters.pk,
            via=yahoo.pk,
            relation="carried_by",
            via_url="https://portal.example/reuters-story",
        ),
    )
    assert response.status_code == 302
    attribution = claim.attributions.get()
    assert str(attribution).startswith("Reuters via Yahoo Finance")
    assert attribution.link == "https://portal.example/reuters-story"


def test_intermediary_without_relation_is_a_form_error(editor_client):
    claim = ClaimFactory()
    response = editor_client.post(
        reverse("admin:sources_claim_change", args=[claim.pk]),
        claim_form(
            claim, document=SourceDocumentFactory().pk, via=PublisherFactory().pk, relation=""
        ),
    )
    assert response.status_code == 200
    assert "An intermediary needs its relation" in response.content.decode()
    assert not claim.attributions.exists()


def test_deleting_a_cited_document_is_refused_in_the_admin(client, superuser):
    client.force_login(superuser)
    attribution = AttributionFactory()
    url = reverse("admin:sources_sourcedocument_delete", args=[attribution.document.pk])
    assert "protected related objects" in client.get(url).content.decode()
    client.post(url, {"post": "yes"})
    assert SourceDocument.objects.filter(pk=attribution.document.pk).exists()
