"""``manage.py import_ninjs``: agency copy becomes drafts bylined and sourced to the agency."""

import json

import pytest

from articles.models import AIInvolvement, Article, Author, ImportRecord
from sources.models import Attribution, Claim, Publisher, SourceDocument
from tests.articles.importers.conftest import counts_in

pytestmark = pytest.mark.django_db

STORY = "urn:newsml:kestrel.example:20260312:ktr-001"


def imported(uri: str) -> Article:
    return ImportRecord.objects.get(source="ninjs:kestrel-wire", external_id=uri).article


def test_an_agency_item_becomes_a_draft_credited_and_sourced_to_the_agency(
    files, run_import, editor
):
    result = run_import("import_ninjs", files / "story.json")

    assert result.error == "" and counts_in(result.out)["created"] == 1
    article = imported(STORY)
    assert article.status == Article.Status.DRAFT and article.created_by == editor
    assert article.headline == "Chipmaker lifts forecast as demand for AI servers grows"
    assert article.dek == "Shares rose 6% in early trading."
    assert article.body == (
        "<p>The company raised its annual revenue forecast on Thursday, citing demand for "
        "servers.</p><p>Analysts had expected a cut.</p>"
    )
    assert article.language == "en"  # en-GB, as the site knows it
    assert sorted(article.tags.names()) == ["Earnings", "Semiconductors"]
    assert article.ai_involvement == AIInvolvement.NONE
    # The agency is the byline, described as what it is…
    agency = Author.objects.get()
    assert [b.author for b in article.bylines.all()] == [agency]
    assert (agency.name, agency.job_title, agency.kind) == ("Kestrel Wire", "News agency", "human")
    # …and the source of the piece: its lead cites the agency's wire report.
    publisher = Publisher.objects.get()
    assert (publisher.name, publisher.kind) == ("Kestrel Wire", Publisher.Kind.WIRE)
    document = SourceDocument.objects.get()
    assert document.title == article.headline and document.publisher == publisher
    assert document.kind == SourceDocument.Kind.WIRE_REPORT
    assert str(document.published_on) == "2026-03-12" and document.url == ""  # a URN
    claim = Claim.objects.get(article=article)
    assert claim.text == (
        "The company raised its annual revenue forecast on Thursday, citing demand for servers."
    )
    assert [a.document for a in claim.attributions.all()] == [document]
    assert "agency byline “By Lena Varga”" in article.revisions.get().note


def test_a_list_of_items_imports_each_and_skips_what_is_not_text(files, run_import):
    result = run_import("import_ninjs", files / "feed.json")

    assert counts_in(result.out) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
        "failed": 0,
    }
    assert "feed.json item 3 (https://kestrel.example/wire/ktr-004): not imported: a picture" in (
        result.out
    )
    harbour = imported("https://kestrel.example/wire/ktr-002")
    assert harbour.body == (
        "<p>The board voted 7 to 2 in favour of the plan.</p><p>Work starts in May.</p>"
    )  # the script went with the sanitiser
    assert SourceDocument.objects.get(url="https://kestrel.example/wire/ktr-002")
    storm = imported("https://kestrel.example/wire/ktr-003")
    assert storm.body == "<p>Gusts of 100 km/h are expected tonight.</p>"
    assert storm.ai_involvement == AIInvolvement.GENERATED  # as its digitalSourceType says
    assert Publisher.objects.count() == 1 and Author.objects.count() == 1


def test_a_directory_imports_its_json_files_and_names_the_bad_item(files, run_import):
    result = run_import("import_ninjs", files / "ninjs_dir", "--agency", "Kestrel Wire")

    assert counts_in(result.out)["created"] == 2 and counts_in(result.out)["failed"] == 1
    assert "two.json item 2: it has no “uri”, so it cannot be recognised again" in result.out
    assert result.error == "1 item(s) failed and were not imported (listed above)."
    assert sorted(Article.objects.values_list("headline", flat=True)) == [
        "Bridge reopens",
        "Rail strike ends",
    ]


def test_an_item_that_does_not_name_its_agency_needs_one(files, run_import):
    result = run_import("import_ninjs", files / "ninjs_dir" / "one.json")

    assert "one.json (urn:kestrel:dir-1): it does not name its agency" in result.out
    assert "give one with --agency" in result.out
    assert Article.objects.count() == 0


def test_running_it_again_changes_nothing(files, run_import):
    run_import("import_ninjs", files / "feed.json")
    run_import("import_ninjs", files / "story.json")

    again = run_import("import_ninjs", files / "feed.json")

    assert counts_in(again.out)["unchanged"] == 2 and counts_in(again.out)["created"] == 0
    assert Article.objects.count() == 3 and ImportRecord.objects.count() == 3
    assert (Publisher.objects.count(), SourceDocument.objects.count()) == (1, 3)
    assert Claim.objects.count() == Attribution.objects.count() == 3


