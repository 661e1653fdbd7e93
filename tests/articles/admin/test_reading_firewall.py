"""The firewall covers reading too: no desk opens, lists, searches or previews the other
desk's unpublished work; a standards editor and administrators read both."""

import pytest
from django.urls import reverse

from tests.articles.admin.helpers import change_url
from tests.articles.publishing.helpers import S, commercial_article, newsroom_article

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def desks(reporter, other_reporter, commercial):
    """A draft and a published piece on each desk, with headlines to look for."""
    return {
        "newsroom_draft": newsroom_article(reporter, S.DRAFT, headline="Harbour strike looms"),
        "newsroom_live": newsroom_article(
            other_reporter, S.PUBLISHED, headline="Tram Wi-Fi approved"
        ),
        "commercial_draft": commercial_article(
            commercial, S.IN_REVIEW, headline="Kestrel mesh routers explained"
        ),
        "commercial_live": commercial_article(
            commercial, S.PUBLISHED, headline="Is your home network ready"
        ),
    }


def listed(client, **params) -> str:
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return response.content.decode()


def staff_preview(client, article):
    return client.get(reverse("articles:staff_preview", args=[article.pk]))


def test_a_reporter_neither_lists_nor_opens_nor_previews_a_commercial_draft(
    client, reporter, desks
):
    client.force_login(reporter)
    html = listed(client)
    assert "Kestrel mesh routers explained" not in html
    assert "Is your home network ready" in html  # readers can see it, so may staff
    assert "0 articles" in listed(client, q="Kestrel mesh")

    draft = desks["commercial_draft"]
    # The admin answers as for an article that does not exist: nothing about it leaks.
    response = client.get(change_url(draft), follow=True)
    assert "Kestrel mesh routers explained" not in response.content.decode()
    assert "doesn’t exist" in response.content.decode()
    assert staff_preview(client, draft).status_code == 404
    revisions = reverse("admin:articles_article_revisions", args=[draft.pk])
    assert client.get(revisions).status_code == 404


def test_the_commercial_desk_neither_lists_nor_opens_nor_previews_a_newsroom_draft(
    client, commercial, desks
):
    client.force_login(commercial)
    html = listed(client)
    assert "Harbour strike looms" not in html
    assert "Tram Wi-Fi approved" in html
    assert "Kestrel mesh routers explained" in html

    draft = desks["newsroom_draft"]
    assert "Harbour strike looms" not in client.get(change_url(draft), follow=True).content.decode()
    assert staff_preview(client, draft).status_code == 404
    # A published newsroom piece opens, read-only: the firewall still keeps the pen away.
    live = client.get(change_url(desks["newsroom_live"]))
    assert live.status_code == 200
    assert 'name="_save"' not in live.content.decode()


def test_the_dashboard_shows_neither_desk_the_others_queue(client, commercial, desks):
    client.force_login(commercial)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Kestrel mesh routers explained" in html
    assert "Harbour strike looms" not in html


def test_a_standards_editor_reads_both_desks_and_changes_neither(client, standards, desks):
    client.force_login(standards)
    html = listed(client)
    for headline in ("Harbour strike looms", "Kestrel mesh routers explained"):
        assert headline in html
    for name in ("newsroom_draft", "commercial_draft"):
        article = desks[name]
        page = client.get(change_url(article))
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert staff_preview(client, article).status_code == 200
    response = client.post(change_url(desks["newsroom_draft"]), {"headline": "Changed"})
    assert response.status_code == 403
    desks["newsroom_draft"].refresh_from_db()
    assert desks["newsroom_draft"].headline == "Harbour strike looms"


def test_an_administrator_reads_every_desk(client, administrator, desks):
    client.force_login(administrator)
    html = listed(client)
    for headline in ("Harbour strike looms", "Kestrel mesh routers explained"):
        assert headline in html
    assert staff_preview(client, desks["commercial_draft"]).status_code == 200
