"""No side doors: per-article records (sponsorships, claims, corrections) are read-only
lists of what the user may read, linking to the article whose page changes them; bulk
delete is gone where it would skip a per-object rule or touch what readers see."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Author, Image, Section, Sponsor, Sponsorship
from articles.publishing import roles
from sources.models import Claim, Publisher, SourceDocument
from tests.articles.admin.helpers import change_url
from tests.articles.admin.sources_forms import sources_url
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    AuthorFactory,
    BylineFactory,
    ClaimFactory,
    CorrectionFactory,
    ImageFactory,
    PublisherFactory,
    SponsorFactory,
    SponsorshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def standards(role_groups):
    user = UserFactory(username="standards", is_staff=True, first_name="Noor", last_name="Ali")
    user.groups.add(Group.objects.get(name=roles.STANDARDS_EDITOR))
    return user


def commercial_draft(headline="Unannounced campaign for Acme", **fields) -> Article:
    article = ArticleFactory(headline=headline, desk=Article.Desk.COMMERCIAL, **fields)
    acme, _ = Sponsor.objects.get_or_create(name="Acme", defaults={"slug": "acme"})
    SponsorshipFactory(article=article, sponsor=acme)
    return article


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# -- sponsorships --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["commercial", "administrator"])
def test_sponsorship_add_change_and_delete_pages_are_refused(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    sponsorship = commercial_draft().sponsorship
    other_sponsor = SponsorFactory(name="Globex")
    change = reverse("admin:articles_sponsorship_change", args=[sponsorship.pk])
    delete = reverse("admin:articles_sponsorship_delete", args=[sponsorship.pk])
    add = reverse("admin:articles_sponsorship_add")
    form = {
        "article": sponsorship.article.pk,
        "sponsor": other_sponsor.pk,
        "kind": "underwriting",
        "disclosure": "Changed behind the article's back.",
        "campaign_starts_on": "2026-01-01",
    }

    assert client.get(add).status_code == 403
    assert (
        client.post(add, form | {"article": ArticleFactory(published=True).pk}).status_code == 403
    )
    assert client.get(change).status_code == 403
    assert client.post(change, form).status_code == 403
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403

    assert Sponsorship.objects.get().sponsor.name == "Acme"
    assert not sponsorship.article.events.exists()


def test_sponsorship_list_hides_commercial_drafts_from_newsroom_editors(client, editor):
    commercial_draft()
    SponsorshipFactory(
        article=ArticleFactory(headline="Initech launch", desk=Article.Desk.COMMERCIAL),
        sponsor=SponsorFactory(name="Initech"),
    )
    live = commercial_draft(headline="Acme's new range, explained", published=True)
    client.force_login(editor)
    html = client.get(reverse("admin:articles_sponsorship_changelist")).content.decode()
    assert "Unannounced campaign" not in html
    assert "Initech" not in html  # not even as a choice of the sponsor filter
    assert "Acme&#x27;s new range, explained" in html
    assert f'href="{change_url(live)}"' in html  # the row leads to its article


@pytest.mark.parametrize("persona", ["commercial", "standards"])
def test_sponsorship_list_shows_commercial_drafts_to_their_desk_and_standards(
    client, request, persona
):
    commercial_draft()
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("admin:articles_sponsorship_changelist")).content.decode()
    assert "Unannounced campaign for Acme" in html
    assert "action-checkbox" not in html  # nothing to select: the list only reads


def make_sponsorships(n: int) -> None:
    for i in range(n):
        commercial_draft(headline=f"Campaign draft {i}")
        commercial_draft(headline=f"Live campaign {i}", published=True)


def test_sponsorship_list_query_count_does_not_grow_with_rows(
    client, editor, django_assert_max_num_queries
):
    url = reverse("admin:articles_sponsorship_changelist")
    client.force_login(editor)
    make_sponsorships(5)
    few = count_queries(client, url)
    make_sponsorships(45)
    # session, user, permissions (2), the sponsor filter's choices, count, filtered
    # count, and the sponsorships joined to their articles and sponsors.
    with django_assert_max_num_queries(8):
        assert count_queries(client, url) == few


# -- corrections ---------------------------------------------------------------------------


def test_correction_list_shows_only_notes_of_readable_articles(client, editor):
    CorrectionFactory(article__headline="A live correction")
    withdrawn = commercial_draft(headline="A withdrawn campaign", published=True)
    Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.UNPUBLISHED)
    CorrectionFactory(article=withdrawn)
    client.force_login(editor)
    html = client.get(reverse("admin:articles_correction_changelist")).content.decode()
    assert "A live correction" in html
    assert "A withdrawn campaign" not in html


# -- claims --------------------------------------------------------------------------------


def test_claim_list_shows_readable_claims_with_citations_and_links(client, reporter, editor):
    newsroom = ArticleFactory(published=True, headline="Sony's results")
    claim = ClaimFactory(article=newsroom)
    AttributionFactory(claim=claim, document__publisher__name="Sony")
    hidden = commercial_draft()
    ClaimFactory(article=hidden)

    client.force_login(editor)
    html = client.get(reverse("admin:sources_claim_changelist")).content.decode()
    assert "Sony said its profit rose." in html
    assert "Unannounced campaign" not in html
    assert f'href="{change_url(newsroom)}"' in html
    assert f'href="{sources_url(claim)}"' in html
    assert "action-checkbox" not in html

    client.force_login(reporter)  # reads the live piece, may not edit it
    html = client.get(reverse("admin:sources_claim_changelist")).content.decode()
    assert f'href="{change_url(newsroom)}"' in html
    assert sources_url(claim) not in html


def test_claim_list_flags_claims_the_body_no_longer_contains(client, editor):
    claim = ClaimFactory(article=ArticleFactory(body="<p>Profit rose.</p>"), text="Profit rose.")
    Article.objects.filter(pk=claim.article_id).update(body="<p>Profit fell.</p>")
    client.force_login(editor)
    html = client.get(reverse("admin:sources_claim_changelist")).content.decode()
    assert 'alt="False"' in html  # the "in body" column
    assert "No source yet" in html


def make_claims(n: int, reporter) -> None:
    author = Author.objects.filter(user=reporter).first() or AuthorFactory(user=reporter)
    for i in range(n):
        article = ArticleFactory(body=f"<p>Claim number {i} is true.</p>", created_by=reporter)
        BylineFactory(article=article, author=author)
        claim = ClaimFactory(article=article, text=f"Claim number {i} is true.")
        AttributionFactory(claim=claim, via=PublisherFactory(), relation="carried_by")
        AttributionFactory(claim=claim, position=1)
        ClaimFactory(article=commercial_draft(headline=f"Campaign {i}"))


@pytest.mark.parametrize("persona", ["reporter", "editor"])
def test_claim_list_query_count_does_not_grow_with_rows(
    client, request, reporter, persona, django_assert_max_num_queries
):
    url = reverse("admin:sources_claim_changelist")
    client.force_login(request.getfixturevalue(persona))
    make_claims(5, reporter)
    few = count_queries(client, url)
    make_claims(45, reporter)
    # session, user, permissions (2), count, filtered count, claims joined to their
    # articles, attributions with documents and intermediaries, bylines with authors
    # (who may edit which article, for the "Edit sources" links); the claims' checks (the
    # "checked" column); the sources' further intermediaries (chains of custody, issue 15).
    with django_assert_max_num_queries(9 + 1 + 1):
        assert count_queries(client, url) == few


@pytest.mark.parametrize("persona", ["editor", "superuser"])
def test_the_standalone_claim_add_page_is_gone(client, request, persona):
    article = ArticleFactory()
    client.force_login(request.getfixturevalue(persona))
    add = reverse("admin:sources_claim_add")
    assert client.get(add).status_code == 403
    form = {"article": article.pk, "text": "Sony said its profit rose."}
    assert client.post(add, form).status_code == 403
    assert not Claim.objects.exists()


def test_a_commercial_drafts_claim_page_is_not_found_for_the_newsroom(client, editor):
    claim = ClaimFactory(article=commercial_draft())
    client.force_login(editor)
    response = client.get(sources_url(claim), follow=True)
    assert "doesn’t exist" in response.content.decode()
    assert claim.text not in response.content.decode()


# -- bulk delete -------------------------------------------------------------------------


SHARED_RECORDS = {
    "articles_image": (Image, ImageFactory),
    "articles_author": (Author, AuthorFactory),
    "articles_section": (Section, lambda: ArticleFactory().section),
    "articles_sponsor": (Sponsor, SponsorFactory),
    "sources_publisher": (Publisher, lambda: AttributionFactory().document.publisher),
    "sources_sourcedocument": (SourceDocument, lambda: AttributionFactory().document),
    "sources_claim": (Claim, ClaimFactory),
    "articles_sponsorship": (Sponsorship, SponsorshipFactory),
}


@pytest.mark.parametrize("name", SHARED_RECORDS)
def test_no_bulk_delete_on_records_readers_see(client, superuser, name):
    model, make = SHARED_RECORDS[name]
    obj = make()
    client.force_login(superuser)
    url = reverse(f"admin:{name}_changelist")
    assert 'value="delete_selected"' not in client.get(url).content.decode()
    client.post(url, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    assert model.objects.filter(pk=obj.pk).exists()
