"""Readers open a claim's citation to see the words of its sources that support it and who
checked it, when; partners read the same in the API and the provenance record."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from articles.models import Article
from articles.publishing import provenance, verification
from sources.models import ClaimCheck
from tests.articles.site.helpers import html_of
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    AuthorFactory,
    BylineFactory,
    ClaimFactory,
    PublisherFactory,
    SectionFactory,
    SourceDocumentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PROFIT = "Sony said its profit rose."
PASSAGE = "Sony said on Friday that its operating profit rose 12%."
SENTENCES = [f"Claim number {i} says the harbour grew by {i}%." for i in range(20)]


@pytest.fixture
def live(editor):
    """A published piece with one claim whose source holds its supporting passage."""
    article = ArticleFactory(published=True, created_by=editor)
    BylineFactory(article=article, author=AuthorFactory())
    AttributionFactory(
        claim=ClaimFactory(article=article, text=PROFIT),
        document__title="Sony quarterly results",
        document__publisher=PublisherFactory(name="Sony"),
        document__url="https://sony.example/results",
        passage=PASSAGE,
    )
    return article


def checked_section(html: str) -> str:
    match = re.search(r'<section class="claim-checks".*?</section>', html, re.S)
    return match.group(0) if match else ""


def test_a_verified_claims_citation_opens_its_passage_and_who_checked_it(
    client, live, second_editor
):
    check = verification.verify(live.claims.get(), by=second_editor)
    html = html_of(client, live.get_absolute_url())

    # Right after the claim's citation: "(Source: Sony) checked".
    assert re.search(
        rf'{PROFIT} <span class="citation" id="claim-1">\(<span class="visually-hidden">'
        r'[^<]*</span><a href="#source-1">Sony</a>\)</span>'
        r' <a class="claim-check-link" href="#check-1">checked</a>',
        html,
    )
    entry = checked_section(html)
    assert 'id="check-1"' in entry
    assert f"<q>{PROFIT}</q>" in entry
    assert "operating profit rose 12%." in entry
    assert '<a href="https://sony.example/results">Sony quarterly results</a>' in entry
    day = timezone.localtime(check.checked_at).strftime("%-d %B %Y")
    assert f"Checked by Sam Ng on {day}." in entry
    assert '<a href="#claim-1">Back to the text</a>' in entry
    assert "<script>" not in entry


def test_a_passage_nobody_has_verified_is_shown_without_a_checked_note(client, live):
    html = html_of(client, live.get_absolute_url())
    assert '<a class="claim-check-link" href="#check-1">source passage</a>' in html
    entry = checked_section(html)
    assert "operating profit rose 12%." in entry
    assert "Checked by" not in entry


def test_a_claim_changed_since_its_check_no_longer_says_it_was_checked(client, live, second_editor):
    verification.verify(live.claims.get(), by=second_editor)
    attribution = live.claims.get().attributions.get()
    attribution.passage = "Sony said its profit rose a little."
    attribution.save()
    Article.objects.filter(pk=live.pk).update(updated_at=timezone.now())
    entry = checked_section(html_of(client, live.get_absolute_url()))
    assert "Sony said its profit rose a little." in entry
    assert "Checked by" not in entry


def test_a_piece_without_passages_or_checks_shows_no_such_list(client):
    article = ArticleFactory(published=True)
    BylineFactory(article=article, author=AuthorFactory())
    AttributionFactory(claim=ClaimFactory(article=article, text=PROFIT))
    html = html_of(client, article.get_absolute_url())
    assert 'class="claim-checks"' not in html
    assert "claim-check-link" not in html


def test_the_checked_note_reads_in_the_articles_language(client, live, second_editor):
    Article.objects.filter(pk=live.pk).update(language="de")
    verification.verify(live.claims.get(), by=second_editor)
    html = html_of(client, live.get_absolute_url())
    with translation.override("de"):
        expected = translation.gettext("How we checked these claims")
    assert expected != "How we checked these claims"
    assert expected in html


def test_verifying_a_claim_of_a_live_piece_refreshes_its_cached_page(
    client, live, second_editor, django_capture_on_commit_callbacks
):
    url = live.get_absolute_url()
    assert "Checked by" not in html_of(client, url)  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        verification.verify(live.claims.get(), by=second_editor)
    assert "Checked by Sam Ng" in html_of(client, url)


def story(section, checker, *, claims: int):
    article = ArticleFactory(
        published=True,
        section=section,
        body="".join(f"<p>Before. {s} After.</p>" for s in SENTENCES),
    )
    BylineFactory(article=article, author=AuthorFactory())
    for i in range(claims):
        claim = ClaimFactory(article=article, text=SENTENCES[i])
        AttributionFactory(claim=claim, document=SourceDocumentFactory(), passage=f"Grew {i}%.")
        if i % 2:
            AttributionFactory(claim=claim, position=1, passage="The harbour grew.")
        verification.verify(claim, by=checker)
        # An older check of another wording: read, and never shown.
        ClaimCheck.objects.create(
            claim=claim,
            verdict="returned",
            note="Earlier wording.",
            checked_by=checker,
            checked_at=timezone.now() - dt.timedelta(days=1),
            fingerprint="0" * 64,
        )
    return article


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured.captured_queries)


def test_the_page_costs_the_same_for_2_or_20_checked_claims(client, settings, second_editor):
    settings.PUBLIC_CACHE_SECONDS = 0
    section = SectionFactory()
    few = story(section, second_editor, claims=2).get_absolute_url()
    many = story(section, second_editor, claims=20).get_absolute_url()
    client.get(few), client.get(many)
    assert queries(client, few) == queries(client, many)
    html = client.get(many).content.decode()
    assert checked_section(html).count("Checked by Sam Ng") == 20


def test_the_api_names_who_verified_each_claim_and_gives_the_passages_once_live(
    client, key_client, partner_key, editor_key, live, second_editor, reporter
):
    check = verification.verify(live.claims.get(), by=second_editor)
    [claim] = key_client(partner_key).get(f"/api/v1/articles/{live.pk}/").json()["claims"]
    assert claim["verified_by"] == "Sam Ng"
    assert claim["verified_at"].startswith(check.checked_at.strftime("%Y-%m-%dT%H:%M:%S"))
    assert claim["attributions"][0]["passage"] == PASSAGE

    listed = key_client(partner_key).get("/api/v1/articles/").json()["results"]
    assert listed[0]["claims"][0]["verified_by"] == "Sam Ng"

    # A draft's passages stay in the newsroom until its page shows them.
    draft = ArticleFactory(created_by=reporter)
    BylineFactory(article=draft, author=AuthorFactory(user=reporter))
    AttributionFactory(claim=ClaimFactory(article=draft, text=PROFIT), passage=PASSAGE)
    [claim] = key_client(editor_key).get(f"/api/v1/articles/{draft.pk}/").json()["claims"]
    assert claim["attributions"][0]["passage"] is None
    assert claim["verified_by"] is None and claim["verified_at"] is None


def test_the_provenance_record_says_who_verified_each_claim(live, second_editor, signing_key):
    assert provenance.content(live)["claims"][0]["verified_by"] is None
    check = verification.verify(live.claims.get(), by=second_editor)
    [claim] = provenance.content(live)["claims"]
    assert claim["verified_by"] == "Sam Ng"
    assert claim["verified_at"] == check.checked_at.astimezone(dt.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


def test_a_check_by_someone_without_a_full_name_names_their_login(client, live, role_groups):
    from django.contrib.auth.models import Group

    checker = UserFactory(username="kchen", first_name="", last_name="", is_staff=True)
    checker.groups.add(Group.objects.get(name="Editor"))
    verification.verify(live.claims.get(), by=checker)
    assert "Checked by kchen on" in checked_section(html_of(client, live.get_absolute_url()))


def test_the_demos_ai_written_piece_shows_each_claim_checked_by_its_reviewer(client, demo):
    html = html_of(client, demo.get_absolute_url())
    entry = checked_section(html)
    reviewer = demo.reviews.get().reviewer_name
    assert entry.count(f"Checked by {reviewer} on") == demo.claims.count()
    assert "Players forgive a blurry frame" in entry
