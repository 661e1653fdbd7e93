"""Sponsors, publishers and source documents shown on published pieces: a change by the
desk's editor reaches every surface at once (page, feed, API); a reporter cannot change
one a live citation prints; and saving costs the same for 5 or 50 live pieces."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ArticleEvent
from sources.models import Attribution, Publisher
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    BylineFactory,
    ClaimFactory,
    PublisherFactory,
    SourceDocumentFactory,
    SponsorFactory,
    SponsorshipFactory,
    make_publishable,
)

pytestmark = pytest.mark.django_db

CLAIM = "Sony said its profit rose."


def sponsored_live_piece(sponsor, **fields) -> Article:
    article = make_publishable(
        ArticleFactory(published=True, desk=Article.Desk.COMMERCIAL, **fields)
    )
    SponsorshipFactory(article=article, sponsor=sponsor)
    return article


def cited_piece(document, *, via=None, published=True) -> Article:
    """A piece whose one claim cites ``document`` (through ``via`` if given)."""
    article = ArticleFactory(published=published)
    BylineFactory(article=article)
    claim = ClaimFactory(article=article, text=CLAIM)
    relation = {"via": via, "relation": Attribution.Relation.CARRIED_BY} if via else {}
    AttributionFactory(claim=claim, document=document, **relation)
    return article


def reuters_report(**fields):
    return SourceDocumentFactory(
        title="Sony profit beats forecasts",
        publisher=PublisherFactory(name="Reuters"),
        published_on=dt.date(2026, 4, 10),
        **fields,
    )


def page(client, article) -> str:
    return client.get(article.get_absolute_url()).content.decode()


def sponsor_form(sponsor, **overrides) -> dict:
    fields = {"name": sponsor.name, "slug": sponsor.slug, "website": sponsor.website}
    return fields | {"description": sponsor.description, "why": ""} | overrides


def publisher_form(publisher, **overrides) -> dict:
    fields = {"name": publisher.name, "slug": publisher.slug, "kind": publisher.kind}
    return fields | {"url": publisher.url, "why": ""} | overrides


def document_form(document, **overrides) -> dict:
    data = {
        "title": document.title,
        "publisher": document.publisher_id,
        "kind": document.kind,
        "url": document.url,
        "published_on": document.published_on or "",
        "accessed_on": document.accessed_on or "",
        "why": "",
    }
    return data | overrides


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


# -- sponsors -------------------------------------------------------------------------------


def test_renaming_the_sponsor_of_live_pieces_updates_every_label_at_once(
    client, commercial, django_capture_on_commit_callbacks
):
    sponsor = SponsorFactory(name="Kestrel Networks", slug="kestrel")
    first, second = sponsored_live_piece(sponsor), sponsored_live_piece(sponsor)
    # Cached now: the rename must clear them.
    assert "Paid for by Kestrel Networks" in page(client, first)
    assert "Kestrel Networks" in client.get("/feeds/latest.rss").content.decode()
    client.force_login(commercial)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(sponsor), sponsor_form(sponsor, name="Kestrel Group", why="Rebranded.")
        )

    assert response.status_code == 302
    client.logout()
    assert "Paid for by Kestrel Group" in page(client, first)
    assert "Kestrel Networks" not in page(client, second)
    assert "Kestrel Group" in client.get("/feeds/latest.rss").content.decode()
    api = client.get(f"/api/v1/articles/{second.pk}/").json()
    assert api["title_with_label"].startswith(
        "Sponsored Advertising Content paid for by Kestrel Group"
    )
    for article in (first, second):
        event = article.events.get()
        assert event.note == (
            "Sponsor “Kestrel Group” changed: name “Kestrel Networks” → “Kestrel Group”. "
            "Why: Rebranded."
        )
    assert sponsor.history.first().history_user == commercial


def test_sponsor_of_unpublished_pieces_only_is_renamed_without_events(client, commercial):
    sponsor = SponsorFactory(name="Kestrel Networks")
    draft = ArticleFactory(desk=Article.Desk.COMMERCIAL)
    SponsorshipFactory(article=draft, sponsor=sponsor)
    client.force_login(commercial)

    response = client.post(change_url(sponsor), sponsor_form(sponsor, name="Kestrel Group"))

    assert response.status_code == 302
    sponsor.refresh_from_db()
    assert sponsor.name == "Kestrel Group"
    assert not ArticleEvent.objects.exists()


# -- publishers and documents ------------------------------------------------------------------


def test_renaming_a_publisher_changes_the_citation_on_the_live_page_at_once(
    client, editor, django_capture_on_commit_callbacks
):
    yahoo = PublisherFactory(name="Yahoo Finance")
    document = reuters_report()
    direct, carried = cited_piece(document), cited_piece(document, via=yahoo)
    draft = cited_piece(document, published=False)
    assert "Reuters via Yahoo Finance, April 10" in page(client, carried)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        for publisher, name in [(document.publisher, "Thomson Reuters"), (yahoo, "Yahoo News")]:
            response = client.post(change_url(publisher), publisher_form(publisher, name=name))
            assert response.status_code == 302

    client.logout()
    assert "Thomson Reuters via Yahoo News, April 10" in page(client, carried)
    assert ">Thomson Reuters<" in page(client, direct)
    # Both renames are on the piece citing both; only the first on the other; none on the draft.
    assert direct.events.count() == 1
    assert [e.note.split(" changed")[0] for e in carried.events.order_by("pk")] == [
        "Publisher “Thomson Reuters”",
        "Publisher “Yahoo News”",
    ]
    assert not draft.events.exists()


def test_changing_a_cited_documents_date_changes_the_live_citation_at_once(
    client, editor, django_capture_on_commit_callbacks
):
    yahoo = PublisherFactory(name="Yahoo Finance")
    document = reuters_report()
    article = cited_piece(document, via=yahoo)
    assert "Reuters via Yahoo Finance, April 10" in page(client, article)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(document), document_form(document, published_on="2026-04-12")
        )

    assert response.status_code == 302
    client.logout()
    assert "Reuters via Yahoo Finance, April 12" in page(client, article)
    assert "publication date “2026-04-10” → “2026-04-12”" in article.events.get().note


def test_reporter_cannot_rename_a_publisher_cited_on_a_live_piece(client, reporter):
    document = reuters_report()
    article = cited_piece(document)
    publisher = document.publisher
    client.force_login(reporter)

    html = client.get(change_url(publisher)).content.decode()
    assert "is shown on 1 published article, so only an editor of the newsroom" in html
    response = client.post(change_url(publisher), publisher_form(publisher, name="Reuterz"))

    assert response.status_code == 403
    assert Publisher.objects.get(pk=publisher.pk).name == "Reuters"
    assert not article.events.exists()
    # A publisher only drafts cite stays the reporter's to fix.
    draft_source = SourceDocumentFactory(publisher=PublisherFactory(name="Bloomberg"))
    cited_piece(draft_source, published=False)
    response = client.post(
        change_url(draft_source.publisher),
        publisher_form(draft_source.publisher, name="Bloomberg News"),
    )
    assert response.status_code == 302


# -- cost -------------------------------------------------------------------------------------


def test_saving_a_shared_record_costs_the_same_for_5_or_50_live_pieces(client, commercial):
    sponsor = SponsorFactory(name="Kestrel Networks")
    client.force_login(commercial)

    def queries(n_more: int, name: str) -> int:
        for _ in range(n_more):
            sponsored_live_piece(sponsor)
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(change_url(sponsor), sponsor_form(sponsor, name=name))
        assert response.status_code == 302
        sponsor.refresh_from_db()
        return len(ctx.captured_queries)

    few = queries(5, "Kestrel Group")
    many = queries(45, "Kestrel Holdings")
    assert many == few
    assert ArticleEvent.objects.filter(action="shared_record_changed").count() == 5 + 50
