"""schema.org JSON-LD for articles and the publisher, built from the same facts readers see.

An AI agent is never marked up as a Person: its operating organisation is the
author, named with the agent, and the human who reviewed the piece is its editor.
"""

from __future__ import annotations

import json
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

from articles.models import AIInvolvement, Article
from sources.citations import SourceEntry, link_text

SCHEMA_DIGITAL_SOURCE = {
    AIInvolvement.GENERATED: "https://schema.org/TrainedAlgorithmicMediaDigitalSource",
    AIInvolvement.ASSISTED: "https://schema.org/CompositeWithTrainedAlgorithmicMediaDigitalSource",
}
# A picture's IPTC digital source type, as schema.org's IPTCDigitalSourceEnumeration.
SCHEMA_IMAGE_SOURCE = {
    "trainedAlgorithmicMedia": "https://schema.org/TrainedAlgorithmicMediaDigitalSource",
    "digitalCapture": "https://schema.org/DigitalCaptureDigitalSource",
}


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def publisher() -> dict:
    """The publisher as a NewsMediaOrganization, with its policies (Trust Project)."""
    # The same on every page: made once for each site URL, publisher and URL layout.
    key = (settings.SITE_URL, repr(settings.PUBLISHER), get_urlconf(), get_script_prefix())
    return dict(_publisher(*key))


@lru_cache(maxsize=8)
def _publisher(*key) -> dict:  # key: what the block depends on, read from settings below
    info = settings.PUBLISHER
    return {
        "@type": "NewsMediaOrganization",
        "name": info["name"],
        "legalName": info["legal_name"],
        "url": absolute("/"),
        "email": info["contact_email"],
        "publishingPrinciples": absolute(reverse("articles:standards", args=["labels"])),
        "ethicsPolicy": absolute(reverse("articles:standards", args=["labels"])),
        "correctionsPolicy": absolute(reverse("articles:standards", args=["corrections"])),
        "verificationFactCheckingPolicy": absolute(
            reverse("articles:standards", args=["sourcing"])
        ),
        "ownershipFundingInfo": absolute(reverse("articles:standards", args=["ownership"])),
        "actionableFeedbackPolicy": absolute(reverse("articles:standards", args=["corrections"])),
        "masthead": absolute(reverse("articles:standards", args=["ownership"])),
    }


def _author(author) -> dict:
    if author.is_ai_agent:
        return {
            "@type": "Organization",
            "name": author.operator,
            "url": author.operator_url or absolute(author.get_absolute_url()),
            "description": f"{author.name} is {author.description}.",
        }
    return {
        "@type": "Person",
        "name": author.name,
        "url": absolute(author.get_absolute_url()),
        **({"jobTitle": author.job_title} if author.job_title else {}),
    }


def _citation(entry: SourceEntry) -> dict:
    document = entry.document
    data = {
        "@type": "CreativeWork",
        "name": document.title,
        "publisher": {"@type": "Organization", "name": document.publisher.name},
    }
    if document.url:
        data["url"] = document.url
    if document.published_on:
        data["datePublished"] = document.published_on.isoformat()
    if entry.attribution.via_id:
        data["provider"] = {"@type": "Organization", "name": entry.attribution.via.name}
        if entry.attribution.via_url:
            data["sameAs"] = entry.attribution.via_url
        data["workExample"] = _chain(entry, data)
    return data


def _chain(entry: SourceEntry, document: dict) -> list[dict]:
    """The chain of custody: each intermediary's copy, in order, as a work based on the one
    before it (the first on the document itself), with its position in the chain."""
    copies: list[dict] = []
    before: str | dict = document.get("url") or {
        "@type": "CreativeWork",
        "name": document["name"],
        "publisher": document["publisher"],
    }
    for position, link in enumerate(entry.chain, start=1):
        copy = {
            "@type": "CreativeWork",
            "position": position,
            "description": link_text(link),
            "publisher": {"@type": "Organization", "name": link.publisher.name},
            "isBasedOn": before,
        }
        if link.url:
            copy["url"] = link.url
        if link.on:
            copy["datePublished"] = link.on.isoformat()
        copies.append(copy)
        before = link.url or {"@type": "CreativeWork", "publisher": copy["publisher"]}
    return copies


