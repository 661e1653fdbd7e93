"""``manage.py import_wordpress``: a WordPress export becomes drafts, once."""

import pytest

from articles.importers import wordpress
from articles.models import Article, ArticleEvent, Author, Image, ImportRecord, Section
from tests.articles.importers.conftest import counts_in, write_jpeg

pytestmark = pytest.mark.django_db

SITE = "wordpress:https://gazette.example"


def by_post(post_id: str) -> Article:
    return ImportRecord.objects.get(source=SITE, external_id=post_id).article


def test_posts_become_drafts_with_their_authors_sections_and_tags(files, run_import, editor):
    result = run_import("import_wordpress", files / "export.xml")

    assert result.error == ""
    assert counts_in(result.out) == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "failed": 0,
    }
    assert "Not articles, left alone: 2 attachment, 1 page" in result.out
    assert "3/3" in result.err  # the progress bar
    ferry, strike, keeper = by_post("11"), by_post("12"), by_post("13")
    assert {a.status for a in (ferry, strike, keeper)} == {Article.Status.DRAFT}
    assert Article.objects.count() == 3  # the page and the attachments are not articles

    assert ferry.headline == "New ferry terminal opens"
    assert ferry.slug == "new-ferry-terminal"
    assert ferry.dek == "The harbour's biggest project in decades."
    assert ferry.body == (
        "<p>The new terminal opened on Monday.<br>It cost £40m.</p>\n"
        "<p>The first ferry left at 7am.</p>\n<p>A quiet quay</p>"
    )
    assert ferry.section.slug == "port" and ferry.section.name == "Port & Shipping"
    assert sorted(ferry.tags.names()) == ["ferries"]
    assert [a.name for a in ferry.authors] == ["Hana Miller"]
    assert ferry.created_by == editor and ferry.desk == Article.Desk.NEWSROOM

    # The first category other than WordPress's catch-all is the section; others are tags.
    assert strike.section.slug == "port"
    assert sorted(strike.tags.names()) == ["Labour", "unions"]
    assert [a.name for a in strike.authors] == ["Jonah Doyle"]  # first and last name
    assert strike.slug == "dock-strike-called-off"  # no post_name: from the headline
    assert keeper.section.name == "People"
    assert [a.name for a in keeper.authors] == ["Hana Miller"]
    assert Author.objects.filter(name="Hana Miller").count() == 1
    assert Section.objects.count() == 2


def test_every_import_is_on_the_record_and_published_posts_are_flagged(files, run_import):
    result = run_import("import_wordpress", files / "export.xml")

    ferry = by_post("11")
    revision = ferry.revisions.get()
    assert revision.created_by.username == "editor"
    assert "WordPress post 11 (publish, published there 2024-03-04 09:30:00 UTC" in revision.note
    event = ArticleEvent.objects.get(article=ferry)
    assert event.action == "imported" and event.actor_name == "Maria Okafor"
    assert "published on WordPress: imported as a draft for review" in result.out
    assert "New records: 2 author(s), 2 section(s)" in result.out


def test_the_featured_image_comes_from_the_media_folder(files, run_import, tmp_path):
    uploads = tmp_path / "uploads"
    write_jpeg(uploads / "2024" / "03" / "quay.jpg")

    result = run_import(
        "import_wordpress", files / "export.xml", "--media-dir", uploads, "--image-source", "agency"
    )

    image = by_post("11").lead_image
    assert image.source_kind == Image.SourceKind.AGENCY
    assert image.alt_text == "Boats moored at the quay"
    assert image.caption == "The quay at dawn"
    assert image.original_name == "quay.jpg" and image.format == "JPEG"
    assert "featured image quay.jpg added to the library (source: Agency)" in result.out
    assert by_post("13").lead_image is None
    assert "featured image not found as a file in" in result.out
    assert "uploads/2024/03/keeper.jpg" in result.out


def test_pictures_need_to_be_told_where_they_came_from(files, run_import, tmp_path):
    result = run_import("import_wordpress", files / "export.xml", "--media-dir", tmp_path)

    assert result.error.startswith("Say where the pictures in --media-dir came from")
    assert Article.objects.count() == 0


