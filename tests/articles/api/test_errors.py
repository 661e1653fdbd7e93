"""Bad requests are RFC 9457 problem details naming the field at fault (drafts, claims,
sources, bylines, filters), and so is every other error status."""

import pytest

from articles.models import Article
from sources.models import SourceDocument
from tests.articles.api.helpers import ARTICLES
from tests.articles.api.problem_helpers import assert_problem, claim, draft, post
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    PublisherFactory,
    SectionFactory,
    SourceDocumentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sift(key_client, agent_key, db):
    SectionFactory(slug="technology")
    return key_client(agent_key)


# -- 400s with field messages -------------------------------------------------------------


def test_malformed_json(sift):
    problem = assert_problem(post(sift, '{"headline": "Sony",'), 400)
    assert "JSON parse error" in problem["detail"]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"headline": ["a", "list"]}, "headline", "Not a valid string."),
        ({"tags": "wifi"}, "tags", 'Expected a list of items but got type "str".'),
        ({"type_of_work": "gossip"}, "type_of_work", '"gossip" is not a valid choice.'),
        ({"section": "sport"}, "section", "Object with slug=sport does not exist."),
        ({"headline": ""}, "headline", "This field may not be blank."),
        ({"headline": "x" * 251}, "headline", "Ensure this field has no more than 250 characters."),
    ],
)
def test_wrong_types_and_values_are_named_by_field(sift, payload, field, message):
    problem = assert_problem(post(sift, draft(**payload)), 400)
    assert problem["errors"][field] == [message]
    assert field in problem["detail"]


def test_a_list_of_claims_that_is_not_a_list(sift):
    problem = assert_problem(post(sift, draft(claims="all of them")), 400)
    assert problem["errors"]["claims"] == {
        "non_field_errors": ['Expected a list of items but got type "str".']
    }


def test_a_request_that_is_not_an_object(sift):
    for body in ("[1, 2]", '"draft"', "null"):
        problem = assert_problem(post(sift, body), 400)
        assert problem["errors"]["non_field_errors"]


def test_missing_fields(sift):
    problem = assert_problem(post(sift, {}), 400)
    assert problem["errors"]["headline"] == ["This field is required."]
    assert problem["errors"]["body"] == ["This field is required."]


def test_unknown_fields_are_refused_at_every_level(sift):
    problem = assert_problem(post(sift, draft(colour="red", status="published")), 400)
    assert problem["errors"] == {"colour": ["Unknown field."], "status": ["Unknown field."]}

    document = {"title": "T", "publisher": "P", "kind": "press_release", "secret": 1}
    problem = assert_problem(post(sift, draft(claims=[claim({"document": document})])), 400)
    assert problem["errors"]["claims"]["0"]["sources"]["0"]["document"] == {
        "secret": ["Unknown field."]
    }


def test_a_huge_payload_is_refused_without_a_500(sift, settings):
    body = "<p>" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + "</p>"
    response = post(sift, draft(body=body))
    assert response.status_code in (400, 413)
    assert_problem(response, response.status_code)
    assert not Article.objects.exists()


def test_claim_text_must_be_in_the_body(sift):
    payload = draft(claims=[claim(), claim(text="Sony doubled its profit.")])
    problem = assert_problem(post(sift, payload), 400)
    assert problem["errors"] == {
        "claims[1].text": ["This text does not appear in the body. Quote it exactly."]
    }
    assert not Article.objects.exists()


def test_unknown_document_id(sift):
    problem = assert_problem(post(sift, draft(claims=[claim({"document": 999_999})])), 400)
    assert problem["errors"]["claims"]["0"]["sources"]["0"]["document"] == [
        "No source document has id 999999."
    ]


def test_a_claim_listed_twice(sift):
    payload = draft(claims=[claim(), claim()])
    problem = assert_problem(post(sift, payload), 400)
    assert problem["errors"] == {
        "claims[1].text": ["This claim is already claims[0]; give all its sources there."]
    }


def test_one_document_cited_twice_for_a_claim(sift):
    document = SourceDocumentFactory(title="Sony annual report", publisher__name="Sony")
    inline = {"title": "Sony annual report", "publisher": "Sony", "kind": "filing"}
    payload = draft(claims=[claim({"document": document.pk}, {"document": inline})])
    problem = assert_problem(post(sift, payload), 400)
    assert problem["errors"] == {
        "claims[0].sources[1].document": [
            "This document is already a source of this claim (sources[0])."
        ]
    }


def test_a_new_document_that_breaks_the_models_rules(sift):
    document = {
        "title": "Sony results",
        "publisher": "Sony",
        "kind": "press_release",
        "published_on": "2026-04-10",
        "accessed_on": "2026-04-09",
    }
    problem = assert_problem(post(sift, draft(claims=[claim({"document": document})])), 400)
    assert problem["errors"] == {
        "claims[0].sources[0].document": ["A document cannot be accessed before it was published."]
    }
    assert not SourceDocument.objects.exists()


