"""The firewall for reading, in the lists of shared records: the sponsor list counts only
the pieces a user may read, and publishers and source documents cited only by the other
desk's unpublished work are neither listed, nor offered, nor opened."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Sponsorship
from sources.models import Attribution
from tests.articles.publishing.helpers import COMMERCIAL, NEWSROOM, S, commercial_article, put
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    ClaimFactory,
    PublisherFactory,
    SourceDocumentFactory,
    SponsorFactory,
    SponsorshipFactory,
    make_publishable,
)

pytestmark = pytest.mark.django_db

SPONSORS = reverse("admin:articles_sponsor_changelist")
DOCUMENTS = reverse("admin:sources_sourcedocument_changelist")
PUBLISHERS = reverse("admin:sources_publisher_changelist")
AUTOCOMPLETE = reverse("admin:autocomplete")


def newsroom_article(reporter, status):
    article = ArticleFactory(created_by=reporter, desk=NEWSROOM)
    make_publishable(article)
    return put(article, status)


def cite(article, title: str, publisher: str, *, via: str = "") -> Attribution:
    """A claim on ``article`` resting on a new document ``title`` by ``publisher``."""
    claim = ClaimFactory(article=article, text=f"{title} says so.")
    document = SourceDocumentFactory(title=title, publisher=PublisherFactory(name=publisher))
    extra = {"via": PublisherFactory(name=via), "relation": "carried_by"} if via else {}
    return AttributionFactory(claim=claim, document=document, **extra)


@pytest.fixture
def desks(reporter, commercial):
    """Each desk's draft and published piece, their sources, and one uncited document."""
    commercial_draft = commercial_article(commercial, S.IN_REVIEW)
    commercial_live = commercial_article(commercial, S.PUBLISHED)
    newsroom_draft = newsroom_article(reporter, S.DRAFT)
    newsroom_live = newsroom_article(reporter, S.PUBLISHED)
    cite(commercial_draft, "Kestrel mesh launch brief", "Kestrel Networks", via="Gadget Wire")
    cite(newsroom_draft, "Harbour strike ballot", "Dockers Union")
    shared = cite(commercial_live, "Router market survey", "Ofcom")
    also = ClaimFactory(article=commercial_draft, text="Routers sell well.")
    AttributionFactory(claim=also, document=shared.document)
    cite(newsroom_live, "Tram Wi-Fi decision", "City Council")
    SourceDocumentFactory(title="Unused census table", publisher=PublisherFactory(name="ONS"))


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def offered(client, field: str, term: str) -> list[str]:
    """What the admin's autocomplete offers for the attribution's ``field``."""
    params = {"app_label": "sources", "model_name": "attribution", "field_name": field}
    response = client.get(AUTOCOMPLETE, {**params, "term": term})
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


# -- source documents and publishers ----------------------------------------------------------

COMMERCIAL_ONLY = ["Kestrel mesh launch brief", "Kestrel Networks", "Gadget Wire"]
NEWSROOM_ONLY = ["Harbour strike ballot", "Dockers Union"]
EVERYONES = ["Router market survey", "Ofcom", "Tram Wi-Fi decision", "City Council"]
UNCITED = ["Unused census table", "ONS"]


def listed(client) -> str:
    """Both lists, their filters included (the document list's names its publishers)."""
    return page(client, DOCUMENTS) + page(client, PUBLISHERS)


def test_a_reporter_never_sees_the_sources_of_a_commercial_draft(client, reporter, desks):
    client.force_login(reporter)
    html = listed(client)
    for name in [*NEWSROOM_ONLY, *EVERYONES, *UNCITED]:
        assert name in html
    for name in COMMERCIAL_ONLY:
        assert name not in html
    assert offered(client, "document", "Kestrel") == []
    assert offered(client, "via", "Gadget") == []
    assert offered(client, "document", "Router") == ["Ofcom: Router market survey"]
    # Counted as the reporter may see it: one citation on a published piece, not two.
    assert re.search(r'field-cited">1<', page(client, DOCUMENTS, q="Router market"))

    # Its page answers as for a document that does not exist.
    hidden = Attribution.objects.get(document__title="Kestrel mesh launch brief").document
    for url in (
        reverse("admin:sources_sourcedocument_change", args=[hidden.pk]),
        reverse("admin:sources_publisher_change", args=[hidden.publisher_id]),
    ):
        html = client.get(url, follow=True).content.decode()
        assert "doesn’t exist" in html
        assert "Kestrel" not in html


