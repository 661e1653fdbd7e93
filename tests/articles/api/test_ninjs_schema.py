"""Every ninjs item we send validates: the default output against IPTC's official ninjs
3.1 schema (vendored under tests/standards, registered under its $id, checked offline),
the extended profile against our published extension schema, which builds on it. For
every demo article, as a single item and in a list, and for generated edge cases."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from referencing import Registry, Resource

from articles.api.ninjs import EXTENSION_URI, article_to_ninjs, extension_schema
from articles.demo import load_demo
from articles.models import AIInvolvement, Article, Byline, Correction, HumanReview, Sponsorship
from tests.articles.api.helpers import ARTICLES, NINJS
from tests.factories import (
    AIAgentFactory,
    ArticleFactory,
    AttributionFactory,
    AuthorFactory,
    ClaimFactory,
    PublisherFactory,
    SponsorshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OFFICIAL = json.loads(
    (Path(__file__).parents[2] / "standards/ninjs/ninjs-schema_3.1.json").read_text()
)
REGISTRY = Registry().with_resource(OFFICIAL["$id"].rstrip("#"), Resource.from_contents(OFFICIAL))
FORMATS = jsonschema.FormatChecker()


def official(item: dict) -> None:
    jsonschema.Draft202012Validator(OFFICIAL, format_checker=FORMATS).validate(item)


def extended(item: dict) -> None:
    jsonschema.Draft202012Validator(
        extension_schema(), registry=REGISTRY, format_checker=FORMATS
    ).validate(item)


def test_the_extension_schema_is_published_and_is_a_valid_schema(client):
    response = client.get("/api/v1/ninjs/newsroom-extension.json")
    assert response.status_code == 200
    assert response.json() == extension_schema()
    jsonschema.Draft202012Validator.check_schema(extension_schema())
    assert extension_schema()["$id"] == EXTENSION_URI


def test_every_demo_article_validates_in_both_profiles(client):
    load_demo()
    articles = list(Article.objects.published())
    assert len(articles) >= 5
    for article in articles:
        url = f"{ARTICLES}{article.pk}/"
        item = client.get(url, headers={"Accept": NINJS}).json()
        official(item)
        assert not any(key.startswith("x-") for key in item)
        rich = client.get(f"{url}?profile=newsroom", headers={"Accept": NINJS}).json()
        extended(rich)
        assert rich["profile"] == EXTENSION_URI
        if any(key.startswith("x-") for key in rich):
            with pytest.raises(jsonschema.ValidationError):
                official(rich)  # the extension is never passed off as plain ninjs
    for query in ("", "&expand=body", "&profile=newsroom"):
        page = client.get(f"{ARTICLES}?page_size=100{query}", headers={"Accept": NINJS}).json()
        assert len(page["results"]) == len(articles)
        for item in page["results"]:
            extended(item) if "profile" in query else official(item)


def test_a_stray_property_fails_our_schema_too(client):
    load_demo()
    article = Article.objects.published().first()
    rich = client.get(f"{ARTICLES}{article.pk}/?format=ninjs&profile=newsroom").json()
    with pytest.raises(jsonschema.ValidationError):
        extended(rich | {"x-newsroom-unknown": 1})


class Rollback(Exception):
    pass


text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=40
).filter(str.strip)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    headline=text,
    sponsorship=st.sampled_from([None, *Sponsorship.Kind.values]),
    agent=st.booleans(),
    reviewed=st.booleans(),
    roles=st.lists(st.sampled_from(Byline.Role.values), max_size=3),
    corrections=st.lists(st.sampled_from(Correction.Kind.values), max_size=3),
    claims=st.integers(min_value=0, max_value=2),
    via=st.sampled_from(["", "carried_by", "quoted_by"]),
    language=st.sampled_from(["en", "de", "fr", "ja"]),
)
def test_generated_articles_validate_in_both_profiles(
    headline, sponsorship, agent, reviewed, roles, corrections, claims, via, language
):
    try:
        with transaction.atomic():
            article = ArticleFactory(published=True, headline=headline, language=language)
            if agent:
                Byline.objects.create(article=article, author=AIAgentFactory())
                article.ai_involvement = AIInvolvement.GENERATED
                article.save()
                if reviewed:
                    HumanReview.objects.create(
                        article=article, reviewer=UserFactory(), reviewer_name=headline, version=1
                    )
            for position, role in enumerate(roles):
                Byline.objects.create(
                    article=article, author=AuthorFactory(), role=role, position=position + 1
                )
            if sponsorship:
                SponsorshipFactory(article=article, kind=sponsorship)
            for kind in corrections:
                Correction.objects.create(article=article, kind=kind, text=f"{headline} fixed.")
            for sentence in ["Sony said its profit rose.", "Analysts expect more."][:claims]:
                claim = ClaimFactory(article=article, text=sentence)
                portal = PublisherFactory(name=f"Portal {headline[:20]}") if via else None
                AttributionFactory(claim=claim, via=portal, relation=via)
            fresh = Article.objects.for_detail().get(pk=article.pk)
            for full in (True, False):
                official(article_to_ninjs(fresh, full=full))
                extended(article_to_ninjs(fresh, full=full, extended=True))
            raise Rollback
    except Rollback:
        pass
