"""Every tag gets a slug its page's URL can carry, whatever its name: a name without a
letter or digit, or with non-ASCII letters, used to leave a tag whose link could not be
made, so the article page showing it answered 500 for everyone."""

import re
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from taggit.models import Tag

from tests.articles.api.helpers import ARTICLES, post
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

ODD_NAMES = ["'", "<>", "café", "\uff1cscript\uff1e", "日本", "--", "cafe"]


def test_a_published_article_with_oddly_named_tags_is_shown_with_a_link_to_each(client):
    article = ArticleFactory(published=True)
    article.tags.set(ODD_NAMES)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    slugs = {tag.name: tag.slug for tag in Tag.objects.all()}
    assert set(slugs) == set(ODD_NAMES)
    assert len(set(slugs.values())) == len(ODD_NAMES)
    for name, slug in slugs.items():
        assert re.fullmatch(r"[-a-zA-Z0-9_]+", slug), name
        assert f'href="/tag/{slug}/"' in response.content.decode()
        assert client.get(f"/tag/{slug}/").status_code == 200


def test_an_agent_may_file_a_tag_with_no_letter_in_it(key_client, agent_key):
    SectionFactory(slug="technology")
    draft = {"headline": "Tags", "body": "<p>Text.</p>", "tags": ["'", "café"]}

    response = post(key_client(agent_key), ARTICLES, draft)

    assert response.status_code == 201, response.content
    assert sorted(response.json()["tags"]) == ["'", "café"]
    assert all(re.fullmatch(r"[-a-zA-Z0-9_]+", tag.slug) for tag in Tag.objects.all())


def test_an_existing_tag_is_found_by_its_name_not_made_again():
    ArticleFactory().tags.set(["café"])
    ArticleFactory().tags.set(["café", "'"])
    assert Tag.objects.count() == 2


def test_the_migration_repairs_tags_stored_with_slugs_no_url_can_carry(client):
    article = ArticleFactory(published=True)
    article.tags.set(["chips"])
    # As taggit stored them before: an empty slug, non-ASCII letters, one clashing.
    Tag.objects.bulk_create(
        [Tag(name="'", slug=""), Tag(name="café", slug="café"), Tag(name="Chips!", slug="chips?")]
    )
    article.tags.add(*Tag.objects.exclude(name="chips"))

    repair = import_module("articles.migrations.0014_repair_tag_slugs").repair
    repair(django_apps, None)

    slugs = dict(Tag.objects.values_list("name", "slug"))
    assert slugs["chips"] == "chips"  # a good slug is left alone
    assert slugs["café"] == "cafe"
    assert re.fullmatch(r"tag-[0-9a-f]{12}", slugs["'"])
    assert re.fullmatch(r"chips-[0-9a-f]{12}", slugs["Chips!"])  # "chips" was taken
    assert Tag.objects.count() == 4  # nothing removed
    assert client.get(article.get_absolute_url()).status_code == 200
