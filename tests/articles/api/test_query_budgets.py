"""Query budgets: a list or an article costs the same number of queries however many
rows, bylines and claims it carries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import AIInvolvement, Byline, HumanReview
from tests.articles.api.helpers import ARTICLES, NINJS
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AttributionFactory,
    AuthorFactory,
    BylineFactory,
    ClaimFactory,
    CorrectionFactory,
    PublisherFactory,
    SectionFactory,
    SponsorFactory,
    SponsorshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _fully_loaded_articles(n: int, reviewer) -> None:
    """``n`` published articles with everything a list shows: bylines (one an AI agent),
    claims with two sources (one through an intermediary), a sponsorship, tags,
    corrections and a human review."""
    section = SectionFactory()
    agent = AIAgentFactory(supervising_editor=reviewer)
    portal = PublisherFactory(name="Yahoo Finance")
    for i in range(n):
        article = ArticleFactory(
            published=True, section=section, ai_involvement=AIInvolvement.GENERATED
        )
        BylineFactory(article=article, author=agent)
        BylineFactory(article=article, author=AuthorFactory(), role=Byline.Role.EDITED_BY)
        claim = ClaimFactory(article=article)
        AttributionFactory(claim=claim)
        AttributionFactory(claim=claim, via=portal, relation="carried_by")
        article.tags.add(f"tag-{i % 3}", "shared")
        CorrectionFactory(article=article)
        HumanReview.objects.create(
            article=article, reviewer=reviewer, reviewer_name="Maria Okafor", version=1
        )
        if i % 2:
            SponsorshipFactory(article=article)


def _queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(queries)


# The article list, whatever its length:
#  1. the ETag: newest update time and count of the filtered list
#  2. the page of articles, with section, lead image, sponsorship and sponsor joined
#  3. bylines with their authors and supervising editors
#  4. tags
#  5. reviews
#  6. corrections
#  7. claims
#  8. the claims' attributions with documents, publishers and intermediaries
ARTICLE_LIST_QUERIES = 8


def test_article_list_costs_the_same_for_5_and_50_articles(client, editor):
    url = f"{ARTICLES}?page_size=100"
    _fully_loaded_articles(5, editor)
    assert _queries(client, url) == ARTICLE_LIST_QUERIES
    assert _queries(client, url, Accept=NINJS) == ARTICLE_LIST_QUERIES
    _fully_loaded_articles(45, editor)
    assert _queries(client, url) == ARTICLE_LIST_QUERIES
    assert _queries(client, url, Accept=NINJS) == ARTICLE_LIST_QUERIES
    assert len(client.get(url).json()["results"]) == 50


# One article: the list's queries 2–8, without the ETag aggregate.
ARTICLE_DETAIL_QUERIES = 7


def test_article_detail_costs_the_same_for_2_and_20_claims(client, editor):
    article = ArticleFactory(
        published=True, body="<p>" + " ".join(f"Fact {i}." for i in range(20)) + "</p>"
    )
    BylineFactory(article=article)
    SponsorshipFactory(article=article)
    CorrectionFactory(article=article)
    article.tags.add("one", "two")

    def add_claims(numbers):
        for i in numbers:
            claim = ClaimFactory(article=article, text=f"Fact {i}.")
            AttributionFactory(claim=claim)
            AttributionFactory(
                claim=claim, via=PublisherFactory(name="Portal"), relation="quoted_by"
            )

    add_claims(range(2))
    assert _queries(client, f"{ARTICLES}{article.pk}/") == ARTICLE_DETAIL_QUERIES
    add_claims(range(2, 20))
    assert _queries(client, f"{ARTICLES}{article.pk}/") == ARTICLE_DETAIL_QUERIES
    assert len(client.get(f"{ARTICLES}{article.pk}/").json()["claims"]) == 20


@pytest.mark.parametrize(
    ("resource", "make"),
    [
        ("authors", lambda: AIAgentFactory()),
        ("sections", lambda: SectionFactory()),
        ("sponsors", lambda: SponsorFactory()),
        ("tags", lambda: ArticleFactory(published=True).tags.add(f"t{UserFactory().pk}")),
        (
            "documents",
            lambda: AttributionFactory(claim=ClaimFactory(article=ArticleFactory(published=True))),
        ),
        (
            "publishers",
            lambda: AttributionFactory(claim=ClaimFactory(article=ArticleFactory(published=True))),
        ),
    ],
)
def test_other_lists_cost_one_query_for_5_and_50_rows(client, resource, make):
    # One query: the page (visibility is a subquery, related rows are joined).
    url = f"/api/v1/{resource}/?page_size=100"
    for _ in range(5):
        make()
    assert _queries(client, url) == 1
    assert len(client.get(url).json()["results"]) >= 5
    for _ in range(45):
        make()
    assert _queries(client, url) == 1
    assert len(client.get(url).json()["results"]) >= 50
