"""The article page lists unsourced statements, and "Make this a claim" adds one as a claim
of the article: for those who may change it, with the CSRF token, behind the desk
firewall, and refused with a message (never an error page) when it cannot be one."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from sources.models import Claim
from tests.articles.admin.helpers import change_url, set_status
from tests.articles.admin.test_query_budgets_and_dashboard import count
from tests.articles.publishing.helpers import ai_written, commercial_article, newsroom_article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BODY = (
    "<p>Sony said its profit rose. Analysts expect more.</p>"
    "<p>Revenue rose 12% in March. The results were published on Tuesday.</p>"
)
SENTENCE = "Revenue rose 12% in March."


def with_body(article: Article, body: str = BODY) -> Article:
    article.body = body
    article.save()
    return article


def make_claim_url(article: Article) -> str:
    return reverse("admin:articles_article_make_claim", args=[article.pk])


# -- the list -------------------------------------------------------------------------------


def test_an_ai_pieces_page_lists_its_unsourced_statements_with_why_and_an_action(
    editor_client, reporter
):
    article = with_body(ai_written(newsroom_article(reporter)))
    html = editor_client.get(change_url(article)).content.decode()
    assert "2 unsourced statements" in html
    assert "This piece was written by AI: it cannot be published until each" in html
    assert "<q>Revenue rose 12% in March.</q>" in html
    assert "(a figure or amount, a date)" in html
    assert "<q>The results were published on Tuesday.</q>" in html
    assert html.count(">Make this a claim</button>") == 2
    assert f'value="{SENTENCE}" form="wf-make-claim"' in html
    assert f'action="{make_claim_url(article)}" id="wf-make-claim"' in html
    # The gate's own problem names the count and the sentences too.
    assert "it has 2 unsourced statements" in html


def test_a_human_pieces_page_shows_them_as_advice(editor_client, reporter):
    article = with_body(newsroom_article(reporter))
    html = editor_client.get(change_url(article)).content.decode()
    assert "2 unsourced statements" in html
    assert "Advice, not blocking" in html
    assert "it has 2 unsourced statements" not in html


def test_a_live_piece_lists_them_without_the_action(editor_client, reporter):
    article = with_body(newsroom_article(reporter))
    set_status(article, Article.Status.PUBLISHED, published_at=article.created_at)
    html = editor_client.get(change_url(article)).content.decode()
    assert "2 unsourced statements" in html
    assert "Make this a claim" not in html
    assert 'id="wf-make-claim"' not in html


def test_a_piece_whose_statements_are_all_claims_shows_no_list(editor_client, reporter):
    article = newsroom_article(reporter)
    html = editor_client.get(change_url(article)).content.decode()
    assert "unsourced statement" not in html


def test_the_page_costs_the_same_queries_however_many_statements(editor_client, reporter):
    article = with_body(ai_written(newsroom_article(reporter)))
    few = count(editor_client, change_url(article))
    with_body(article, BODY + "".join(f"<p>It rose {n}% on day {n}.</p>" for n in range(40)))
    assert count(editor_client, change_url(article)) == few


# -- the action -------------------------------------------------------------------------------


def test_make_this_a_claim_adds_the_sentence_as_a_claim_and_says_so(editor_client, reporter):
    article = with_body(ai_written(newsroom_article(reporter)))
    response = editor_client.post(make_claim_url(article), {"text": SENTENCE})
    assert response.status_code == 302
    assert response.url == change_url(article)
    claim = article.claims.get(text=SENTENCE)
    html = editor_client.get(change_url(article)).content.decode()
    assert "“Revenue rose 12% in March.” is now a claim" in html
    assert reverse("admin:sources_claim_change", args=[claim.pk]) in html
    assert "1 unsourced statement" in html
    assert "<q>Revenue rose 12% in March.</q>" not in html
    assert article.events.get(action="claim_added").actor_name == "Maria Okafor"


def test_make_this_a_claim_needs_the_csrf_token(editor, reporter):
    article = with_body(newsroom_article(reporter))
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(make_claim_url(article), {"text": SENTENCE}).status_code == 403
    assert not Claim.objects.filter(text=SENTENCE).exists()


def test_make_this_a_claim_by_get_is_not_possible(editor_client, reporter):
    article = with_body(newsroom_article(reporter))
    assert editor_client.get(make_claim_url(article)).status_code == 404


def test_a_reporter_may_not_make_claims_on_another_reporters_piece(
    client, reporter, other_reporter
):
    article = with_body(newsroom_article(other_reporter, Article.Status.IN_REVIEW))
    client.force_login(reporter)
    assert client.post(make_claim_url(article), {"text": SENTENCE}).status_code == 403
    assert not Claim.objects.filter(text=SENTENCE).exists()


def test_the_desk_firewall_hides_the_action_on_the_other_desks_pieces(client, commercial, reporter):
    newsroom = with_body(newsroom_article(reporter))
    client.force_login(commercial)
    assert client.post(make_claim_url(newsroom), {"text": SENTENCE}).status_code == 404
    assert not Claim.objects.filter(text=SENTENCE).exists()


def test_the_commercial_desk_makes_claims_on_its_own_pieces(client, commercial):
    article = with_body(commercial_article(commercial))
    client.force_login(commercial)
    assert client.post(make_claim_url(article), {"text": SENTENCE}).status_code == 302
    assert article.claims.filter(text=SENTENCE).exists()


def test_an_unknown_article_is_not_found(editor_client):
    assert editor_client.post("/admin/articles/article/999999/make-claim/").status_code == 404


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({}, "This field cannot be blank."),
        ({"text": "Revenue fell."}, "does not appear in the article body"),
        ({"text": "Sony said its profit rose."}, "This sentence is a claim already."),
        ({"text": "Revenue\x00 rose"}, "Null characters are not allowed."),
        ({"text": "x" * 5000}, "too long for a claim"),
    ],
)
def test_bad_input_is_a_message_not_an_error(editor_client, reporter, data, reason):
    article = with_body(newsroom_article(reporter))
    response = editor_client.post(make_claim_url(article), data, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Making it a claim was refused" in html
    assert reason in html
    assert article.claims.count() == 1


def test_a_live_piece_refuses_a_claim_without_its_source_with_a_message(editor_client, reporter):
    article = with_body(newsroom_article(reporter))
    set_status(article, Article.Status.PUBLISHED, published_at=article.created_at)
    response = editor_client.post(make_claim_url(article), {"text": SENTENCE}, follow=True)
    html = response.content.decode()
    assert "Making it a claim was refused" in html
    assert "has no source." in html
    assert not article.claims.filter(text=SENTENCE).exists()


def test_the_factory_body_has_no_unsourced_statement_once_its_claim_is_made(editor_client):
    article = ArticleFactory()
    html = editor_client.get(change_url(article)).content.decode()
    assert "1 unsourced statement" in html
    assert "Sony said its profit rose." in html