def test_without_a_media_folder_featured_images_are_reported_missing(files, run_import):
    result = run_import("import_wordpress", files / "export.xml")

    assert by_post("11").lead_image is None
    assert "featured image not found as a file (no --media-dir given)" in result.out


def test_a_file_that_is_not_a_picture_fails_its_post_only(files, run_import, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2024" / "03").mkdir(parents=True)
    (uploads / "2024" / "03" / "quay.jpg").write_text("<svg onload=alert(1)>")

    result = run_import(
        "import_wordpress", files / "export.xml", "--media-dir", uploads, "--image-source", "staff"
    )

    assert counts_in(result.out)["failed"] == 1
    assert "post 11" in result.out and "the featured image quay.jpg is refused" in result.out
    assert not ImportRecord.objects.filter(external_id="11").exists()
    assert Article.objects.count() == 2 and Image.objects.count() == 0


def test_running_it_again_changes_nothing(files, run_import, tmp_path):
    uploads = tmp_path / "uploads"
    write_jpeg(uploads / "quay.jpg")  # found by its name too
    run_import(
        "import_wordpress", files / "export.xml", "--media-dir", uploads, "--image-source", "staff"
    )
    revisions = sorted(Article.objects.values_list("pk", "version"))

    moved = tmp_path / "moved"  # the same picture, from wherever the folder is now
    write_jpeg(moved / "2024" / "03" / "quay.jpg")
    again = run_import(
        "import_wordpress", files / "export.xml", "--media-dir", moved, "--image-source", "staff"
    )

    assert counts_in(again.out) == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "skipped": 0,
        "failed": 0,
    }
    assert sorted(Article.objects.values_list("pk", "version")) == revisions
    assert (Article.objects.count(), Author.objects.count(), Section.objects.count()) == (3, 2, 2)
    assert Image.objects.count() == 1 and ImportRecord.objects.count() == 3
    assert "Notes:" not in again.out  # nothing new to tell


def test_a_changed_post_updates_its_draft_with_a_new_revision(files, run_import):
    run_import("import_wordpress", files / "export.xml")
    export = files / "export.xml"
    export.write_text(export.read_text().replace("It cost £40m.", "It cost £42m."))

    result = run_import("import_wordpress", export)

    assert counts_in(result.out)["updated"] == 1 and counts_in(result.out)["unchanged"] == 2
    ferry = by_post("11")
    assert "£42m" in ferry.body and ferry.slug == "new-ferry-terminal"
    assert ferry.revisions.count() == 2
    assert ferry.revisions.first().note.startswith("Updated by a new import")
    assert ferry.events.filter(action="import_updated").exists()
    assert Article.objects.count() == 3


def test_a_post_edited_in_newsroom_since_is_never_overwritten(files, run_import):
    run_import("import_wordpress", files / "export.xml")
    ferry = by_post("11")
    ferry.headline = "Ferry terminal opens after two-year delay"  # an editor's save
    ferry.save()
    strike = by_post("12")
    Article.objects.filter(pk=strike.pk).update(status=Article.Status.IN_REVIEW)
    export = files / "export.xml"
    text = export.read_text().replace("It cost £40m.", "It cost £42m.")
    export.write_text(text.replace("late on Tuesday", "early on Wednesday"))

    result = run_import("import_wordpress", export)

    assert counts_in(result.out)["skipped"] == 2
    assert "post 11" in result.out
    assert "not updated: edited in Newsroom since the last import" in result.out
    assert "not updated: the article is in review in Newsroom" in result.out
    ferry.refresh_from_db()
    assert ferry.headline == "Ferry terminal opens after two-year delay"
    assert "£40m" in ferry.body


def test_a_dry_run_reports_and_stores_nothing(files, run_import, tmp_path):
    write_jpeg(tmp_path / "uploads" / "quay.jpg")

    result = run_import(
        "import_wordpress",
        files / "export.xml",
        "--dry-run",
        "--media-dir",
        tmp_path / "uploads",
        "--image-source",
        "staff",
    )

    assert "Dry run: nothing was stored" in result.out
    assert counts_in(result.out)["created"] == 3
    assert Article.objects.count() == Author.objects.count() == Image.objects.count() == 0
    assert not any((tmp_path / "media").rglob("*.jpg"))


