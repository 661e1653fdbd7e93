import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.images import UNSUPPORTED_MESSAGE
from articles.models import AIInvolvement, Article, Author, Byline, Image
from tests.articles.media.helpers import raster
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    CorrectionFactory,
    SponsorshipFactory,
)

pytestmark = pytest.mark.django_db


def make_articles(n: int) -> None:
    for i in range(n):
        article = ArticleFactory(published=i % 2 == 0)
        BylineFactory(article=article)
        BylineFactory(article=article, author=AIAgentFactory(), role=Byline.Role.RESEARCH)
        article.tags.add(f"tag{i}")
        if i % 3 == 0:
            SponsorshipFactory(article=article)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:articles_article_changelist",
        "admin:articles_author_changelist",
        "admin:articles_sponsorship_changelist",
        "admin:articles_section_changelist",
        "admin:articles_sponsor_changelist",
        "admin:articles_correction_changelist",
        "admin:articles_image_changelist",
    ],
)
def test_changelist_query_count_does_not_grow_with_rows(editor_client, url_name):
    url = reverse(url_name)
    make_articles(5)
    few = count_queries(editor_client, url)
    make_articles(45)
    many = count_queries(editor_client, url)
    assert many == few


def test_article_changelist_budget(editor_client):
    make_articles(50)
    # session, user, permissions (2), count, filtered count, date-hierarchy
    # bounds, filter choices (section, tags), articles, bylines, tags prefetch.
    with CaptureQueriesContext(connection) as ctx:
        response = editor_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= 14, [q["sql"] for q in ctx.captured_queries]


def test_changelist_shows_status_label_and_ai_bylines(editor_client):
    article = SponsorshipFactory().article
    BylineFactory(article=article, author=AIAgentFactory(name="Ledger"))
    response = editor_client.get(reverse("admin:articles_article_changelist"))
    html = response.content.decode()
    assert "Sponsored Advertising Content" in html
    assert "Ledger (AI agent)" in html
    assert ">Draft</span>" in html


def test_changelist_filters_by_sponsorship(editor_client):
    sponsored = SponsorshipFactory().article
    editorial = ArticleFactory()
    url = reverse("admin:articles_article_changelist")
    response = editor_client.get(url, {"sponsorship__isempty": "0"})
    assert list(response.context["cl"].result_list) == [sponsored]
    response = editor_client.get(url, {"sponsorship__isempty": "1"})
    assert list(response.context["cl"].result_list) == [editorial]


def article_form(section, **overrides):
    data = {
        "headline": "Console sales set to double",
        "slug": "",
        "dek": "A forecast, examined.",
        "body": "<p>Sony expects sales to double.</p>",
        "section": section.pk,
        "type_of_work": "analysis",
        "tags": "consoles, gaming",
        "language": "en",
        "ai_involvement": "none",
        "lead_image": "",
    }
    for prefix in ("bylines", "sponsorship", "claims", "corrections"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data | overrides


def test_editor_drafts_an_article_with_byline_and_claim(editor_client, editor):
    section = ArticleFactory().section
    author = AuthorFactory(name="Priya Raman")
    data = article_form(
        section,
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-position": "0",
            "bylines-0-author": author.pk,
            "bylines-0-role": "by",
            "claims-TOTAL_FORMS": "1",
            "claims-0-text": "Sony expects sales to double.",
            "body": '<p>Sony expects sales to double.</p><script>alert("x")</script>',
        },
    )
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["errors"]
    article = Article.objects.get(headline="Console sales set to double")
    assert article.slug == "console-sales-set-to-double"
    assert article.status == Article.Status.DRAFT
    assert article.created_by == editor
    assert "<script>" not in article.body
    assert article.authors == [author]
    assert [c.text for c in article.claims.all()] == ["Sony expects sales to double."]
    assert set(article.tags.names()) == {"consoles", "gaming"}


@pytest.mark.parametrize("role", [None, "<script>alert(1)</script>"])
def test_a_byline_row_without_a_valid_role_is_a_form_error_not_a_server_error(editor_client, role):
    row = {"bylines-TOTAL_FORMS": "1", "bylines-0-author": AuthorFactory().pk}
    if role is not None:
        row["bylines-0-role"] = role
    data = article_form(ArticleFactory().section, **row)
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert not Article.objects.filter(headline="Console sales set to double").exists()


def test_a_tag_longer_than_the_database_holds_is_a_form_error(editor_client):
    # Quotes group what commas would split: one name of 130 characters.
    data = article_form(ArticleFactory().section, tags='"' + "a, " * 43 + '"')
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "A tag can be at most 100 characters" in response.content.decode()
    assert not Article.objects.filter(headline="Console sales set to double").exists()


def test_ai_agent_byline_with_understated_involvement_is_a_form_error(editor_client):
    section = ArticleFactory().section
    agent = AIAgentFactory(name="Ledger")
    data = article_form(
        section,
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-author": agent.pk,
            "bylines-0-role": "by",
            "bylines-0-position": "0",
        },
    )
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "Ledger is an AI agent in the byline" in response.content.decode()
    assert not Article.objects.filter(headline="Console sales set to double").exists()

    data["ai_involvement"] = AIInvolvement.GENERATED
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302


def test_claim_not_in_body_is_a_form_error_and_nothing_is_saved(editor_client):
    section = ArticleFactory().section
    data = article_form(
        section, **{"claims-TOTAL_FORMS": "1", "claims-0-text": "Sony will triple sales."}
    )
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "does not appear in the article body" in response.content.decode()
    assert not Article.objects.filter(headline="Console sales set to double").exists()


def test_article_change_page_shows_claims_with_their_citations(editor_client):
    from tests.factories import AttributionFactory, ClaimFactory, PublisherFactory

    claim = ClaimFactory()
    AttributionFactory(claim=claim, document__publisher=PublisherFactory(name="Sony"))
    CorrectionFactory(article=claim.article)
    response = editor_client.get(reverse("admin:articles_article_change", args=[claim.article.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sony" in html
    assert "Edit sources" in html
    assert "An earlier version misstated the quarter." in html


def test_deleting_an_author_with_bylines_is_refused_in_the_admin(client, superuser):
    client.force_login(superuser)
    byline = BylineFactory()
    url = reverse("admin:articles_author_delete", args=[byline.author.pk])
    response = client.get(url)
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    client.post(url, {"post": "yes"})
    assert Author.objects.filter(pk=byline.author.pk).exists()


def test_ai_agent_without_supervisor_is_a_form_error(editor_client):
    response = editor_client.post(
        reverse("admin:articles_author_add"),
        {"kind": "ai_agent", "name": "Ledger", "slug": "ledger", "operator": "Newsroom Media"},
    )
    assert response.status_code == 200
    assert "An AI agent must record the human editor who supervises it." in (
        response.content.decode()
    )
    assert not Author.objects.exists()


def test_bad_image_upload_is_a_form_error_and_stores_nothing(editor_client, settings):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = editor_client.post(
        reverse("admin:articles_image_add"),
        {"file": SimpleUploadedFile("logo.svg", svg), "alt_text": "Logo"},
    )
    assert response.status_code == 200
    assert UNSUPPORTED_MESSAGE in response.content.decode()
    assert Image.objects.count() == 0
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.*"))


def test_good_image_upload_is_stored_with_its_dimensions(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = editor_client.post(
        reverse("admin:articles_image_add"),
        {
            "file": SimpleUploadedFile("red.png", raster("PNG")),
            "alt_text": "A red square",
            "source_kind": "staff",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (40, 30)
