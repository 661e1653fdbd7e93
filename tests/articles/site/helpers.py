"""Reading the public pages: their HTML, teasers and JSON-LD."""

import json
import re

SPONSORED_SLUG = "cloud-gaming-home-network-ready"
LABEL = "Sponsored Advertising Content"


def html_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def teaser_of(html: str, headline: str, where: str = "") -> str:
    """The teaser <article> on a list page that shows ``headline``."""
    escaped = headline.replace("'", "&#x27;").replace('"', "&quot;")
    for chunk in html.split('<article class="teaser')[1:]:
        chunk = chunk.split("</article>")[0]
        if escaped in chunk:
            return chunk
    raise AssertionError(f"No teaser for {headline!r} on {where}")


def jsonld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]
