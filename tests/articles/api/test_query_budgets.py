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
    ImageFactory,
    PartnerKeyFactory,
    PublisherFactory,
    SectionFactory,
    SponsorFactory,
    SponsorshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _fully_loaded_articles(n: int, reviewer, image) -> None:
    """``n`` published articles with everything a list shows: bylines (one an AI agent),
    claims with two sources (one through an intermediary), a sponsorship, tags,
    corrections, a human review and a lead image."""
    section = SectionFactory()
    agent = AIAgentFactory(supervising_editor=reviewer)
    portal = PublisherFactory(name="Yahoo Finance")
    for i in range(n):
        article = ArticleFactory(
            published=True,
            section=section,
            ai_involvement=AIInvolvement.GENERATED,
            lead_image=image,
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
    client.get(url, headers=headers)  # a key's first read of the minute records its use
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    # Nothing counts the table (the related block's ranking counts shared tags per piece).
    assert not any(q["sql"].upper().startswith("SELECT COUNT(") for q in queries)
    assert " OFFSET " not in " ".join(q["sql"].upper() for q in queries)
    return len(queries)


# The article list, whatever its length, as JSON or ninjs:
#  1. the page of articles (keyset on the cursor), with section, lead image, sponsorship
#     and sponsor joined; its rows also make the ETag, so no count of the list
#  2. bylines with their authors and supervising editors
#  3. tags
#  4. the lead images' renditions
#  5. reviews
#  6. corrections
#  7. claims
#  8. the claims' attributions with documents, publishers and intermediaries
#  9. the attributions' further intermediaries (chains of custody) with their
#     publishers (issue 15)
# 10. the page's published translations and originals (``translations``; issue 14)
ARTICLE_LIST_QUERIES = 10
# The claims the corrections name, with what they read before (issue 15 §4; not asked
# when no article on the page has corrections).
ARTICLE_LIST_QUERIES += 1
# The claims' checks with who made them: `verified_by`, `verified_at` (issue 15 §3).
ARTICLE_LIST_QUERIES += 1
# With a partner's key: one more, the key (with its agent and user), before everything else.
KEYED = 1


@pytest.mark.parametrize("page", ["", "&cursor=next"])
def test_article_list_costs_the_same_for_5_and_50_articles(client, key_client, editor, page):
    image = ImageFactory()
    partner = key_client(PartnerKeyFactory())

    def queries(client, **headers) -> int:
        url = f"{ARTICLES}?page_size=100"
        if page:  # a later page: the cursor of the second of page_size=2
            url = client.get(f"{ARTICLES}?page_size=2").json()["next"] + "&page_size=100"
        return _queries(client, url, **headers)

    _fully_loaded_articles(5, editor, image)
    assert queries(client) == ARTICLE_LIST_QUERIES
    assert queries(client, Accept=NINJS) == ARTICLE_LIST_QUERIES
    assert queries(partner) == ARTICLE_LIST_QUERIES + KEYED
    _fully_loaded_articles(45, editor, image)
    assert queries(client) == ARTICLE_LIST_QUERIES
    assert queries(client, Accept=NINJS) == ARTICLE_LIST_QUERIES
    assert queries(partner) == ARTICLE_LIST_QUERIES + KEYED
    assert len(client.get(f"{ARTICLES}?page_size=100").json()["results"]) == 50


# One article: the list's queries 1–10 (the one row instead of a page), as JSON or ninjs.
ARTICLE_DETAIL_QUERIES = 10
ARTICLE_DETAIL_QUERIES += 1  # the claims its corrections name (issue 15 §4)
ARTICLE_DETAIL_QUERIES += 1  # the claims' checks, with who made them (issue 15 §3)
# The JSON answer also offers related pieces (pins, shared tags, the section's newest).
RELATED_QUERIES = 3


def test_article_detail_costs_the_same_for_2_and_20_claims(client):
    article = ArticleFactory(
        published=True,
        body="<p>" + " ".join(f"Fact {i}." for i in range(20)) + "</p>",
        lead_image=ImageFactory(),
    )
    BylineFactory(article=article)
    SponsorshipFactory(article=article)
    CorrectionFactory(article=article)
    article.tags.add("one", "two")
    url = f"{ARTICLES}{article.pk}/"

    def add_claims(numbers):
        for i in numbers:
            claim = ClaimFactory(article=article, text=f"Fact {i}.")
            AttributionFactory(claim=claim)
            AttributionFactory(
                claim=claim, via=PublisherFactory(name="Portal"), relation="quoted_by"
            )

    add_claims(range(2))
    assert _queries(client, url) == ARTICLE_DETAIL_QUERIES + RELATED_QUERIES
    assert _queries(client, url, Accept=NINJS) == ARTICLE_DETAIL_QUERIES
    add_claims(range(2, 20))
    assert _queries(client, url) == ARTICLE_DETAIL_QUERIES + RELATED_QUERIES
    assert _queries(client, url, Accept=NINJS) == ARTICLE_DETAIL_QUERIES
    assert len(client.get(url).json()["claims"]) == 20


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
