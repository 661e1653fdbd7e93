"""Articles and bylines: declared AI involvement, type of work, slugs, versions, querysets."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import AIInvolvement, Article, Byline, WorkType
from articles.sanitize import sanitize_html
from tests.factories import AIAgentFactory, ArticleFactory, BylineFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


# -- AI involvement -------------------------------------------------------


def test_ai_agent_as_author_requires_ai_generated():
    byline = BylineFactory(author=AIAgentFactory(name="Ledger"))
    article = byline.article
    assert "Ledger is an AI agent" in article.ai_involvement_problem()
    article.ai_involvement = AIInvolvement.GENERATED
    assert article.ai_involvement_problem() == ""


def test_ai_agent_in_a_research_role_requires_at_least_ai_assisted():
    article = ArticleFactory()
    BylineFactory(article=article)
    BylineFactory(article=article, author=AIAgentFactory(), role=Byline.Role.RESEARCH)
    assert "AI-assisted" in article.ai_involvement_problem()
    article.ai_involvement = AIInvolvement.ASSISTED
    assert article.ai_involvement_problem() == ""


def test_human_bylines_allow_any_declared_involvement():
    article = ArticleFactory(ai_involvement=AIInvolvement.ASSISTED)
    BylineFactory(article=article)
    assert article.ai_involvement_problem() == ""


@pytest.mark.parametrize(
    ("level", "term"),
    [
        (AIInvolvement.NONE, "digitalCreation"),
        (AIInvolvement.ASSISTED, "compositeWithTrainedAlgorithmicMedia"),
        (AIInvolvement.GENERATED, "trainedAlgorithmicMedia"),
    ],
)
def test_ai_involvement_maps_to_the_iptc_digital_source_type(level, term):
    article = ArticleFactory.build(ai_involvement=level)
    assert article.digital_source_type == (f"http://cv.iptc.org/newscodes/digitalsourcetype/{term}")


# -- type of work ---------------------------------------------------------


def test_schema_types_follow_the_type_of_work():
    assert {t.value: t.schema_type for t in WorkType} == {
        "news": "ReportageNewsArticle",
        "analysis": "AnalysisNewsArticle",
        "opinion": "OpinionNewsArticle",
        "explainer": "BackgroundNewsArticle",
        "review": "ReviewNewsArticle",
        "advertiser_content": "AdvertiserContentArticle",
    }


def test_advertiser_content_cannot_be_stored_as_a_type_of_work():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(type_of_work=WorkType.ADVERTISER_CONTENT)


# -- articles -------------------------------------------------------------


def test_body_is_sanitised_when_saved():
    article = ArticleFactory(
        body='<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:x">x</a>'
        '<a href="https://ok.example">ok</a></p><iframe src="https://evil.example"></iframe>'
    )
    article.refresh_from_db()
    assert "script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "iframe" not in article.body
    assert '<a href="https://ok.example">ok</a>' in article.body


def test_sanitiser_keeps_what_the_editor_can_make():
    html = (
        "<h2>Heading</h2><p><strong>b</strong> <em>i</em></p><ul><li>one</li></ul>"
        "<blockquote><p>quote</p></blockquote>"
    )
    assert sanitize_html(html) == html


def test_slugs_are_made_unique():
    first = ArticleFactory(headline="Sony raises outlook")
    second = ArticleFactory(headline="Sony raises outlook")
    assert first.slug == "sony-raises-outlook"
    assert second.slug == "sony-raises-outlook-2"


def test_duplicate_slug_is_refused_by_the_database():
    ArticleFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="same")


def test_every_save_bumps_the_version():
    article = ArticleFactory()
    assert article.version == 1
    article.headline = "New headline"
    article.save()
    article.refresh_from_db()
    assert article.version == 2


def test_published_article_needs_a_publication_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)


def test_only_published_articles_in_the_past_are_public():
    live = ArticleFactory(published=True)
    ArticleFactory()  # draft
    ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=timezone.now() + dt.timedelta(hours=1)
    )
    ArticleFactory(status=Article.Status.UNPUBLISHED, published_at=timezone.now())
    assert list(Article.objects.published()) == [live]
    assert live.is_published


def test_bylines_keep_their_order_and_roles():
    article = ArticleFactory()
    second = BylineFactory(article=article, position=2, role=Byline.Role.ADDITIONAL_REPORTING)
    first = BylineFactory(article=article, position=1)
    assert list(article.bylines.all()) == [first, second]
    assert article.authors == [first.author]


def test_sponsored_and_editorial_querysets_split_on_the_sponsorship():
    sponsored = SponsorshipFactory().article
    editorial = ArticleFactory()
    assert list(Article.objects.sponsored()) == [sponsored]
    assert list(Article.objects.editorial()) == [editorial]


def test_articles_by_ai_agents_are_found():
    agent_piece = BylineFactory(author=AIAgentFactory()).article
    BylineFactory()
    assert list(Article.objects.by_ai_agents()) == [agent_piece]
