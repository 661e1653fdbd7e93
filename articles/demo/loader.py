"""Creates whatever part of the demo newsroom is missing from the database."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from articles.demo.reader import REFERENCES, DemoContent, demo_content
from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    HumanReview,
    Section,
    Sponsor,
    Sponsorship,
)
from articles.publishing import roles, translations, unsourced
from sources import verification
from sources.chains import attribution_chain_problems
from sources.models import (
    Attribution,
    AttributionHop,
    Claim,
    ClaimCheck,
    Publisher,
    SourceDocument,
)

logger = logging.getLogger(__name__)


class _Loader:
    """Creates what is missing, remembering rows by natural key so later data can refer to them."""

    def __init__(self, now: datetime, content: DemoContent):
        self.now = now
        self.today = timezone.localdate(now)
        self.content = content
        self.counts: dict[str, list[int]] = {}
        # The rows loaded so far, by kind (as in REFERENCES) and natural key.
        self.rows: dict[str, dict[str, models.Model]] = {kind: {} for kind in REFERENCES.values()}

    def ensure(self, model: type[models.Model], key: tuple[str, ...], **values) -> models.Model:
        """The row whose ``key`` fields match ``values``; created from ``values`` if missing."""
        values = {
            name: self.rows[REFERENCES[name]][value]
            if name in REFERENCES and isinstance(value, str)
            else value
            for name, value in values.items()
        }
        obj = model._default_manager.filter(**{name: values[name] for name in key}).first()
        created = obj is None
        if created:
            obj = model(**values)
            obj.full_clean()  # the demo data obeys the same rules as an editor's input
            obj.save()
        label = str(model._meta.verbose_name_plural).capitalize()
        self.counts.setdefault(label, [0, 0])[0 if created else 1] += 1
        return obj

    def ensure_all(self, kind: str, model: type[models.Model], specs: list[dict], key: str):
        for spec in specs:
            self.rows[kind][spec[key]] = self.ensure(model, (key,), **spec)

    def load(self) -> dict[str, tuple[int, int]]:
        content = self.content
        self.load_users()
        self.ensure_all("sections", Section, content.sections, "slug")
        self.ensure_all("authors", Author, content.authors, "slug")
        self.ensure_all("sponsors", Sponsor, content.sponsors, "slug")
        self.ensure_all("publishers", Publisher, content.publishers, "name")
        for ref, spec in content.documents.items():
            published_on = self.today - timedelta(days=spec["days_ago"])
            fields = {name: value for name, value in spec.items() if name != "days_ago"}
            self.rows["documents"][ref] = self.ensure(
                SourceDocument, ("title", "publisher"), published_on=published_on, **fields
            )
        for spec in content.articles:
            self.load_article(**spec)
        return {label: (created, existing) for label, (created, existing) in self.counts.items()}

    def load_users(self) -> None:
        roles.sync_roles()
        for spec in self.content.users:
            username, password = spec["username"], spec["password"]
            user = self.ensure(
                get_user_model(),
                ("username",),
                username=username,
                email=f"{username}@example.com",
                is_staff=True,
                password=make_password(None),
                **spec["fields"],
            )
            # Reset only when it no longer matches, so the printed log-ins always work
            # and an unchanged demo is left untouched.
            if not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            # Only the missing groups: add() would otherwise re-insert (and ignore) rows.
            user.groups.add(*Group.objects.filter(name__in=spec["groups"]).exclude(user=user))
            self.rows["users"][username] = user

    def translation_of(self, slug: str, fields: dict) -> Article:
        original = Article.objects.get(slug=slug)
        _translation_rules(fields["slug"], original, fields)
        return original

    def load_article(
        self,
        *,
        body: str,
        bylines: Sequence[dict],
        tags: Sequence[str],
        hours_ago: int | None = None,
        sponsorship: dict | None = None,
        review: dict | None = None,
        corrections: Sequence[dict] = (),
        claims: Sequence[dict] = (),
        translation_of: str | None = None,
        **fields,
    ) -> None:
        published_at = None if hours_ago is None else self.now - timedelta(hours=hours_ago)
        existed = Article.objects.filter(slug=fields["slug"]).exists()
        if translation_of is not None:
            fields["translation_of"] = self.translation_of(translation_of, fields)
        article = self.ensure(
            Article, ("slug",), body=" ".join(body.split()), published_at=published_at, **fields
        )
        article.tags.add(*tags)
        for position, byline in enumerate(bylines):
            self.ensure(
                Byline,
                ("article", "author", "role"),
                article=article,
                author=byline["author"],
                role=byline["role"],
                position=position,
            )
        if sponsorship:
            starts, ends = sponsorship["campaign_days"]
            self.ensure(
                Sponsorship,
                ("article",),
                article=article,
                sponsor=sponsorship["sponsor"],
                kind=sponsorship["kind"],
                disclosure=sponsorship["disclosure"],
                campaign_starts_on=self.today + timedelta(days=starts),
                campaign_ends_on=self.today + timedelta(days=ends),
            )
        reviewer = self.rows["users"][review["reviewer"]] if review else None
        if review:
            hours = review["hours_before_publication"]
            self.ensure(
                HumanReview,
                # Not keyed on version: a later edit must never gain a review by re-running.
                ("article", "reviewer"),
                article=article,
                reviewer=reviewer,
                reviewer_name=reviewer.get_full_name(),
                version=article.version,
                note=review["note"],
                reviewed_at=article.published_at - timedelta(hours=hours),
            )
        for note in corrections:
            self.ensure(
                Correction,
                ("article", "kind", "text"),
                article=article,
                kind=note["kind"],
                text=note["text"],
                created_at=article.published_at + timedelta(hours=note["hours_after"]),
                created_by="editor",
            )
        for claim_spec in claims:
            if existed and Claim(article=article, text=claim_spec["text"]).is_detached():
                # A database seeded by an older demo keeps its older text: a claim added
                # to the demo since cannot quote it. Said, never a traceback.
                logger.warning(
                    "Demo article %s is stored in an older form: its claim “%s” is left "
                    "out (seed a fresh database to get it).",
                    article.slug,
                    claim_spec["text"],
                )
                continue
            claim = self.ensure(
                Claim, ("article", "text"), article=article, text=claim_spec["text"]
            )
            for position, source in enumerate(claim_spec["sources"]):
                self.load_attribution(claim, position, dict(source))
        article.reorder_claims()
        if review and unsourced.is_ai_written(article):
            # Its reviewer checked each claim against its passages as they read now.
            self.check_claims(article, reviewer, at=article.published_at - timedelta(hours=1))
        if article.published_at:
            # Loaded just now, but as readers see it, unchanged since it was published.
            Article.objects.filter(pk=article.pk, updated_at__gt=article.published_at).update(
                updated_at=article.published_at
            )


    def load_attribution(self, claim: Claim, position: int, source: dict) -> None:
        hops = source.pop("hops", [])
        if (days := source.pop("via_days_ago", None)) is not None:
            source["via_on"] = self.today - timedelta(days=days)
        attribution = self.ensure(
            Attribution, ("claim", "document"), claim=claim, position=position, **source
        )
        for hop_position, hop in enumerate(hops):
            hop = dict(hop)
            if (days := hop.pop("days_ago", None)) is not None:
                hop["on"] = self.today - timedelta(days=days)
            self.ensure(
                AttributionHop,
                ("attribution", "position"),
                attribution=attribution,
                position=hop_position,
                **hop,
            )
        # The chain obeys the rules an editor's does.
        if problems := attribution_chain_problems(attribution):
            raise ValidationError(problems)

    def check_claims(self, article: Article, reviewer, *, at: datetime) -> None:
        for claim in Claim.objects.filter(article=article).with_citations():
            if verification.has_passage(claim):
                self.ensure(
                    ClaimCheck,
                    # Not keyed on the fingerprint: an edit never gains a check by re-running.
                    ("claim", "checked_by"),
                    claim=claim,
                    verdict=ClaimCheck.Verdict.VERIFIED,
                    checked_by=reviewer,
                    checked_at=at,
                    fingerprint=verification.fingerprint(claim),
                )


def _translation_rules(slug: str, original: Article, fields: dict) -> None:
    """A new translation obeys the rules an editor's does (an existing one was checked)."""
    if not Article.objects.filter(slug=slug).exists():
        draft = Article(slug=slug, desk=fields.get("desk", Article.Desk.NEWSROOM))
        language = fields.get("language", draft.language)
        translations.check(draft, original=original, language=language)


def load_demo(*, now: datetime | None = None) -> dict[str, tuple[int, int]]:
    """Create whatever part of the demo newsroom is missing; ``(created, existing)`` per model."""
    content = demo_content()
    with transaction.atomic():
        return _Loader(now or timezone.now(), content).load()
