import pytest
from django.core.exceptions import ValidationError

from sources.models import Claim
from sources.text import normalise_text
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

BODY = (
    "<p>Sony said on Tuesday that <strong>operating profit rose 12%</strong> in the quarter.</p>"
    "<p>Analysts at two banks called the forecast “cautious”.</p>"
)


def test_claim_in_the_body_is_attached():
    article = ArticleFactory(body=BODY)
    claim = ClaimFactory(article=article, text="operating profit rose 12% in the quarter")
    assert not claim.is_detached()
    assert article.detached_claims() == []


def test_claim_matches_across_markup_typographic_quotes_and_line_breaks():
    article = ArticleFactory(body=BODY)
    claim = ClaimFactory(
        article=article, text='Analysts at two banks\ncalled the forecast "cautious"'
    )
    assert not claim.is_detached()


def test_claim_whose_text_was_edited_out_of_the_body_is_detached():
    article = ArticleFactory(body=BODY)
    claim = ClaimFactory(article=article, text="operating profit rose 12% in the quarter")
    article.body = "<p>Sony said on Tuesday that operating profit rose 9% in the quarter.</p>"
    article.save()
    assert claim.is_detached(article.body_text)
    assert article.detached_claims() == [claim]


def test_claim_not_in_body_fails_validation_with_a_message():
    article = ArticleFactory(body=BODY)
    claim = Claim(article=article, text="Sony will double its dividend")
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    assert "does not appear in the article body" in str(excinfo.value.message_dict["text"])


def test_claims_are_numbered_in_body_order_whatever_order_they_were_added():
    article = ArticleFactory(body=BODY)
    second = ClaimFactory(article=article, text="called the forecast “cautious”")
    first = ClaimFactory(article=article, text="operating profit rose 12%")
    article.reorder_claims()
    assert list(article.claims.all()) == [first, second]


def test_detached_claims_sort_after_attached_ones():
    article = ArticleFactory(body=BODY)
    gone = ClaimFactory(article=article, text="operating profit rose 12%")
    kept = ClaimFactory(article=article, text="called the forecast “cautious”")
    article.body = "<p>Analysts at two banks called the forecast “cautious”.</p>"
    article.save()
    assert list(article.claims.all()) == [kept, gone]


def test_normalised_text_keeps_words_split_by_inline_markup_together():
    assert normalise_text("<p>So<em>ny</em> rose&nbsp;12%</p><p>Next</p>") == "Sony rose 12% Next"