def _image(article: Article, card: dict) -> dict:
    """The share card as an ImageObject, with the lead picture's caption, credit and
    digital source type (an AI-generated picture says so here too)."""
    picture = article.lead_image
    data = {"@type": "ImageObject", "url": card["url"], "contentUrl": card["url"]}
    if card.get("width"):
        data |= {"width": card["width"], "height": card["height"]}
    if picture is None:
        return data
    if picture.caption:
        data["caption"] = picture.caption
    if picture.credit:
        data["creditText"] = picture.credit
    term = picture.digital_source_type.rsplit("/", 1)[-1]
    if source := SCHEMA_IMAGE_SOURCE.get(term):
        data["digitalSourceType"] = source
    return data


def profile_page(author) -> dict:
    """An author's page as a ProfilePage. A journalist is its Person; an AI agent is no
    person: the page is about the organisation that operates it, described as such."""
    url = absolute(author.get_absolute_url())
    entity = _author(author)
    # For an agent: what it is (named with its operator), its bio, the operator's disclosure.
    about = [entity.get("description", ""), author.bio]
    if author.is_ai_agent:
        about.append(author.disclosure)
    if text := " ".join(part for part in about if part):
        entity["description"] = text
    if beats := [beat.strip() for beat in author.beats.split(",") if beat.strip()]:
        entity["knowsAbout"] = beats
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "name": author.name,
        "mainEntity": entity,
        "publisher": publisher(),
    }


def _work(sibling: Article) -> dict:
    url = absolute(sibling.get_absolute_url())
    return {
        "@type": sibling.schema_type,
        "@id": url,
        "url": url,
        "inLanguage": sibling.language,
        "headline": sibling.headline,
    }


def article(
    article: Article,
    sources: list[SourceEntry],
    image: dict | None = None,
    siblings: list[Article] = (),
) -> dict:
    """The article as schema.org sees it: the same headline, label, bylines and sources;
    with its published ``siblings``, the original names its translations
    (``workTranslation``) and a translation its original (``translationOfWork``)."""
    url = absolute(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": article.schema_type,
        "headline": article.headline,
        "description": article.dek,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": article.language,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.modified_at.isoformat(),
        "author": [_author(b.author) for b in article.byline_list if b.role == b.Role.BY],
        # Additional reporting, research, editing: credited, not authors.
        "contributor": [_author(b.author) for b in article.byline_list if b.role != b.Role.BY],
        "publisher": publisher(),
        "isAccessibleForFree": True,
        "genre": str(article.work_type.label),
        "keywords": sorted(t.name for t in article.tags.all()),
        "citation": [_citation(entry) for entry in sources],
    }
    if article.section_id:
        data["articleSection"] = article.section.name
    if article.translation_of_id is None and siblings:
        data["workTranslation"] = [_work(s) for s in siblings]
    elif original := next((s for s in siblings if s.pk == article.translation_of_id), None):
        data["translationOfWork"] = _work(original)
    if not data["contributor"]:
        del data["contributor"]
    if image:
        data["image"] = _image(article, image)
    if source_type := SCHEMA_DIGITAL_SOURCE.get(article.ai_involvement_level):
        data["digitalSourceType"] = source_type
    review = article.latest_review
    if review is not None:
        data["editor"] = {"@type": "Person", "name": review.reviewer_name}
        # Who reviewed which version and when: the human review behind "reviewed by".
        data["review"] = {
            "@type": "Review",
            "author": {"@type": "Person", "name": review.reviewer_name},
            "datePublished": review.reviewed_at.isoformat(),
            "reviewAspect": f"Human editorial review of version {review.version}",
        }
    sponsorship = article.sponsorship_or_none
    if sponsorship is not None:
        data["sponsor"] = {
            "@type": "Organization",
            "name": sponsorship.sponsor.name,
            **({"url": sponsorship.sponsor.website} if sponsorship.sponsor.website else {}),
        }
        data["genre"] = sponsorship.label
        data["backstory"] = f"{sponsorship.full_label}. {sponsorship.disclosure}"
    corrections = list(article.corrections.all())
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": f"{c.get_kind_display()}: {c.text}",
                "datePublished": c.created_at.isoformat(),
            }
            for c in corrections
        ]
    return data


def script(data: dict) -> SafeString:
    """``data`` as JSON that is safe inside a <script type="application/ld+json"> element."""
    # Compact: without indent, json uses its C encoder (several times faster).
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # JSON with every <, > and & escaped above: it cannot close the <script> element.
    return mark_safe(text)  # noqa: S308 # nosec B308 B703
