"""The demo content, with its sponsored AI-written article."""

import pytest

from articles.demo import load_demo
from articles.models import Article
from tests.articles.site.helpers import SPONSORED_SLUG


@pytest.fixture
def demo():
    load_demo()
    return Article.objects.for_detail().get(slug=SPONSORED_SLUG)
