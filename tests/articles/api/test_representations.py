"""A list item is the article without its body: the same label, bylines, AI disclosure,
review, claims and sources as the article itself, key for key. The hand-built JSON is
exactly what the declared serializers (the OpenAPI schema, the webhooks) give."""

import json

import pytest
from rest_framework.renderers import JSONRenderer

from articles.api.representations import article_data
from articles.api.serializers import ArticleListItemSerializer, ArticleSerializer
from articles.models import Article, Image
from tests.articles.api.helpers import ARTICLES, NINJS
from tests.factories import CorrectionFactory, ImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def illustrated(cloud_gaming):
    """The demo's sponsored, AI-written analysis, with an AI-generated lead image and a
    correction."""
    image = ImageFactory(source_kind=Image.SourceKind.AI_GENERATED, caption="A router.")
    Article.objects.filter(pk=cloud_gaming.pk).update(lead_image=image)
    CorrectionFactory(article=cloud_gaming)
    return Article.objects.for_detail().get(pk=cloud_gaming.pk)


def as_json(data) -> dict:
    return json.loads(JSONRenderer().render(data))


def listed(client, article, query: str = "", **headers) -> dict:
    """``article`` as the list gives it (the demo has a handful of published pieces)."""
    results = client.get(f"{ARTICLES}?page_size=100{query}", headers=headers).json()["results"]
    url = article.get_absolute_url()
    [item] = [i for i in results if i.get("id") == article.pk or i.get("uri", "").endswith(url)]
    return item


def test_hand_built_json_is_what_the_serializers_declare(illustrated):
    assert as_json(article_data(illustrated)) == as_json(ArticleSerializer(illustrated).data)
    assert as_json(article_data(illustrated, detail=False)) == as_json(
        ArticleListItemSerializer(illustrated).data
    )


def test_a_list_item_is_the_article_without_its_body(client, illustrated):
    detail = client.get(f"{ARTICLES}{illustrated.pk}/").json()
    item = listed(client, illustrated)

    assert "body" not in item
    assert set(item) == set(detail) - {"body", "body_media", "related"}
    same = set(item) - {"bylines", "lead_image"}
    assert {key: item[key] for key in same} == {key: detail[key] for key in same}
    # The promises, in the list exactly as in the article.
    assert item["label"] == "Sponsored Advertising Content"
    assert item["sponsorship"]["sponsor"]["name"] == "Kestrel Networks"
    assert item["byline_text"].startswith("By Sift, an AI agent operated by Newsroom Media Ltd")
    assert item["reviewed_by"]["reviewer"] == "Priya Nair"
    assert [claim["citation"] for claim in item["claims"]][2] == (
        "Reuters via Yahoo Finance, April 10"
    )
    assert item["claims"][2]["attributions"][0]["document"]["url"].startswith("https://")
    # Authors in brief: who they are, the AI disclosure and who answers for the agent.
    [byline] = item["bylines"]
    author = detail["bylines"][0]["author"]
    assert byline["author"] == {key: author[key] for key in byline["author"]}
    assert byline["author"]["disclosure"].startswith("Sift is an AI agent")
    assert byline["author"]["supervising_editor"] == "Maria Okafor"
    assert "bio" not in byline["author"]
    # The lead image keeps its AI label; a teaser gets the thumbnail and card sizes.
    assert item["lead_image"]["reader_label"] == "AI-generated image"
    assert {r["spec"] for r in item["lead_image"]["renditions"]} <= {"thumbnail", "card"}
    assert item["lead_image"]["renditions"] == [
        r for r in detail["lead_image"]["renditions"] if r["spec"] in ("thumbnail", "card")
    ]


def test_expand_body_adds_the_body_to_list_items(client, illustrated):
    detail = client.get(f"{ARTICLES}{illustrated.pk}/").json()
    item = listed(client, illustrated, "&expand=body")
    assert item["body"] == detail["body"]
    assert "Sony said it will bring" in item["body"]


def test_ninjs_list_items_are_partial_unless_the_body_is_asked_for(client, illustrated):
    item = listed(client, illustrated, Accept=NINJS)
    assert item["representationType"] == "partial"
    assert "bodies" not in item
    assert item["genres"][0]["name"] == "Sponsored Advertising Content"
    full = client.get(f"{ARTICLES}{illustrated.pk}/", headers={"Accept": NINJS}).json()
    assert {k: v for k, v in full.items() if k not in ("bodies", "representationType")} == {
        k: v for k, v in item.items() if k != "representationType"
    }
    expanded = listed(client, illustrated, "&expand=body", Accept=NINJS)
    assert expanded == full


def test_lists_are_a_fraction_of_the_bodies_they_leave_out(client, cloud_gaming):
    listed = client.get(ARTICLES).content
    expanded = client.get(f"{ARTICLES}?expand=body").content
    assert len(listed) < len(expanded)
