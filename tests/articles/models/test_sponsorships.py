"""Sponsorships: the label follows the kind, the disclosure and campaign dates are enforced."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from articles.models import Article, Sponsorship, WorkType
from tests.factories import ArticleFactory, SponsorFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


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
