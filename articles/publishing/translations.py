"""Translations of an article: the rules, in one place, and the siblings readers are shown.

An article may name the original it translates (``Article.translation_of``). The rules,
checked by the admin's form, the API's drafts and the demo loader alike:

- one level: the original is not itself a translation, and an article with translations
  of its own is an original, not a translation;
- every member of a family is in its own language: a translation differs from its
  original and from the other translations (an original changing its language too);
- the desk firewall: the original is one the editor may read, and on the same desk (a
  commercial piece never translates journalism, nor journalism a commercial piece).

The database backs the first two where it can alone (``articles.models.translation``).
Readers and partners see only *published* siblings: a draft translation is never named.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q

from articles.models import Article
from articles.querysets import readable_desks

LANGUAGES = dict(settings.ARTICLE_LANGUAGES)


def _language(code: str) -> str:
    return LANGUAGES.get(code, code)


def problems(article: Article, *, original: Article | None, language: str, user=None) -> dict:
    """Why ``article`` (in ``language``) may not translate ``original`` (None: it is an
    original), as {field: message}; empty when all is well. ``user``: the editor choosing."""
    found = {}
    if original is not None:
        if original.pk is not None and original.pk == article.pk:
            found["translation_of"] = "An article cannot be a translation of itself."
        elif user is not None and not (
            original.status == Article.Status.PUBLISHED or original.desk in readable_desks(user)
        ):
            found["translation_of"] = "Choose an article you may read."
        elif original.translation_of_id is not None:
            found["translation_of"] = (
                f"“{original}” is itself a translation: choose the original it translates."
            )
        elif article.pk is not None and article.translations.exists():
            found["translation_of"] = (
                "This article has translations of its own, so it is an original: it cannot "
                "be a translation too."
            )
        elif original.desk != article.desk:
            found["translation_of"] = (
                f"A translation stays on its original's desk: “{original}” is "
                f"{Article.Desk(original.desk).label.lower()} work."
            )
        elif original.language == language:
            found["language"] = (
                f"“{original}” is in {_language(language)} too: a translation is in another "
                "language."
            )
        elif clash := _translation_in(original.pk, language, exclude=article.pk):
            found["language"] = (
                f"“{original}” already has a {_language(language)} translation: “{clash}”."
            )
    elif article.pk is not None and (clash := _translation_in(article.pk, language)):
        found["language"] = (
            f"“{clash}” is this article's {_language(language)} translation: an original and "
            "its translations are each in their own language."
        )
    return found


def _translation_in(original_pk: int, language: str, exclude: int | None = None):
    rows = Article.objects.filter(translation_of=original_pk, language=language)
    return rows.exclude(pk=exclude).only("headline").first() if exclude else rows.first()


def check(article: Article, *, original: Article | None, language: str, user=None) -> None:
    """``problems``, raised as a ValidationError keyed by field."""
    if found := problems(article, original=original, language=language, user=user):
        raise ValidationError({field: [message] for field, message in found.items()})


# -- what readers and partners see ------------------------------------------------------


def attach_siblings(articles: list[Article]) -> None:
    """Give each of ``articles`` its ``published_siblings``: its published original and
    translations, the article itself left out, the original first and the rest by
    language. One query, however many articles."""
    if not articles:
        return
    roots = {a.translation_of_id or a.pk for a in articles}
    family: dict[int, list[Article]] = defaultdict(list)
    rows = (
        Article.objects.published()
        .filter(Q(pk__in=roots) | Q(translation_of__in=roots))
        .select_related("sponsorship")
        .defer("body", "search_vector")
        .order_by("language", "pk")
    )
    for row in rows:
        family[row.translation_of_id or row.pk].append(row)
    for article in articles:
        members = family.get(article.translation_of_id or article.pk, [])
        article.published_siblings = sorted(
            (m for m in members if m.pk != article.pk),
            key=lambda m: m.translation_of_id is not None,
        )


def published_siblings(article: Article) -> list[Article]:
    """``article``'s published original and translations (attached if not yet)."""
    if not hasattr(article, "published_siblings"):
        attach_siblings([article])
    return article.published_siblings


def family_pks(articles: list[Article]) -> dict[int, set[int]]:
    """For each of ``articles``, the pks of its whole family whatever their state (itself
    included): the pages a change of it may change. One query."""
    roots = {a.pk: a.translation_of_id or a.pk for a in articles}
    members: dict[int, set[int]] = defaultdict(set)
    family = Article.objects.filter(
        Q(pk__in=set(roots.values())) | Q(translation_of__in=set(roots.values()))
    )
    for pk, of in family.values_list("pk", "translation_of_id"):
        members[of or pk].add(pk)
    return {pk: members[root] | {pk} for pk, root in roots.items()}
