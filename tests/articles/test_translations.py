"""Translations (issue 14): an article names the original it translates. The database
refuses what it can check alone; every rule has a field message in the admin's form;
revisions record the link; a change of one sibling purges the others' pages."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Article
from articles.publishing import revisions, translations, workflow
from articles.site import purging
from tests.admin_forms import change_form_data
from tests.articles.admin.helpers import change_url, ready
from tests.factories import ArticleFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def original():
    return ArticleFactory(published=True, headline="Cloud gaming comes home", language="en")


@pytest.fixture
def german(original):
    return ArticleFactory(
        published=True,
        headline="Cloud-Gaming kommt nach Hause",
        language="de",
        translation_of=original,
    )


# -- the database -------------------------------------------------------------------------


def test_the_database_refuses_an_article_translating_itself(original):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=original.pk).update(translation_of=original.pk)


def test_the_database_refuses_a_second_translation_in_one_language(german, original):
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(language="de", translation_of=original)


def test_full_clean_names_both_database_rules(german, original):
    german.translation_of = german
    with pytest.raises(ValidationError, match="cannot be a translation of itself"):
        german.full_clean()
    twin = Article(headline="Noch eins", slug="noch-eins", language="de", translation_of=original)
    with pytest.raises(ValidationError, match="already has a translation in this language"):
        twin.full_clean()


def test_deleting_an_original_keeps_its_translations_as_originals(german):
    draft = ArticleFactory(language="en")
    german.translation_of = draft
    german.save()
    draft.delete()
    german.refresh_from_db()
    assert german.translation_of is None


# -- the rules ----------------------------------------------------------------------------


def test_the_rules_each_have_a_field_message(original, german):
    french = ArticleFactory(language="fr")
    commercial = ArticleFactory(language="es", desk=Article.Desk.COMMERCIAL)

    def problems(article, of, language=None):
        return translations.problems(article, original=of, language=language or article.language)

    assert problems(french, original) == {}
    assert problems(original, original) == {
        "translation_of": "An article cannot be a translation of itself."
    }
    assert "itself a translation" in problems(french, german)["translation_of"]
    assert "translations of its own" in problems(original, french)["translation_of"]
    assert "commercial desk work" in problems(french, commercial, "fr")["translation_of"]
    assert "is in English too" in problems(french, original, "en")["language"]
    assert "already has a German translation" in problems(french, original, "de")["language"]
    # An original changing to a language one of its translations is in.
    assert "German translation" in problems(original, None, "de")["language"]


# -- the admin's form ---------------------------------------------------------------------


def _save(client, article, **fields):
    page = client.get(change_url(article))
    return client.post(change_url(article), change_form_data(page, **fields))


def test_the_change_page_offers_the_original_as_an_autocomplete(editor_client, original):
    page = editor_client.get(change_url(ArticleFactory()))
    html = page.content.decode()
    assert 'name="translation_of"' in html
    assert "admin-autocomplete" in html


def test_an_editor_links_a_translation_and_the_revision_records_it(editor_client, original, editor):
    french = ready(ArticleFactory(language="fr"))
    response = _save(editor_client, french, translation_of=original.pk)
    assert response.status_code == 302, response.context["errors"]
    french.refresh_from_db()
    assert french.translation_of == original
    revision = revisions.history(french).first()
    assert revision.data["translation_of"] == original.pk
    changes = revisions.diff({"translation_of": None}, revision.data)
    assert [c.label for c in changes if c.field == "translation_of"] == ["Translation of"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"language": "en"}, "language", "is in English too"),
        ({"language": "de"}, "language", "already has a German translation"),
    ],
)
def test_language_clashes_are_form_errors(editor_client, original, german, fields, field, message):
    french = ready(ArticleFactory(language="fr"))
    response = _save(editor_client, french, translation_of=original.pk, **fields)
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors[field])
    french.refresh_from_db()
    assert french.translation_of is None


def test_a_translation_of_a_translation_is_a_form_error(editor_client, german):
    french = ready(ArticleFactory(language="fr"))
    response = _save(editor_client, french, translation_of=german.pk)
    assert response.status_code == 200
    assert "choose the original" in str(response.context["adminform"].form.errors)


def test_itself_is_a_form_error(editor_client, original):
    draft = ready(ArticleFactory(language="fr"))
    response = _save(editor_client, draft, translation_of=draft.pk)
    assert "cannot be a translation of itself" in str(response.context["adminform"].form.errors)


def test_an_original_cannot_take_its_translations_language(editor_client, original, german):
    ready(original)
    response = _save(editor_client, original, language="de", significant_change="")
    assert response.status_code == 200
    assert "German translation" in str(response.context["adminform"].form.errors["language"])


def test_the_firewall_hides_a_commercial_draft_and_refuses_the_other_desk(editor_client, original):
    # A commercial draft is no choice at all for the newsroom (as if it did not exist)…
    advert = ArticleFactory(language="en", desk=Article.Desk.COMMERCIAL)
    draft = ready(ArticleFactory(language="fr"))
    response = _save(editor_client, draft, translation_of=advert.pk)
    assert "Select a valid choice" in str(response.context["adminform"].form.errors)
    # …and a published commercial piece is read, but journalism never translates it.
    live_advert = ArticleFactory(published=True, language="en", desk=Article.Desk.COMMERCIAL)
    SponsorshipFactory(article=live_advert)
    response = _save(editor_client, draft, translation_of=live_advert.pk)
    errors = response.context["adminform"].form.errors["translation_of"]
    assert "stays on its original's desk" in " ".join(errors)
    draft.refresh_from_db()
    assert draft.translation_of is None


# -- purging ------------------------------------------------------------------------------


def test_a_change_to_one_sibling_purges_every_siblings_page(
    original, german, editor, settings, monkeypatch, django_capture_on_commit_callbacks
):
    french_draft = ArticleFactory(language="fr", translation_of=original)
    purged = []
    monkeypatch.setattr(purging, "purge", lambda keys: purged.append(set(keys)))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(german, by=editor, kind="correction", text="Fixed a name.")
    assert {f"article-{original.pk}", f"article-{german.pk}"} <= purged[-1]
    # Its unpublished sibling's page shows nothing, but is purged too (it may publish).
    assert f"article-{french_draft.pk}" in purged[-1]


def test_unlinking_a_translation_purges_the_family_it_left(
    original, german, editor, monkeypatch, django_capture_on_commit_callbacks
):
    purged = []
    monkeypatch.setattr(purging, "purge", lambda keys: purged.append(set(keys)))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(german, by=editor, kind="correction", text="Fixed a name.")
    german.translation_of = None
    german.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.record_edit(german, by=editor, known_problems=workflow.live_problems(german))
    # The keys it had at its last purge are purged again: the original's page drops it.
    assert f"article-{original.pk}" in purged[-1]


def test_a_restore_brings_the_link_back_only_where_the_rules_still_allow(original, editor):
    french = ArticleFactory(language="fr", translation_of=original)
    linked = revisions.record(french)
    french.translation_of = None
    french.save()
    _, warnings = revisions.restore(linked, by=editor)
    french.refresh_from_db()
    assert (french.translation_of, warnings) == (original, [])
    # Meanwhile another French translation took the place: the link is not restored.
    unlinked = revisions.record(Article.objects.get(pk=french.pk))
    french.translation_of = None
    french.save()
    ArticleFactory(language="fr", translation_of=original)
    _, warnings = revisions.restore(linked, by=editor)
    french.refresh_from_db()
    assert french.translation_of is None
    assert any("no longer fits" in warning for warning in warnings)
    assert unlinked.data["translation_of"] == original.pk
