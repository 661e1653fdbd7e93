"""The compose stack's front door for real, on loopback: Varnish with compose's edge
VCL sends /media/ to nginx (deploy/nginx/media.conf) and everything else to the app,
so lead images and og:image work under production settings, where Django serves no
media. (Compose runs the same files in the official nginx and varnish images.)"""

import re

import pytest

from articles.media import renditions
from tests.articles.media.helpers import halves, stored
from tests.factories import ArticleFactory, BylineFactory
from tests.newsroom import servers
from tests.newsroom.servers import fetch


@pytest.fixture
def edge(live_server, settings, tmp_path):
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    web = live_server.url.removeprefix("http://")
    with (
        servers.media_server(tmp_path / "nginx-dir", settings.MEDIA_ROOT) as media,
        servers.edge_server(tmp_path, web=web, media=media.removeprefix("http://")) as base,
    ):
        yield base


@pytest.fixture(autouse=True)
def _dirs(tmp_path):
    (tmp_path / "nginx-dir").mkdir()


@pytest.mark.django_db(transaction=True)
def test_an_article_and_its_pictures_come_through_the_edge(edge):
    image = stored(halves((1600, 900)), alt_text="Ferries at the quay")
    for spec in renditions.SPECS:
        renditions.picture(image, spec)
    article = ArticleFactory(published=True, lead_image=image)
    BylineFactory(article=article)

    page = fetch(edge + article.get_absolute_url())
    html = page.read().decode()
    og_image = re.search(r'<meta property="og:image" content="[^"]*?(/media/[^"]+)"', html)
    card = fetch(edge + og_image.group(1))

    assert page.status == 200
    assert card.status == 200
    assert card.headers["Content-Type"] == "image/jpeg"
    assert card.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert card.headers["X-Content-Type-Options"] == "nosniff"
    assert card.read() == (renditions.get_rendition(image, "social", "jpeg").file.read())


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_health_endpoint_is_the_apps_and_missing_media_is_nginxs_404(edge):
    health = fetch(edge + "/health/", Accept="application/json")
    missing = fetch(edge + "/media/images/nothing.jpg")

    assert health.status == 200
    assert "no-store" in health.headers["Cache-Control"]
    assert missing.status == 404
    assert missing.headers["X-Content-Type-Options"] == "nosniff"

    # Every answer names its request: the edge's own id (which the app logs too), or the proxy's.
    ids = [fetch(edge + "/health/").headers["X-Request-ID"] for _ in range(2)]
    assert ids[0] != ids[1] and all(i.startswith("edge-") for i in ids)
    assert fetch(edge + "/health/", **{"X-Request-ID": "lb-99"}).headers["X-Request-ID"] == "lb-99"