def test_the_commercial_desk_never_sees_the_sources_of_a_newsroom_draft(client, commercial, desks):
    client.force_login(commercial)
    html = listed(client)
    for name in [*COMMERCIAL_ONLY, *EVERYONES, *UNCITED]:
        assert name in html
    for name in NEWSROOM_ONLY:
        assert name not in html
    assert offered(client, "document", "Harbour") == []
    assert offered(client, "document", "Kestrel") == ["Kestrel Networks: Kestrel mesh launch brief"]
    assert re.search(r'field-cited">2<', page(client, DOCUMENTS, q="Router market"))


def test_a_standards_editor_sees_every_source(client, standards, desks):
    client.force_login(standards)
    html = listed(client)
    for name in [*COMMERCIAL_ONLY, *NEWSROOM_ONLY, *EVERYONES, *UNCITED]:
        assert name in html


# -- sponsors --------------------------------------------------------------------------------


def sponsored_count(client, name: str) -> int:
    html = page(client, SPONSORS, q=name)
    return int(re.search(r'field-sponsorship_count">(\d+)<', html).group(1))


@pytest.fixture
def kestrel(reporter, commercial):
    """A sponsor of one live advertisement and of one still in review, and an underwriter
    of a newsroom draft."""
    kestrel = SponsorFactory(name="Kestrel Networks")
    for status in (S.PUBLISHED, S.IN_REVIEW):
        Sponsorship.objects.filter(article=commercial_article(commercial, status)).update(
            sponsor=kestrel
        )
    SponsorshipFactory(
        article=newsroom_article(reporter, S.DRAFT),
        sponsor=SponsorFactory(name="Tidewater Foundation"),
        kind=Sponsorship.Kind.UNDERWRITING,
    )
    return kestrel


def test_the_newsroom_counts_only_the_live_advertisements_of_a_sponsor(client, editor, kestrel):
    client.force_login(editor)
    assert sponsored_count(client, "Kestrel") == 1
    assert sponsored_count(client, "Tidewater") == 1


def test_the_commercial_desk_counts_its_drafts_but_not_the_newsrooms(client, commercial, kestrel):
    client.force_login(commercial)
    assert sponsored_count(client, "Kestrel") == 2
    assert sponsored_count(client, "Tidewater") == 0


def test_a_standards_editor_counts_every_piece(client, standards, kestrel):
    client.force_login(standards)
    assert sponsored_count(client, "Kestrel") == 2
    assert sponsored_count(client, "Tidewater") == 1


# -- query budgets -----------------------------------------------------------------------------


def add_rows(n: int) -> None:
    """``n`` sponsored commercial drafts and ``n`` live newsroom pieces, each citing its own
    document by its own publisher: each persona's lists hold n rows the firewall hides."""
    for i in range(n):
        draft = ArticleFactory(desk=COMMERCIAL, status=S.IN_REVIEW)
        SponsorshipFactory(article=draft)
        cite(draft, f"Brief {i}", f"Agency {i}")
        cite(ArticleFactory(desk=NEWSROOM, published=True), f"Filing {i}", f"Registry {i}")


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# Every list: the session, the user, the user's own and their groups' permissions, the
# paginator's count and the unfiltered count, and the page of rows with their counts (the
# firewall in the same query, as subqueries). The document list adds its publisher filter's
# choices and the date hierarchy's range and days.
BUDGETS = {DOCUMENTS: 10, PUBLISHERS: 7, SPONSORS: 7}


@pytest.mark.parametrize("url", BUDGETS)
@pytest.mark.parametrize("persona", ["editor", "commercial"])
def test_the_filtered_lists_cost_the_same_for_5_and_50_rows(client, persona, url, request):
    client.force_login(request.getfixturevalue(persona))
    add_rows(5)
    assert count_queries(client, url) == BUDGETS[url]
    add_rows(45)
    assert count_queries(client, url) == BUDGETS[url]
