"""JSON-LD beyond the article's own facts: author pages as ProfilePages (a journalist a
Person; an AI agent never one), credited roles as contributors, an AI-generated picture
marked as such, and the reviewer with the version and date reviewed."""

import pytest

from articles.models import Byline, HumanReview, Image
from tests.articles.site.helpers import html_of, jsonld
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    ImageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

AI_SOURCE = "https://schema.org/TrainedAlgorithmicMediaDigitalSource"


def test_a_journalists_page_is_a_profile_page_of_a_person(client):
    hannah = AuthorFactory(
        name="Hannah Berg", slug="hannah", job_title="Port reporter", beats="ports, shipping"
    )
    BylineFactory(author=hannah, article=ArticleFactory(published=True))
    [data] = jsonld(html_of(client, "/author/hannah/"))
    assert data["@type"] == "ProfilePage"
    person = data["mainEntity"]
    assert person["@type"] == "Person"
    assert (person["name"], person["jobTitle"]) == ("Hannah Berg", "Port reporter")
    assert person["url"].endswith("/author/hannah/")
    assert person["knowsAbout"] == ["ports", "shipping"]


def test_an_ai_agents_page_describes_its_operator_never_a_person(client):
    agent = AIAgentFactory(name="Sift", slug="sift", operator="Newsroom Media Ltd")
    [data] = jsonld(html_of(client, "/author/sift/"))
    entity = data["mainEntity"]
    assert entity["@type"] == "Organization"
    assert entity["name"] == "Newsroom Media Ltd"
    assert entity["description"].startswith("Sift is an AI agent")
    assert agent.disclosure in entity["description"]
    assert "Person" not in str(data)


def test_other_roles_are_contributors_not_authors(client):
    article = ArticleFactory(published=True)
    BylineFactory(article=article, author=AuthorFactory(name="Ada Lead"))
    BylineFactory(
        article=article,
        author=AuthorFactory(name="Ravi Research"),
        role=Byline.Role.RESEARCH,
    )
    [data] = jsonld(html_of(client, article.get_absolute_url()))
    assert [a["name"] for a in data["author"]] == ["Ada Lead"]
    assert [c["name"] for c in data["contributor"]] == ["Ravi Research"]


def test_an_ai_generated_lead_picture_says_so_in_json_ld(client):
    image = ImageFactory(source_kind=Image.SourceKind.AI_GENERATED, credit="Made with a model")
    article = ArticleFactory(published=True, lead_image=image)
    [data] = jsonld(html_of(client, article.get_absolute_url()))
    assert data["image"]["@type"] == "ImageObject"
    assert data["image"]["digitalSourceType"] == AI_SOURCE
    assert data["image"]["creditText"] == "Made with a model"


def test_the_reviewer_comes_with_the_version_and_date_reviewed(client):
    article = ArticleFactory(published=True)
    BylineFactory(article=article, author=AIAgentFactory())
    HumanReview.objects.create(
        article=article, reviewer=UserFactory(), reviewer_name="Maria Okafor", version=4
    )
    [data] = jsonld(html_of(client, article.get_absolute_url()))
    assert data["editor"] == {"@type": "Person", "name": "Maria Okafor"}
    assert data["review"]["reviewAspect"] == "Human editorial review of version 4"
    assert data["review"]["datePublished"]
