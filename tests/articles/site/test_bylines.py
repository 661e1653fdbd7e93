"""Who wrote it: AI and human bylines, author pages and their JSON-LD."""

import re

import pytest

from articles.models import AIInvolvement
from tests.articles.site.helpers import html_of, jsonld, teaser_of
from tests.factories import AIAgentFactory, ArticleFactory, AuthorFactory, BylineFactory
from tests.wording import reviewed_on

pytestmark = pytest.mark.django_db


# -- who wrote it ----------------------------------------------------------------------


def test_ai_written_article_says_so_in_the_byline_with_operator_and_reviewer(client, demo):
    html = html_of(client, demo.get_absolute_url())
    byline = re.search(r'<p class="byline">(.*?)</p>', html, re.S).group(1)
    text = re.sub(r"<[^>]+>", "", byline)
    review = demo.latest_review
    assert text == (
        "By Sift, an AI agent operated by Newsroom Media Ltd; "
        f"reviewed by {review.reviewer_name} on {reviewed_on(review)}"
    )
    assert 'href="/about/ai/"' in byline


def test_ai_agent_is_never_marked_up_as_a_person(client, demo):
    [data] = jsonld(html_of(client, demo.get_absolute_url()))
    [author] = data["author"]
    assert author["@type"] == "Organization"
    assert author["name"] == "Newsroom Media Ltd"
    assert "Sift is an AI agent operated by Newsroom Media Ltd" in author["description"]
    review = demo.latest_review
    assert data["editor"] == {"@type": "Person", "name": review.reviewer_name}
    assert data["review"] == {
        "@type": "Review",
        "author": {"@type": "Person", "name": review.reviewer_name},
        "datePublished": review.reviewed_at.isoformat(),
        "reviewAspect": f"Human editorial review of version {review.version}",
    }
    assert data["digitalSourceType"] == "https://schema.org/TrainedAlgorithmicMediaDigitalSource"


def test_teasers_mark_ai_written_pieces(client):
    article = ArticleFactory(published=True, ai_involvement=AIInvolvement.GENERATED)
    BylineFactory(article=article, author=AIAgentFactory(name="Ledger"))
    teaser = teaser_of(html_of(client, "/"), article.headline)
    assert "Written by an AI agent" in teaser
    assert "Ledger, an AI agent operated by Newsroom Media Ltd" in teaser


def test_ai_agent_author_page_discloses_what_it_is(client, demo):
    sift = demo.byline_list[0].author
    html = html_of(client, sift.get_absolute_url())
    assert '<h1>Sift <a class="label label--ai"' in html and ">AI agent</a></h1>" in html
    assert "<dt>Operated by</dt><dd>" in html and "Newsroom Media Ltd</a></dd>" in html
    assert "<dt>Runs on</dt><dd>Newsroom Agent Platform 2</dd>" in html
    assert "<dt>Supervised by</dt><dd>Maria Okafor, a human editor</dd>" in html
    assert sift.disclosure in html
    assert "Covers: AI, machine learning, autonomous systems" in html
    assert sift.bio in html
    # Each said once to readers: a fixed sentence, the disclosure and the bio used to say
    # it all thrice. (The page's JSON-LD, for machines, describes the agent on its own.)
    seen = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)
    assert seen.count("is an AI agent") == 1  # the disclosure's; the bio says "an autonomous…"
    assert seen.count("reviewed by a human editor") == 1


def test_human_author_is_a_person_in_json_ld(client):
    article = ArticleFactory(published=True)
    BylineFactory(article=article, author=AuthorFactory(name="Hannah Lindqvist"))
    [data] = jsonld(html_of(client, article.get_absolute_url()))
    assert data["author"][0]["@type"] == "Person"
    assert data["author"][0]["name"] == "Hannah Lindqvist"
    assert "digitalSourceType" not in data
