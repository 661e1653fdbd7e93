"""Query budget of the article page with the page cache off: the same for an article
with 2 or 12 claims, sources, tags and corrections, in a section of 2 or 47 stories
(its related block: tests/articles/site/test_related.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Byline, HumanReview
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AttributionFactory,
    AuthorFactory,
    BylineFactory,
    ClaimFactory,
    CorrectionFactory,
    ImageFactory,
    PublisherFactory,
    SectionFactory,
    SourceDocumentFactory,
    SponsorshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The article's row joined to its section, lead image and sponsorship with its sponsor (1);
# the "Related articles" block's rows, joined the same way: editors' pins (2), the pieces
# sharing most tags (3) and the section's newest (4); for the article and the block
# together: bylines with authors and supervising editors (5), the lead images' renditions,
# social card included (6), human reviews (7); the article's tags (8) and corrections (9);
# its claims with their sources, documents, publishers and intermediaries (10); its
# published original and translations, for hreflang and JSON-LD (11, issue 14); the
# further intermediaries of its sources' chains of custody, with their publishers (12,
# issue 15; not asked when no source came through an intermediary). The navigation comes
# from the cache (refreshed whenever a section is saved).
ARTICLE_PAGE = 12
# Its claims' checks, with who made each: "Checked by … on …" (issue 15 §3).
ARTICLE_PAGE += 1
# The claims its corrections name, with what they read before (issue 15 §4; not asked
# when the article has no corrections).
ARTICLE_PAGE += 1

SENTENCES = [f"Claim number {i} says the harbour grew by {i}%." for i in range(12)]


def story(section, *, claims: int, sponsored: bool = False):
    article = ArticleFactory(
        published=True,
        section=section,
        lead_image=ImageFactory(),
        ai_involvement="generated",
        body="".join(f"<p>Before. <em>{s}</em> After &amp; “more”.</p>" for s in SENTENCES),
    )
    article.tags.add("port", "harbour", "ferries")
    BylineFactory(article=article, author=AuthorFactory())
    agent = AIAgentFactory()
    BylineFactory(article=article, author=agent, role=Byline.Role.BY, position=1)
    HumanReview.objects.create(
        article=article, reviewer=UserFactory(), reviewer_name="Maria Okafor", version=1
    )
    CorrectionFactory(article=article)
    for i in range(claims):
        claim = ClaimFactory(article=article, text=SENTENCES[i])
        AttributionFactory(claim=claim)
        if i % 2:
            AttributionFactory(
                claim=claim,
                document=SourceDocumentFactory(),
                via=PublisherFactory(),
                relation="carried_by",
            )
    if sponsored:
        SponsorshipFactory(article=article)
    return article


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize("sponsored", [False, True])
def test_article_page_stays_within_budget_however_much_it_cites(client, settings, sponsored):
    settings.PUBLIC_CACHE_SECONDS = 0
    section = SectionFactory()
    few = story(section, claims=2, sponsored=sponsored).get_absolute_url()
    many = story(section, claims=12, sponsored=sponsored).get_absolute_url()
    for url in (few, many):
        client.get(url)  # the pictures' renditions are made once, on first sight
    assert queries(client, few) == ARTICLE_PAGE
    assert queries(client, many) == ARTICLE_PAGE
    for _ in range(45):
        ArticleFactory(published=True, section=section, lead_image=ImageFactory())
    client.get(few)  # the fuller rail's pictures
    assert queries(client, few) == ARTICLE_PAGE
    assert queries(client, many) == ARTICLE_PAGE


def test_every_claim_is_cited_in_place_on_a_long_article(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    article = story(SectionFactory(), claims=12)
    html = client.get(article.get_absolute_url()).content.decode()
    for number, sentence in enumerate(SENTENCES, start=1):
        assert f'{sentence} <span class="citation" id="claim-{number}">' in html
