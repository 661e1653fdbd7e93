"""Publishers and source documents in the admin (``articles.admin.sources``): lists and
deletion. Changing one cited on a live piece: test_shared_records_propagation; claims
and their sources: test_claim_sources, test_side_doors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sources.models import Attribution, SourceDocument
from tests.factories import ArticleFactory, AttributionFactory, ClaimFactory, PublisherFactory

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
    ["admin:sources_sourcedocument_changelist", "admin:sources_publisher_changelist"],
)
def test_changelist_query_count_does_not_grow_with_rows(editor_client, url_name):
    url = reverse(url_name)
    make_claims(5)
    few = count_queries(editor_client, url)
    make_claims(45)
    assert count_queries(editor_client, url) == few


def test_deleting_a_cited_document_is_refused_in_the_admin(client, superuser):
    client.force_login(superuser)
    attribution = AttributionFactory()
    url = reverse("admin:sources_sourcedocument_delete", args=[attribution.document.pk])
    assert "protected related objects" in client.get(url).content.decode()
    client.post(url, {"post": "yes"})
    assert SourceDocument.objects.filter(pk=attribution.document.pk).exists()