def test_a_new_version_of_an_item_updates_its_draft_and_its_source(files, run_import):
    run_import("import_ninjs", files / "story.json")
    story = files / "story.json"
    data = json.loads(story.read_text())
    data["body_text"] = "The company raised its forecast again on Friday.\n\nShares jumped."
    data["versioncreated"] = "2026-03-13T07:00:00Z"
    story.write_text(json.dumps(data))

    result = run_import("import_ninjs", story)

    assert counts_in(result.out)["updated"] == 1
    article = imported(STORY)
    assert "again on Friday" in article.body and article.revisions.count() == 2
    assert [c.text for c in article.claims.all()] == [
        "The company raised its forecast again on Friday."
    ]
    document = SourceDocument.objects.get()  # the same wire report, now of the 13th
    assert str(document.published_on) == "2026-03-13"


def test_an_item_edited_in_newsroom_since_is_never_overwritten(files, run_import):
    run_import("import_ninjs", files / "story.json")
    article = imported(STORY)
    article.dek = "Our own standfirst."
    article.save()
    story = files / "story.json"
    story.write_text(story.read_text().replace("Analysts had expected a cut.", "No cut."))

    result = run_import("import_ninjs", story)

    assert "not updated: edited in Newsroom since the last import" in result.out
    article.refresh_from_db()
    assert article.dek == "Our own standfirst." and "Analysts had expected a cut." in article.body


def test_a_withdrawn_item_is_not_imported(files, run_import):
    story = files / "story.json"
    story.write_text(story.read_text().replace('"usable"', '"canceled"'))

    result = run_import("import_ninjs", story)

    assert "not imported: the agency withdrew it (status “canceled”)" in result.out
    assert Article.objects.count() == 0


def test_a_dry_run_stores_nothing(files, run_import):
    result = run_import("import_ninjs", files / "feed.json", "--dry-run")

    assert "Dry run" in result.out and counts_in(result.out)["created"] == 2
    assert Article.objects.count() == Publisher.objects.count() == Author.objects.count() == 0


def test_a_file_that_is_not_json_is_refused_naming_line_and_column(files, run_import):
    result = run_import("import_ninjs", files / "not-json.json")

    assert result.error == (
        "not-json.json is not JSON: Expecting ',' delimiter (line 4, column 3)."
    )


def test_an_item_without_its_uri_is_refused(files, run_import):
    result = run_import("import_ninjs", files / "no-uri.json")

    assert "no-uri.json: it has no “uri”" in result.out
    assert result.error.startswith("1 item(s) failed") and Article.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"language": "xx"}, "its language “xx” is not one the site publishes in"),
        ({"headline": 42}, "“headline” must be text"),
        ({"body_text": "", "headline": "No body"}, "it has no body"),
        ({"versioncreated": "yesterday"}, "“versioncreated” is not a date and time"),
        # Well formed, but no such day: refused like any other, never a traceback.
        ({"versioncreated": "2026-02-30T10:00:00Z"}, "“versioncreated” is not a date and time"),
        ({"subject": "Earnings"}, "“subject” must be a list"),
    ],
)
def test_malformed_items_are_refused_with_the_reason(files, run_import, change, problem):
    story = files / "story.json"
    story.write_text(json.dumps(json.loads(story.read_text()) | change))

    result = run_import("import_ninjs", story)

    assert f"story.json ({STORY}): {problem}" in result.out
    assert Article.objects.count() == 0


def test_a_missing_path_and_an_empty_directory_are_clear_errors(files, run_import, tmp_path):
    assert run_import("import_ninjs", files / "nowhere.json").error.endswith("does not exist.")
    (tmp_path / "empty").mkdir()
    assert "holds no .json files" in run_import("import_ninjs", tmp_path / "empty").error


def test_a_long_lead_is_cited_up_to_its_last_whole_sentence(files, run_import):
    sentence = "The harbour board met for the third time this month to discuss the plan. "
    story = files / "story.json"
    data = json.loads(story.read_text()) | {"body_text": sentence * 20 + "\n\nMore."}
    story.write_text(json.dumps(data))

    run_import("import_ninjs", story)

    claim = Claim.objects.get()
    assert len(claim.text) <= 1000 and claim.text.endswith("this month to discuss the plan.")
    assert claim.text in imported(STORY).body


def test_an_item_an_editor_is_typing_in_is_left_alone(files, run_import, editor):
    from articles.models import Revision

    run_import("import_ninjs", files / "story.json")
    article = imported(STORY)
    Revision.objects.create(  # what the admin autosaves while an editor types
        article=article,
        number=2,
        version=article.version,
        kind=Revision.Kind.AUTOSAVE,
        data={},
        created_by=editor,
    )
    story = files / "story.json"
    story.write_text(story.read_text().replace("Analysts had expected a cut.", "No cut."))

    result = run_import("import_ninjs", story)

    assert "not updated: an editor has unsaved changes to it in Newsroom" in result.out
    assert "Analysts had expected a cut." in Article.objects.get(pk=article.pk).body