def test_an_intermediary_that_is_the_documents_own_publisher(sift):
    document = SourceDocumentFactory(publisher=PublisherFactory(name="Reuters"))
    source = {"document": document.pk, "via": "Reuters", "relation": "carried_by"}
    problem = assert_problem(post(sift, draft(claims=[claim(source)])), 400)
    assert problem["errors"] == {
        "claims[0].sources[0].via": [
            "The intermediary must differ from the document's own publisher."
        ]
    }


@pytest.mark.parametrize(
    ("source", "field"),
    [
        ({"via": "Yahoo Finance"}, "relation"),
        ({"relation": "carried_by"}, "relation"),
        ({"via_url": "https://portal.example/x"}, "via_url"),
        ({"via": "Yahoo Finance", "relation": "copied_by"}, "relation"),
        ({"via": "   ", "relation": "carried_by"}, "via"),
        ({"via": "x" * 201, "relation": "carried_by"}, "via"),
        ({"via": "Nul\x00Ltd", "relation": "carried_by"}, "via"),
        ({"via": 10**30, "relation": "carried_by"}, "via"),
        ({"via": True, "relation": "carried_by"}, "via"),
    ],
)
def test_intermediaries_come_with_their_relation(sift, source, field):
    document = SourceDocumentFactory()
    payload = draft(claims=[claim({"document": document.pk, **source})])
    problem = assert_problem(post(sift, payload), 400)
    assert field in problem["errors"]["claims"]["0"]["sources"]["0"]


def test_a_publisher_name_without_letters_or_digits(sift):
    document = {"title": "T", "publisher": "!!!", "kind": "press_release"}
    problem = assert_problem(post(sift, draft(claims=[claim({"document": document})])), 400)
    assert problem["errors"] == {
        "claims[0].sources[0].document.publisher": [
            "Give the publisher's name in letters or digits."
        ]
    }


def test_editor_key_bylines_must_name_existing_authors_once(key_client, editor_key):
    SectionFactory(slug="technology")
    ada = AuthorFactory(slug="ada")
    editor = key_client(editor_key)
    problem = assert_problem(post(editor, draft(bylines=[{"author": "nobody"}])), 400)
    assert problem["errors"] == {"bylines[0].author": ["No author has the slug “nobody”."]}
    twice = draft(bylines=[{"author": "ada"}, {"author": "ada"}])
    problem = assert_problem(post(editor, twice), 400)
    assert problem["errors"] == {
        "bylines[1]": [f"{ada.name} is already in the byline in this role."]
    }
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("published_after=yesterday", "published_after"),
        ("published_before=2026-13-01", "published_before"),
        ("updated_since=2026-04-10T25:00", "updated_since"),
        ("published_after=0001-01-01T00:00:00%2B01:00", "published_after"),
        ("published_after=9999-12-31T23:59:59-01:00", "published_after"),
        ("updated_since=1066-10-14", "updated_since"),
        ("author_kind=robot", "author_kind"),
        ("label=promoted", "label"),
        ("type=gossip", "type"),
        ("type=advertiser_content&label=maybe", "label"),
        ("ordering=headline", "ordering"),
        ("ordering=-published_at,slug", "ordering"),
        ("q=" + "x" * 201, "q"),
        ("section=%00", "section"),
    ],
)
def test_bad_filter_values_are_400_with_the_filter_named(client, query, field):
    problem = assert_problem(client.get(f"{ARTICLES}?{query}"), 400)
    assert field in problem["errors"]


# -- other statuses, all problem details -------------------------------------------------


def test_each_kind_of_error_is_a_problem(client, key_client, agent, agent_key, partner_key):
    published = ArticleFactory(published=True)
    own = BylineFactory(author=agent).article
    sift = key_client(agent_key)
    url = f"{ARTICLES}{own.pk}/"
    assert_problem(client.get(f"{ARTICLES}999999/"), 404)
    assert_problem(client.get(f"{ARTICLES}?cursor=not-a-cursor"), 404)
    assert_problem(client.delete(f"{ARTICLES}{published.pk}/"), 405)
    assert_problem(client.get(ARTICLES, headers={"Accept": "text/csv"}), 406)
    assert_problem(client.get(ARTICLES, headers={"Authorization": "Api-Key wrong"}), 401)
    assert_problem(post(client, draft()), 401)
    assert_problem(post(key_client(partner_key), draft()), 403)
    assert_problem(sift.post(ARTICLES, "headline=x", content_type="text/plain"), 415)
    assert_problem(sift.patch(url, "{}", content_type="application/json"), 428)
    stale = {"If-Match": '"0123456789abcdef"'}
    assert_problem(sift.patch(url, "{}", content_type="application/json", headers=stale), 412)
    # If-Match on a read is honoured too.
    assert_problem(sift.get(url, headers=stale), 412)
    problem = assert_problem(sift.put(url, "{}", content_type="application/json"), 405)
    assert problem["detail"] == 'Method "PUT" not allowed.'