def test_malformed_xml_is_refused_naming_line_and_column(files, run_import):
    result = run_import("import_wordpress", files / "broken.xml")

    assert result.error == (
        "broken.xml is not a WordPress export: Not well-formed XML: mismatched tag "
        "(line 7, column 4)."
    )
    assert Article.objects.count() == 0


@pytest.mark.parametrize("name", ["entities.xml", "external.xml"])
def test_entity_declarations_are_refused_before_anything_is_expanded(files, run_import, name):
    result = run_import("import_wordpress", files / name)

    assert "declares a document type" in result.error and "(line 2," in result.error
    assert Article.objects.count() == 0


def test_an_rss_feed_that_is_not_a_wordpress_export_is_refused(files, run_import):
    result = run_import("import_wordpress", files / "feed.rss")

    assert "feed.rss is not a WordPress export (WXR)" in result.error


def test_a_missing_file_is_a_clear_error(files, run_import):
    result = run_import("import_wordpress", files / "nowhere.xml")

    assert result.error.startswith("Cannot read ") and "No such file or directory" in result.error


def test_bad_items_are_named_by_number_and_line_while_the_others_import(files, run_import):
    result = run_import("import_wordpress", files / "untitled.xml")

    assert result.error == "2 item(s) failed and were not imported (listed above)."
    assert counts_in(result.out) == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
        "failed": 2,
    }
    assert "item 2 (line 14, post 2): it has no title" in result.out
    assert "item 3 (line 21, post 3 “A headline far too long for any front page”): name:" in (
        result.out
    )
    assert "item 4 (line 29, post 4 “Old post in the bin”): not imported: in WordPress's trash" in (
        result.out
    )
    assert list(Article.objects.values_list("headline", flat=True)) == ["Harbour fees rise"]
    assert not Section.objects.exists()  # the refused section was not kept either
    assert ImportRecord.objects.get().source == "wordpress:https://old.example"


def test_an_item_failing_half_way_leaves_nothing_behind(files, run_import, monkeypatch):
    from articles.importers import saving

    record = saving.revisions.record

    def fail_for_the_strike(article, **kwargs):
        if article.headline.startswith("Dock strike"):
            raise saving.ItemError("the disk is full")
        return record(article, **kwargs)

    monkeypatch.setattr(saving.revisions, "record", fail_for_the_strike)

    result = run_import("import_wordpress", files / "export.xml")

    assert "post 12 “Dock strike called off”): the disk is full" in result.out
    assert Article.objects.count() == 2
    assert not Author.objects.filter(name="Jonah Doyle").exists()
    assert not Article.objects.filter(headline__startswith="Dock strike").exists()


def test_only_someone_who_may_create_articles_can_import(files, run_import, reporter):
    from tests.factories import UserFactory

    UserFactory(username="reader")

    assert (
        "reader may not create articles"
        in run_import("import_wordpress", files / "export.xml", user="reader").error
    )
    assert (
        "No active user is called “ghost”"
        in run_import("import_wordpress", files / "export.xml", user="ghost").error
    )
    assert Article.objects.count() == 0


def test_the_media_folder_is_never_left(tmp_path):
    (tmp_path / "secret.jpg").write_bytes(b"x")
    media = tmp_path / "media"
    media.mkdir()
    reader = wordpress._Reader.__new__(wordpress._Reader)
    reader.media_dir = media

    assert reader.find_file("https://x.example/wp-content/uploads/../../secret.jpg") is None
    assert reader.find_file("https://x.example/../secret.jpg") is None


def test_autop_makes_paragraphs_like_wordpress():
    assert wordpress.autop("One\ntwo\n\nThree") == "<p>One<br>two</p>\n<p>Three</p>"
    assert wordpress.autop("<h2>Head</h2>\n\nText") == "<h2>Head</h2>\n<p>Text</p>"
    assert wordpress.autop('[gallery ids="1,2"]') == ""
    assert wordpress.autop("He said [sic] so") == "<p>He said [sic] so</p>"
