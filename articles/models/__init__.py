"""Every model of the articles app, one module per concern, re-exported here so that
``from articles.models import Article`` works wherever it is needed.

- ``newsroom``: sections and authors (human journalists and AI agents)
- ``media``: the image library and its renditions
- ``article``: the article, its bylines, type of work and AI involvement
- ``sponsorship``: sponsors and the sponsorship that makes a piece sponsored content
- ``records``: corrections, the audit trail, revisions and human reviews (append-only),
  shareable preview links
- ``partners``: partner API keys and webhook endpoints, deliveries and attempts
- ``redirects``: old addresses of articles and sections, and editors' manual redirects
- ``front_page``: the home page's slots that editors pin stories to
- ``related``: related articles an editor pinned under an article
- ``editing``: who has an article open in the admin (presence), and where imported
  articles came from
- ``provenance``: the signed provenance record of each published version

Modules lower in this list may import those above them, never the other way round.
"""

from articles.models.article import (
    EDITORIAL_WORK_TYPES,
    AIInvolvement,
    Article,
    Byline,
    WorkType,
    required_ai_involvement,
)
from articles.models.editing import EditingSession, ImportRecord
from articles.models.front_page import TOP_STORIES, FrontPageSlot
from articles.models.media import IPTC_DIGITAL_SOURCE_TYPE, Image, Rendition
from articles.models.newsroom import Author, Section, unique_slug
from articles.models.partners import PartnerKey, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from articles.models.provenance import ProvenanceRecord
from articles.models.records import (
    ArticleEvent,
    CorrectedClaim,
    Correction,
    HumanReview,
    PreviewLink,
    Revision,
)
from articles.models.redirects import Redirect, normalise_path
from articles.models.related import RelatedPin
from articles.models.sponsorship import Sponsor, Sponsorship

__all__ = [
    "EDITORIAL_WORK_TYPES",
    "IPTC_DIGITAL_SOURCE_TYPE",
    "TOP_STORIES",
    "AIInvolvement",
    "Article",
    "ArticleEvent",
    "Author",
    "Byline",
    "CorrectedClaim",
    "Correction",
    "EditingSession",
    "FrontPageSlot",
    "HumanReview",
    "Image",
    "ImportRecord",
    "PartnerKey",
    "PreviewLink",
    "ProvenanceRecord",
    "Redirect",
    "RelatedPin",
    "Rendition",
    "Revision",
    "Section",
    "Sponsor",
    "Sponsorship",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WorkType",
    "normalise_path",
    "required_ai_involvement",
    "unique_slug",
]
