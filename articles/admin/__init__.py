"""The editors' admin, one module per area (matching ``articles.models``); importing
them registers every ModelAdmin with the site.

- ``newsroom``: sections and authors
- ``media``: the image library
- ``article``: articles (list, page, saving) and correction notes; ``inlines`` and
  ``editorial`` (transition, review, revision and preview views) belong to it
- ``sponsorship``: sponsors and sponsorships
- ``claims``: claims and their sources (``sources`` never imports ``articles``);
  ``chains``: a source's chain of custody (its intermediaries, in order)
- ``sources``: publishers and source documents (here for the same reason)
- ``shared_records``: what the pages of authors, sponsors, images, publishers and
  documents share: their history, and changes to those on published pieces
- ``partners``: API keys, webhook endpoints and deliveries
- ``records``: the audit log and revisions across articles (read-only, CSV export)
- ``imports``: where imported articles came from (read-only)
- ``redirects``: old addresses and editors' redirects (loops and live pages refused)
- ``front_page``: the curated front page (pins, order, sponsored slots)
- ``display`` and ``forms``: badges, thumbnails, diffs; the forms and formsets
"""

from articles.admin import (
    article,
    chains,
    claims,
    front_page,
    imports,
    media,
    newsroom,
    partners,
    records,
    redirects,
    sources,
    sponsorship,
)

__all__ = [
    "article",
    "chains",
    "claims",
    "front_page",
    "imports",
    "media",
    "newsroom",
    "partners",
    "records",
    "redirects",
    "sources",
    "sponsorship",
]
