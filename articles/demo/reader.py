"""Reads the demo's YAML content and checks it, so that a mistake names the file it is in.

``newsroom.yaml`` holds the users, sections, authors, sponsors, publishers, source
documents and named attributions, and lists the articles in the order they are loaded;
each article is ``articles/<slug>.yaml``. The result is plain dicts and lists, with
every claim's sources spelled out, ready for the loader.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import yaml
from django.contrib.auth import get_user_model
from django.db import models

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
from articles.publishing import roles
from sources.models import Attribution, AttributionHop, Claim, Publisher, SourceDocument

CONTENT_DIR = Path(__file__).with_name("content")

# Keys whose value names a row defined earlier in the content, and which kind of row.
REFERENCES = {
    "user": "users",
    "supervising_editor": "users",
    "created_by": "users",
    "reviewer": "users",
    "section": "sections",
    "author": "authors",
    "sponsor": "sponsors",
    "publisher": "publishers",
    "via": "publishers",
    "document": "documents",
}


class ContentError(ValueError):
    """A demo content file that cannot be loaded as it stands."""


class _Shape(NamedTuple):
    model: type[models.Model] | None  # whose field choices the values are checked against
    required: list[str]
    optional: list[str]


def _shape(model: type[models.Model] | None, required: str, optional: str = "") -> _Shape:
    return _Shape(model, required.split(), optional.split())


_NEWSROOM = _shape(
    None, "users sections authors sponsors publishers documents articles", "attributions"
)
_USER = _shape(get_user_model(), "username password role groups fields")
_USER_FIELDS = _shape(get_user_model(), "", "first_name last_name is_superuser")
_SECTION = _shape(Section, "slug name", "position description")
_AUTHOR = _shape(
    Author,
    "slug name",
    "kind user job_title beats email bio operator operator_url system supervising_editor "
    "disclosure",
)
_SPONSOR = _shape(Sponsor, "slug name", "website description")
_PUBLISHER = _shape(Publisher, "name", "kind url")
_DOCUMENT = _shape(SourceDocument, "title publisher kind days_ago", "url")
_ATTRIBUTION = _shape(Attribution, "document", "via relation via_url via_days_ago hops")
# A further intermediary in a chain of custody, after the attribution's `via`.
_HOP = _shape(AttributionHop, "publisher relation", "url days_ago")
_ARTICLE = _shape(
    Article,
    "headline section type_of_work status bylines tags body",
    "dek ai_involvement desk created_by hours_ago review sponsorship corrections claims "
    "language translation_of",
)
_ARTICLE_PARTS = {
    "review": _shape(HumanReview, "reviewer hours_before_publication note"),
    "sponsorship": _shape(Sponsorship, "sponsor kind disclosure campaign_days"),
}
_ARTICLE_LISTS = {
    "bylines": _shape(Byline, "author role"),
    "corrections": _shape(Correction, "kind text hours_after"),
    "claims": _shape(Claim, "text sources", "passages"),
}


@dataclass(frozen=True)
class DemoContent:
    users: list[dict]
    sections: list[dict]
    authors: list[dict]
    sponsors: list[dict]
    publishers: list[dict]
    documents: dict[str, dict]
    articles: list[dict]  # in load order, each with its slug


@functools.cache
def demo_content() -> DemoContent:
    """The demo as shipped, read once per process."""
    return read_content(CONTENT_DIR)


def read_content(directory: Path) -> DemoContent:
    """The content under ``directory``, checked; raises ContentError naming the faulty file."""
    path = directory / "newsroom.yaml"
    check = _Checker(path, names={})
    newsroom = check.record(_read(path), _NEWSROOM, "")
    # Checked in the order the loader creates rows, so a reference is accepted
    # exactly when the row it names will exist by then.
    users = check.records(newsroom["users"], _USER, "users", "username")
    for i, user in enumerate(users):
        check.record(user["fields"], _USER_FIELDS, f"users[{i}].fields")
        for group in check.strings(user["groups"], f"users[{i}].groups"):
            if group not in roles.ROLE_PERMISSIONS:
                check.fail(f"users[{i}].groups", f"no role group {group!r}")
    sections = check.records(newsroom["sections"], _SECTION, "sections", "slug")
    authors = check.records(newsroom["authors"], _AUTHOR, "authors", "slug")
    sponsors = check.records(newsroom["sponsors"], _SPONSOR, "sponsors", "slug")
    publishers = check.records(newsroom["publishers"], _PUBLISHER, "publishers", "name")
    documents = check.mapping(newsroom["documents"], "documents")
    for key, document in documents.items():
        check.record(document, _DOCUMENT, f"documents.{key}")
    check.names["documents"] = set(documents)
    attributions = check.mapping(newsroom.get("attributions", {}), "attributions")
    for name, attribution in attributions.items():
        check.attribution(attribution, f"attributions.{name}")

    order = check.strings(newsroom["articles"], "articles")
    files = {file.stem for file in (directory / "articles").glob("*.yaml")}
    for slug in order:
        if order.count(slug) > 1:
            check.fail("articles", f"{slug!r} is listed more than once")
        if slug not in files:
            check.fail("articles", f"{slug!r} has no file articles/{slug}.yaml")
    for slug in sorted(files - set(order)):
        check.fail("articles", f"articles/{slug}.yaml is not listed")
    articles = [
        _read_article(directory / "articles" / f"{slug}.yaml", check.names, attributions)
        for slug in order
    ]
    for i, article in enumerate(articles):
        # A translation names its original by slug, listed (so loaded) before it.
        original = article.get("translation_of")
        if original is not None and original not in order[:i]:
            raise ContentError(
                f"articles/{article['slug']}.yaml: translation_of: {original!r} is not an "
                "article listed before it"
            )
    return DemoContent(users, sections, authors, sponsors, publishers, documents, articles)


def _read_article(path: Path, names: dict[str, set[str]], attributions: dict) -> dict:
    check = _Checker(path, names)
    article = check.record(_read(path), _ARTICLE, "")
    for key, shape in _ARTICLE_PARTS.items():
        if key in article:
            check.record(article[key], shape, key)
    for key, shape in _ARTICLE_LISTS.items():
        if key in article:
            check.records(article[key], shape, key)
    for i, claim in enumerate(article.get("claims", [])):
        sources = check.list(claim["sources"], f"claims[{i}].sources")
        claim["sources"] = [
            check.source(source, attributions, f"claims[{i}].sources[{j}]")
            for j, source in enumerate(sources)
        ]
        # The words of each source that support the claim, in the order of its sources.
        passages = check.strings(claim.get("passages", []), f"claims[{i}].passages")
        if len(passages) > len(sources):
            check.fail(f"claims[{i}].passages", "more passages than sources")
        for source, passage in zip(claim["sources"], passages, strict=False):
            source["passage"] = " ".join(passage.split())
        claim.pop("passages", None)
    return {"slug": path.stem, **article}


def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as stream:
            return yaml.safe_load(stream)
    except OSError as error:
        raise ContentError(f"{path}: cannot be read: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: not valid YAML: {error}") from error


class _Checker:
    """Checks the records of one file; ``names`` collects the natural keys seen so far."""

    def __init__(self, path: Path, names: dict[str, set[str]]):
        self.path = path
        self.names = names

    def fail(self, where: str, problem: str) -> NoReturn:
        raise ContentError(
            f"{self.path}: {where}: {problem}" if where else f"{self.path}: {problem}"
        )

    def record(self, value: Any, shape: _Shape, where: str) -> dict:
        spec = self.mapping(value, where)
        missing = [key for key in shape.required if key not in spec]
        if missing:
            self.fail(where, f"missing required key {', '.join(missing)}")
        allowed = [*shape.required, *shape.optional]
        unknown = [key for key in spec if key not in allowed]
        if unknown:
            self.fail(where, f"unknown key {', '.join(unknown)}; expected {', '.join(allowed)}")
        for key, item in spec.items():
            here = f"{where}.{key}" if where else key
            choices = _choices(shape.model, key)
            if choices is not None and item not in choices:
                self.fail(here, f"{item!r} is not one of {', '.join(choices)}")
            kind = REFERENCES.get(key)
            if kind and not (isinstance(item, str) and item in self.names.get(kind, ())):
                self.fail(here, f"{item!r} is not one of the {kind} in newsroom.yaml")
        return spec

    def records(self, value: Any, shape: _Shape, where: str, natural_key: str = "") -> list:
        """The records listed under ``where``; with a natural key, later records may name them."""
        items = self.list(value, where)
        specs = [self.record(item, shape, f"{where}[{i}]") for i, item in enumerate(items)]
        if natural_key:
            self.names[where] = {spec[natural_key] for spec in specs}
        return specs

    def source(self, value: Any, attributions: dict, where: str) -> dict:
        if isinstance(value, str):
            if value not in attributions:
                self.fail(where, f"no attribution {value!r} under attributions in newsroom.yaml")
            return dict(attributions[value])
        return self.attribution(value, where)

    def attribution(self, value: Any, where: str) -> dict:
        spec = self.record(value, _ATTRIBUTION, where)
        if "hops" in spec:
            self.records(spec["hops"], _HOP, f"{where}.hops")
        return spec

    def mapping(self, value: Any, where: str) -> dict:
        if not isinstance(value, dict):
            self.fail(where, f"expected a mapping, found {_kind(value)}")
        return value

    def list(self, value: Any, where: str) -> list:
        if not isinstance(value, list):
            self.fail(where, f"expected a list, found {_kind(value)}")
        return value

    def strings(self, value: Any, where: str) -> list[str]:
        items = self.list(value, where)
        if not all(isinstance(item, str) for item in items):
            self.fail(where, "expected a list of names")
        return items


def _choices(model: type[models.Model] | None, name: str) -> list[str] | None:
    field = {f.name: f for f in model._meta.concrete_fields}.get(name) if model else None
    return [str(value) for value, _ in field.flatchoices] if field and field.choices else None


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__
