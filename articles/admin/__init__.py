"""The editors' admin, one module per area (matching ``articles.models``); importing
them registers every ModelAdmin with the site.

- ``newsroom``: sections and authors
- ``media``: the image library
- ``article``: articles (list, page, saving) and correction notes; ``inlines`` and
  ``editorial`` (transition, review, revision and preview views) belong to it
- ``sponsorship``: sponsors and sponsorships
- ``partners``: API keys, webhook endpoints and deliveries
- ``display`` and ``forms``: badges, thumbnails, diffs; the forms and formsets
"""

from articles.admin import article, media, newsroom, partners, sponsorship

__all__ = ["article", "media", "newsroom", "partners", "sponsorship"]
