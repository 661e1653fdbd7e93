"""Unique text is validated as it will be stored: a name or claim that differs from an
existing one only by a character XML cannot carry (stripped on save) is that one, and
every door says so with a message instead of colliding in the database (a 500)."""

import pytest
from django.contrib import admin
from django.db.models import CharField, SlugField, TextField
from django.db.models.signals import pre_save
from django.urls import reverse
from taggit.models import Tag

from articles.admin.forms import PlainTextForm
from articles.models import Article
from tests.admin_forms import change_form_data
from tests.articles import test_plain_text
from tests.articles.admin.helpers import change_url, ready
from tests.articles.api.helpers import ARTICLES, draft_payload, post
from tests.articles.api.problem_helpers import assert_problem
from tests.articles.test_plain_text import VT, without_files
from tests.factories import ArticleFactory, PublisherFactory, SectionFactory, SponsorFactory

pytestmark = pytest.mark.django_db

sony_release = test_plain_text.sony_release  # the fixture: Sony's press release

# -- a name that differs from an existing one only by such a character is that name ------------


@pytest.mark.parametrize(
    ("admin_url", "make_existing", "data"),
    [
        (
            "admin:articles_section_add",
            lambda: SectionFactory(name="Technology", slug="technology"),
            {"name": f"Tech{VT}nology", "slug": "technology-2", "position": 3},
        ),
        (
            "admin:articles_sponsor_add",
            lambda: SponsorFactory(name="Kestrel Networks", slug="kestrel"),
            {"name": f"Kestrel{VT} Networks", "slug": "kestrel-2"},
        ),
        (
            "admin:sources_publisher_add",
            lambda: PublisherFactory(name="Yahoo Finance", slug="yahoo-finance"),
            {"name": "Yahoo\x01 Finance", "slug": "yahoo-finance-2", "kind": "portal"},
        ),
        (
            "admin:taggit_tag_add",
            lambda: Tag.objects.create(name="chips", slug="chips"),
            {"name": f"chi{VT}ps", "slug": "chips-2"},
        ),
    ],
    ids=["section", "sponsor", "publisher", "tag"],
)
def test_the_admin_refuses_a_name_that_is_an_existing_one_once_cleaned(
    admin_client, admin_url, make_existing, data
):
    existing = make_existing()
    model = type(existing)
    url = reverse(admin_url)
    page = admin_client.get(url)

    response = admin_client.post(url, without_files(change_form_data(page, **data)))

    assert response.status_code == 200  # the form again, not a server error
    errors = response.context["adminform"].form.errors
    assert "already exists" in str(errors["name"])
    assert list(model.objects.all()) == [existing]


def test_two_claims_that_differ_only_by_such_a_character_are_refused_as_one(editor_client):
    article = ready(ArticleFactory())
    url = change_url(article)
    page = editor_client.get(url)
    data = change_form_data(page)
    prefix = next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model.__name__ == "Claim"
    )
    claim = article.claims.first().text
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data |= {
        f"{prefix}-TOTAL_FORMS": total + 1,
        f"{prefix}-{total}-text": claim[:5] + VT + claim[5:],
    }

    response = editor_client.post(url, data)

    assert response.status_code == 200, response.get("Location")
    assert "already" in str(response.context["errors"]).lower()
    assert article.claims.count() == 1


def test_an_agents_two_claims_that_differ_only_by_such_a_character_are_refused(
    key_client, agent_key, sony_release
):
    payload = draft_payload(sony_release)
    first = payload["claims"][0]
    payload["claims"].append({**first, "text": first["text"][:4] + VT + first["text"][4:]})

    problem = assert_problem(post(key_client(agent_key), ARTICLES, payload), 400)

    assert problem["errors"] == {
        "claims[2].text": ["This claim is already claims[0]; give all its sources there."]
    }
    assert not Article.objects.exists()


def _unique_text(model) -> bool:
    """Whether ``model`` has typed text that is cleaned on save and must be unique, alone
    or within a constraint (slugs and choices refuse such characters by themselves)."""
    if not pre_save.has_listeners(model):  # other apps' models keep what they are given
        return False
    typed = {
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, CharField | TextField)
        and not isinstance(f, SlugField)
        and not f.choices
        and f.editable
    }
    unique = {f.name for f in model._meta.concrete_fields if f.unique}
    for constraint in model._meta.constraints:
        unique |= set(getattr(constraint, "fields", ()))
    for together in model._meta.unique_together:
        unique |= set(together)
    return bool(typed & unique)


def test_every_admin_form_for_unique_text_validates_it_as_stored(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    pages = {
        model._meta.label: model_admin.form
        for model, model_admin in admin.site._registry.items()
        if _unique_text(model)
    } | {
        f"{inline.model._meta.label} (on {model._meta.label})": inline.form
        for model, model_admin in admin.site._registry.items()
        for inline in model_admin.get_inlines(request, None) or model_admin.inlines
        if _unique_text(inline.model)
    }

    assert {"articles.Section", "articles.Sponsor", "sources.Publisher", "taggit.Tag"} <= set(pages)
    assert [page for page, form in pages.items() if not issubclass(form, PlainTextForm)] == []
