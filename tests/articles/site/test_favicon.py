"""The site's icon: linked from every public and admin page, and answering at
/favicon.ico, which browsers and crawlers ask for whatever a page links (it was a 404 on
every page)."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

ICON = re.compile(r'<link rel="icon" href="(?P<href>[^"]+\.svg)" type="image/svg\+xml">')


def linked_icon(response) -> str:
    assert response.status_code == 200
    match = ICON.search(response.content.decode())
    assert match, "no icon linked"
    return match["href"]


def test_public_and_admin_pages_link_the_icon(client, admin_client):
    hrefs = {
        linked_icon(client.get("/")),
        linked_icon(client.get("/search/?q=port")),
        linked_icon(client.get("/admin/login/")),
        linked_icon(admin_client.get("/admin/")),
        linked_icon(admin_client.get("/admin/articles/article/add/")),
    }
    assert len(hrefs) == 1  # one icon everywhere


def test_favicon_ico_leads_to_the_icon(client):
    href = linked_icon(client.get("/"))

    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == href
    icon = finders.find("articles/favicon.svg")
    assert icon and Path(icon).read_text().startswith("<svg")
