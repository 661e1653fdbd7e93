import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from articles.models import (
    AIInvolvement,
    Article,
    Author,
    Byline,
    Correction,
    Sponsorship,
    WorkType,
)
from articles.sanitize import sanitize_html
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    CorrectionFactory,
    SponsorFactory,
    SponsorshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# -- AI agents ------------------------------------------------------------


def test_ai_agent_without_supervising_editor_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        AIAgentFactory(supervising_editor=None)


def test_ai_agent_without_operator_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        AIAgentFactory(operator="")


def test_ai_agent_missing_disclosure_gets_a_message_per_field():
    agent = Author(kind=Author.Kind.AI_AGENT, name="Ledger", slug="ledger")
    with pytest.raises(ValidationError) as excinfo:
        agent.full_clean()
    errors = excinfo.value.message_dict
    assert errors["operator"] == ["An AI agent must record the organisation that operates it."]
    assert errors["supervising_editor"] == [
        "An AI agent must record the human editor who supervises it."
    ]
    assert "system" in errors
    assert "disclosure" in errors


def test_ai_agent_cannot_be_a_staff_login():
    agent = AIAgentFactory.build(user=UserFactory(), supervising_editor=UserFactory())
    with pytest.raises(ValidationError) as excinfo:
        agent.full_clean()
    assert "cannot be linked to a staff account" in str(excinfo.value)


def test_human_journalist_needs_no_ai_fields():
    author = AuthorFactory(operator="", supervising_editor=None)
    author.full_clean()
    assert not author.is_ai_agent
    assert author.description == "Reporter"


def test_ai_agent_describes_itself_and_its_beats():
    agent = AIAgentFactory(operator="Newsroom Media Ltd")
    assert agent.description == "an AI agent operated by Newsroom Media Ltd"
    assert agent.covers == "Covers: AI, machine learning, autonomous systems"
    assert str(agent).endswith("(AI agent)")


def test_author_with_bylines_cannot_be_deleted():
    byline = BylineFactory()
    with pytest.raises(ProtectedError):
        byline.author.delete()
    assert Author.objects.filter(pk=byline.author.pk).exists()


def test_supervising_editor_of_an_agent_cannot_be_deleted():
    agent = AIAgentFactory()
    with pytest.raises(ProtectedError):
        agent.supervising_editor.delete()


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


# -- sponsorship ----------------------------------------------------------


def test_unsponsored_article_has_no_label():
    article = ArticleFactory()
    assert not article.is_sponsored
    assert article.label == ""
    assert article.work_type == WorkType.NEWS


def test_native_advertising_is_labelled_as_advertising_with_the_sponsor():
    sponsorship = SponsorshipFactory(sponsor=SponsorFactory(name="Kestrel Audio"))
    article = sponsorship.article
    assert article.is_sponsored
    assert article.label == "Sponsored Advertising Content"
    assert sponsorship.sponsor_line == "Paid for by Kestrel Audio"
    assert sponsorship.full_label == "Sponsored Advertising Content paid for by Kestrel Audio"


def test_native_advertising_is_advertiser_content_whatever_its_form():
    article = ArticleFactory(type_of_work=WorkType.ANALYSIS)
    SponsorshipFactory(article=article)
    article = Article.objects.for_listing().get(pk=article.pk)
    assert article.work_type == WorkType.ADVERTISER_CONTENT
    assert article.schema_type == "AdvertiserContentArticle"


def test_underwriting_says_supported_by_and_that_the_sponsor_had_no_say():
    sponsorship = SponsorshipFactory(kind="underwriting", sponsor=SponsorFactory(name="Tidewater"))
    article = sponsorship.article
    assert article.label == "Supported by Tidewater"
    assert "had no role" in sponsorship.sponsor_line
    assert article.work_type == WorkType.NEWS
    assert article.schema_type == "ReportageNewsArticle"


def test_no_label_can_be_typed_per_article():
    # The label is derived from the kind; a typed-in "Promoted" has nowhere to go.
    sponsorship = SponsorshipFactory()
    with pytest.raises(AttributeError):
        sponsorship.label = "Promoted"
    stored = {field.name for field in Sponsorship._meta.get_fields()}
    assert not stored & {"label", "label_text", "badge"}


def test_sponsorship_of_unknown_kind_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        SponsorshipFactory(kind="promoted")


def test_sponsorship_without_disclosure_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        SponsorshipFactory(disclosure="")


def test_campaign_ending_before_it_starts_is_refused():
    today = timezone.localdate()
    with pytest.raises(IntegrityError), transaction.atomic():
        SponsorshipFactory(campaign_starts_on=today, campaign_ends_on=today - dt.timedelta(days=1))


def test_campaign_activity_follows_its_dates():
    today = timezone.localdate()
    sponsorship = SponsorshipFactory(
        campaign_starts_on=today, campaign_ends_on=today + dt.timedelta(days=2)
    )
    assert sponsorship.is_active_on(today)
    assert not sponsorship.is_active_on(today - dt.timedelta(days=1))
    assert not sponsorship.is_active_on(today + dt.timedelta(days=3))


def test_sponsor_with_sponsorships_cannot_be_deleted():
    sponsorship = SponsorshipFactory()
    with pytest.raises(ProtectedError):
        sponsorship.sponsor.delete()


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


# -- corrections ----------------------------------------------------------


def test_corrections_are_dated_and_in_order():
    first = CorrectionFactory()
    second = CorrectionFactory(article=first.article, kind=Correction.Kind.UPDATE)
    assert list(first.article.corrections.all()) == [first, second]
    assert first.article.last_correction_at == second.created_at


def test_corrections_cannot_be_edited_or_deleted():
    correction = CorrectionFactory()
    correction.text = "Rewritten history"
    with pytest.raises(ValidationError):
        correction.save()
    with pytest.raises(ValidationError):
        correction.delete()
    correction.refresh_from_db()
    assert correction.text == "An earlier version misstated the quarter."


def test_unknown_correction_kind_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        CorrectionFactory(kind="erratum")
