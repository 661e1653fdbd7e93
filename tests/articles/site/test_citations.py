"""Claims with their sources in the article, corrections and the published/updated times."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from articles.models import Article
from articles.publishing import workflow
from tests.articles.site.helpers import html_of, jsonld
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    ClaimFactory,
    CorrectionFactory,
    PublisherFactory,
    SourceDocumentFactory,
)

pytestmark = pytest.mark.django_db


# -- claims and sources ------------------------------------------------------------------


def test_each_claim_shows_its_sources_in_place_and_in_the_numbered_list(client, demo):
    html = html_of(client, demo.get_absolute_url())
    body = html.split('<div class="body">')[1].split('<section class="sources"')[0]
    in_place = [
        re.sub(r"<[^>]+>", "", m).removeprefix("Source: ")
        for m in re.findall(r'<span class="citation"[^>]*>\((.*?)\)</span>', body, re.S)
    ]
    assert "Sony" in in_place
    assert "Sony; Reuters/Yahoo Finance" in in_place
    assert any(t.startswith("Reuters via Yahoo Finance, ") for t in in_place)
    assert "according to Bloomberg as quoted by Yahoo Finance" in in_place

    sources = html.split('<section class="sources"')[1].split("</section>")[0]
    for number in re.findall(r'href="#source-(\d+)"', body):
        assert f'id="source-{number}"' in sources
    assert "Carried by Yahoo Finance" in sources
    assert "As quoted by Yahoo Finance" in sources

    [data] = jsonld(html)
    assert len(data["citation"]) == sources.count("<li ")
    assert any(c.get("provider", {}).get("name") == "Yahoo Finance" for c in data["citation"])


def test_claim_citation_follows_the_claim_even_across_markup(client):
    article = ArticleFactory(
        published=True, body="<p>Profit <strong>rose 12%</strong> in the quarter. Then more.</p>"
    )
    claim = ClaimFactory(article=article, text="Profit rose 12% in the quarter.")
    AttributionFactory(
        claim=claim, document=SourceDocumentFactory(publisher=PublisherFactory(name="Sony"))
    )
    html = html_of(client, article.get_absolute_url())
    assert re.search(
        r'in the quarter\. <span class="citation" id="claim-1">.*?>Sony</a>\)</span> Then more',
        html,
    )


def test_corrections_are_dated_and_the_updated_time_reflects_them(client):
    article = ArticleFactory(published=True)
    article.published_at = timezone.now() - dt.timedelta(days=3)
    Article.objects.filter(pk=article.pk).update(
        published_at=article.published_at, updated_at=article.published_at
    )
    correction = CorrectionFactory(article=article, text="The vote was 7–2, not 6–3.")
    html = html_of(client, article.get_absolute_url())
    assert "This article has been corrected" in html
    assert "The vote was 7–2, not 6–3." in html
    assert f'datetime="{correction.created_at.isoformat()}">Updated' in html.replace(
        "+00:00", "+00:00"
    )
    [data] = jsonld(html)
    assert data["correction"][0]["@type"] == "CorrectionComment"
    assert data["dateModified"] == correction.created_at.isoformat()


def test_a_freshly_published_article_does_not_claim_to_be_updated(
    client, editor, django_capture_on_commit_callbacks
):
    from tests.factories import make_publishable

    article = make_publishable(ArticleFactory())
    Article.objects.filter(pk=article.pk).update(status=Article.Status.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article, by=editor)
    html = html_of(client, article.get_absolute_url())
    assert "Published " in html
    assert "Updated " not in html
