"""Signed provenance records: for each version of a published article that readers saw, a
record of what they were told about it, signed with the newsroom's Ed25519 key
(``articles.publishing.signing``, which also defines the canonical form).

A record holds: the article's id, address, publication time, headline, language and
the SHA-256 of its body as readers and partners get it (the sanitised HTML the API's
``body`` carries); its label and sponsor (or null); its bylines, each with the author's
kind (human or AI agent) and role; the latest human review (who, when, which article
version); its claims in body order with their sources (publisher, title, link,
publication date, intermediary and relation, and the whole chain of custody: each outlet
that passed it on, how, where and when) and their verification (who checked each against
its sources' passages, and when; null while it is not verified as it reads now); when
it was issued and with which key.

``version`` counts the record's versions: 1 at first publication, then one more each
time something in the record changes (an edit, a review, a sponsorship or a source
changed). Issuing is idempotent: an article whose record already says what it would
say gets no new one. The workflow's after-commit signal issues them
(``on_articles_changed``); the public endpoint issues one for a piece that has none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import labels
from articles.models import Article, ProvenanceRecord
from articles.publishing import signing
from articles.querysets import sourced_claims
from articles.sanitize import sanitize_html
from sources import verification
from sources.citations import chain

logger = logging.getLogger(__name__)

FORMAT = "newsroom-provenance/1"
# Fields that change with every issue, not with what the record says.
VOLATILE = frozenset({"version", "issued_at", "key_id"})
# Publishing up to this many articles at once (a bulk action, the scheduler) issues their
# records at once; any other change to many articles at once (an author or a source's
# publisher renamed: one purge at a constant cost) leaves each article's new record to
# its endpoint, which issues it when next read.
INLINE_LIMIT = 50


class Invalid(Exception):
    """A record that does not verify; the message says why."""


def _time(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def body_sha256(article: Article) -> str:
    body = sanitize_html(article.body, sponsored=article.is_sponsored)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _source(attribution) -> dict:
    document = attribution.document
    via = attribution.via
    return {
        "publisher": document.publisher.name,
        "title": document.title,
        "url": document.url or None,
        "published_on": document.published_on.isoformat() if document.published_on else None,
        "intermediary": via.name if via else None,
        "relation": attribution.relation or None,
        "intermediary_url": attribution.via_url or None,
        # The chain of custody in order, the intermediary first ([] when first-hand).
        "chain": [
            {
                "publisher": link.publisher.name,
                "relation": link.relation,
                "url": link.url or None,
                "date": link.on.isoformat() if link.on else None,
            }
            for link in chain(attribution)
        ],
    }


def _verification(claim) -> dict:
    check = verification.current_verification(claim)
    return {
        "verified_by": verification.checker_name(check) if check else None,
        "verified_at": _time(check.checked_at) if check else None,
    }


def content(article: Article) -> dict:
    """What the record says about ``article`` now (without version, issue time and key)."""
    sponsorship = article.sponsorship_or_none
    with labels.in_language(article):
        label = str(sponsorship.label) if sponsorship else None
    bylines = article.bylines.select_related("author").order_by("position", "pk")
    review = article.reviews.order_by("-reviewed_at", "-pk").first()
    return {
        "format": FORMAT,
        "article_id": article.pk,
        "article_version": article.version,
        "url": settings.SITE_URL + article.get_absolute_url(),
        "published_at": _time(article.published_at),
        "headline": article.headline,
        "language": article.language,
        "body_sha256": body_sha256(article),
        "type_of_work": article.work_type.value,
        "ai_involvement": article.ai_involvement,
        "label": label,
        "sponsor": sponsorship.sponsor.name if sponsorship else None,
        "bylines": [
            {"name": b.author.name, "kind": b.author.kind, "role": b.role} for b in bylines
        ],
        "review": {
            "reviewer": review.reviewer_name,
            "reviewed_at": _time(review.reviewed_at),
            "reviewed_version": review.version,
        }
        if review
        else None,
        "claims": [
            {
                "text": claim.text,
                "sources": [_source(a) for a in claim.attributions.all()],
                # Who verified it against its sources' passages, as it reads now; null
                # when nobody has (or it changed since), so a record never claims it.
                **_verification(claim),
            }
            for claim in sourced_claims(article)
        ],
    }


def _said(payload: dict) -> dict:
    return {key: value for key, value in payload.items() if key not in VOLATILE}


def latest(article: Article) -> ProvenanceRecord | None:
    return ProvenanceRecord.objects.filter(article=article).order_by("-version").first()


def ensure_record(article: Article) -> ProvenanceRecord:
    """The record of what ``article`` (published) says now: the latest one if it still
    says that, else a new version, signed now. Safe to call any number of times."""
    article = Article.objects.select_related("sponsorship__sponsor").get(pk=article.pk)
    said = content(article)
    current = latest(article)
    if current is not None and _said(current.payload) == said:
        return current
    key = signing.private_key()
    version = current.version + 1 if current else 1
    payload = said | {
        "version": version,
        "issued_at": _time(timezone.now()),
        "key_id": signing.key_id(key.public_key()),
    }
    try:
        with transaction.atomic():
            return ProvenanceRecord.objects.create(
                article=article,
                version=version,
                payload=payload,
                signature=signing.sign(payload, key),
                key_id=payload["key_id"],
            )
    except IntegrityError:
        # Issued meanwhile by another process, for this same change.
        return ProvenanceRecord.objects.filter(article=article).order_by("-version").first()


def envelope(record: ProvenanceRecord) -> dict:
    """What the public endpoint serves for ``record``."""
    return {
        "record": record.payload,
        "signature": record.signature,
        "key_id": record.key_id,
        "algorithm": signing.ALGORITHM,
    }


def check(data, keys: dict) -> dict:
    """The record in envelope ``data`` if its signature is valid under one of ``keys``
    (key id -> public key); raises ``Invalid`` saying why otherwise."""
    if not isinstance(data, dict) or not isinstance(data.get("record"), dict):
        raise Invalid("malformed record: no “record” object")
    record, signature = data["record"], data.get("signature")
    if not isinstance(signature, str):
        raise Invalid("malformed record: no “signature”")
    if data.get("algorithm", signing.ALGORITHM) != signing.ALGORITHM:
        raise Invalid(f"unsupported algorithm {data.get('algorithm')!r}")
    kid = record.get("key_id")
    if data.get("key_id", kid) != kid:
        raise Invalid("key id mismatch: the envelope and the record name different keys")
    if kid not in keys:
        raise Invalid(f"unknown key {kid!r}: not among the published keys")
    try:
        valid = signing.verify(record, signature, keys[kid])
    except ValueError as exc:  # a float, NaN or the like: never in a record we sign
        raise Invalid(f"malformed record: {exc}") from exc
    if not valid:
        raise Invalid("signature mismatch: the record was changed or signed by another key")
    return record


# -- issuing after publication --------------------------------------------------------


def on_articles_changed(sender, articles: list[Article], action: str, **kwargs) -> None:
    """Receiver for ``workflow.articles_changed`` (after commit): every published article
    among ``articles`` gets its record for what it says now. Never fails the change: a
    problem (say, no key in production) is logged, and the endpoint tries again."""
    if len(articles) > (INLINE_LIMIT if action == "publish" else 1) or action == "front_page":
        return
    live = Article.objects.published().filter(pk__in=[a.pk for a in articles])
    for article in live:
        try:
            ensure_record(article)
        except Exception:
            logger.exception("Could not issue the provenance record of article %s", article.pk)
