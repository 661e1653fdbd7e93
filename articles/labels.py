"""The fixed public wording of sponsorship labels and AI disclosures.

Every output (site, feeds, social cards, JSON-LD, API) takes its wording from
here; no template or serializer types a label of its own. The vocabulary is
keyed to the *kind* of sponsorship and follows the FTC's native-advertising
guidance: content a sponsor paid for and shaped is called advertising, never
"Promoted" or "Sponsored by"; funding without a say is "Supported by".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, pgettext, pgettext_lazy

# This module sits below the models: it imports nothing from the app, and the
# models call it (Sponsorship.label, Author.description, Image.reader_label).
#
# Every function answers in the active language (``in_language(article)`` makes it
# the article's). The sponsorship wording is not a translation: each market's term
# is set by its own rules, so it comes from the reviewed table below, never from a
# catalogue a translator can change. Everything else is gettext (locale/).


class SponsorshipKind(models.TextChoices):
    """The two kinds of sponsorship; each has its own fixed label below."""

    NATIVE_ADVERTISING = (
        "native_advertising",
        "Native advertising: the sponsor paid for, wrote, commissioned or influenced it",
    )
    UNDERWRITING = (
        "underwriting",
        "Underwriting: the sponsor funded the coverage and had no say in it",
    )


class Piece(Protocol):
    """What the byline and title wording reads from an article (``articles.models.Article``)."""

    headline: str
    language: str
    ai_involvement: str
    byline_list: list[Any]  # Byline rows in order, each with .author and .role
    has_ai_byline: bool
    latest_review: Any  # the newest HumanReview, or None
    sponsorship_or_none: Any  # the Sponsorship, or None


@dataclass(frozen=True)
class SponsorshipWording:
    """One market's sponsorship wording. Native advertising (the sponsor paid for and
    shaped it) is called advertising in that market's own legal term; underwriting
    (funding without a say) is named as support, never as advertising."""

    native_label: str  # above the headline and on every teaser
    native_sponsor_line: str  # who paid
    native_full_label: str  # label and sponsor in one phrase: titles, feeds, cards
    underwriting_label: str
    underwriting_disclaimer: str
    native_default_disclosure: str
    basis: str  # the rule the term follows (shown on "About our labels")


# The reviewed table. A change here is a standards decision: update the README's
# "Labels in the reader's language" notes with it.
SPONSORSHIP_WORDING: dict[str, SponsorshipWording] = {
    # United States, FTC Enforcement Policy Statement on Deceptively Formatted
    # Advertisements (2015) and its guide for businesses: "Advertisement", "Paid
    # Advertisement" or "Sponsored Advertising Content"; not "Promoted" or "Sponsored by".
    "en": SponsorshipWording(
        native_label="Sponsored Advertising Content",
        native_sponsor_line="Paid for by {sponsor}",
        native_full_label="Sponsored Advertising Content paid for by {sponsor}",
        underwriting_label="Supported by {sponsor}",
        underwriting_disclaimer=(
            "{sponsor} funded this coverage and had no role in choosing, reporting, "
            "writing or editing it."
        ),
        native_default_disclosure=(
            "This content was paid for by {sponsor} and produced for it by our commercial "
            "desk. Our newsroom's journalists were not involved in it."
        ),
        basis="FTC Enforcement Policy Statement on Deceptively Formatted Advertisements (2015)",
    ),
    # Germany: the state press laws (e.g. § 10 Landespressegesetz Baden-Württemberg,
    # § 10 Landespressegesetz NRW) require a paid publication to be marked with the word
    # "Anzeige"; § 22 (1) Medienstaatsvertrag requires advertising online to be clearly
    # recognisable and separated; BGH, 6 February 2014, I ZR 2/11 ("GOOD NEWS II"):
    # "sponsored by" is not enough. Deutscher Pressekodex, Ziffer 7.
    "de": SponsorshipWording(
        native_label="Anzeige",
        native_sponsor_line="Bezahlt von {sponsor}",
        native_full_label="Anzeige, bezahlt von {sponsor}",
        underwriting_label="Mit finanzieller Unterstützung von {sponsor}",
        underwriting_disclaimer=(
            "{sponsor} hat diese Berichterstattung finanziert und hatte keinen Einfluss auf "
            "Themenwahl, Recherche, Text oder Redaktion."
        ),
        native_default_disclosure=(
            "Dieser Inhalt wurde von {sponsor} bezahlt und von unserer Werbeabteilung für "
            "{sponsor} erstellt. Die Journalistinnen und Journalisten unserer Redaktion "
            "waren daran nicht beteiligt."
        ),
        basis="§ 10 Landespressegesetze; § 22 Medienstaatsvertrag; BGH I ZR 2/11",
    ),
    # France: loi n° 86-897 du 1er août 1986, article 10: an advertisement presented
    # as editorial must be preceded by the word « publicité » (or « communiqué »);
    # loi n° 2004-575 (LCEN), article 20: online advertising must be clearly
    # identifiable as such and name whom it is for. ARPP, Recommandation
    # « Communication publicitaire digitale ».
    "fr": SponsorshipWording(
        native_label="Publicité",
        native_sponsor_line="Contenu payé par {sponsor}",
        native_full_label="Publicité payée par {sponsor}",
        underwriting_label="Avec le soutien financier de {sponsor}",
        underwriting_disclaimer=(
            "{sponsor} a financé cette couverture et n’a joué aucun rôle dans le choix du "
            "sujet, l’enquête, la rédaction ou l’édition."
        ),
        native_default_disclosure=(
            "Ce contenu a été payé par {sponsor} et réalisé pour {sponsor} par notre service "
            "commercial. Les journalistes de notre rédaction n’y ont pas participé."
        ),
        basis="Loi n° 86-897, art. 10; loi n° 2004-575 (LCEN), art. 20",
    ),
    # Spain: Ley 34/1988 General de Publicidad, art. 9 (the media must perceptibly
    # separate information from advertising); Ley 34/2002 (LSSI), art. 20 (commercial
    # communications identifiable as such, and whom they are for); Ley 3/1991 de
    # Competencia Desleal, art. 26 (paid content passed off as information is
    # misleading). Autocontrol, Código de Conducta Publicitaria, norma 13.
    "es": SponsorshipWording(
        native_label="Publicidad",
        native_sponsor_line="Pagado por {sponsor}",
        native_full_label="Publicidad pagada por {sponsor}",
        underwriting_label="Con el apoyo económico de {sponsor}",
        underwriting_disclaimer=(
            "{sponsor} financió esta cobertura y no tuvo ningún papel en la elección del "
            "tema, la investigación, la redacción ni la edición."
        ),
        native_default_disclosure=(
            "Este contenido fue pagado por {sponsor} y elaborado para {sponsor} por nuestro "
            "departamento comercial. Los periodistas de nuestra redacción no participaron."
        ),
        basis="Ley 34/1988, art. 9; Ley 34/2002 (LSSI), art. 20; Ley 3/1991, art. 26",
    ),
    # Japan: the Premiums and Representations Act (景品表示法), art. 5 (3), and the
    # Consumer Affairs Agency's designation of stealth marketing (in force 1 October
    # 2023), whose guidance names 「広告」 among the clear labels.
    "ja": SponsorshipWording(
        native_label="広告",
        native_sponsor_line="提供：{sponsor}",
        native_full_label="広告（提供：{sponsor}）",
        underwriting_label="支援：{sponsor}",
        underwriting_disclaimer=(
            "{sponsor}はこの取材の費用を負担しましたが、テーマの選定、取材、執筆、"
            "編集には関与していません。"
        ),
        native_default_disclosure=(
            "この記事は{sponsor}が費用を負担し、当社の広告部門が制作したものです。"
            "編集部の記者は関与していません。"
        ),
        basis="景品表示法 第5条第3号（ステルスマーケティング告示、2023年）",
    ),
}

# The English terms, for messages to editors (which are in English).
NATIVE_ADVERTISING_LABEL = SPONSORSHIP_WORDING["en"].native_label
UNDERWRITING_LABEL = SPONSORSHIP_WORDING["en"].underwriting_label
NATIVE_ADVERTISING_SPONSOR_LINE = SPONSORSHIP_WORDING["en"].native_sponsor_line
UNDERWRITING_DISCLAIMER = SPONSORSHIP_WORDING["en"].underwriting_disclaimer
NATIVE_ADVERTISING_DEFAULT_DISCLOSURE = SPONSORSHIP_WORDING["en"].native_default_disclosure

# How each byline role reads, before the names.
ROLE_WORDS = {
    "by": pgettext_lazy("byline", "By"),
    "additional_reporting": pgettext_lazy("byline", "Additional reporting by"),
    "research": pgettext_lazy("byline", "Research by"),
    "edited_by": pgettext_lazy("byline", "Edited by"),
}


@contextmanager
def in_language(article: Any) -> Iterator[None]:
    """Everything said inside speaks ``article``'s language (its page, card, feed item)."""
    with translation.override(getattr(article, "language", None) or "en"):
        yield


def wording(language: str | None = None) -> SponsorshipWording:
    """The sponsorship wording for ``language`` (the active one by default); English for
    a language the table does not hold yet."""
    code = (language or translation.get_language() or "en").split("-")[0].lower()
    return SPONSORSHIP_WORDING.get(code, SPONSORSHIP_WORDING["en"])


def reader_date(moment: Any, format_name: str = "READER_DATE") -> str:
    """A date (or a datetime, in local time) in the active language's reader format
    (newsroom/formats/<language>/formats.py)."""
    if hasattr(moment, "tzinfo") and moment.tzinfo is not None:
        moment = timezone.localtime(moment)
    if translation.get_language() is None:
        # Translations off (the admin words its change messages so): the default language.
        with translation.override(settings.LANGUAGE_CODE):
            return formats.date_format(moment, format_name)
    return formats.date_format(moment, format_name)


def vocabulary(sponsor: str = "[sponsor]") -> list[dict[str, str]]:
    """Every market's labels and lines, for the “About our labels” page."""
    languages = dict(ARTICLE_LANGUAGE_NAMES)
    return [
        {
            "language": code,
            "language_name": languages.get(code, code),
            "native_label": entry.native_label,
            "native_sponsor_line": entry.native_sponsor_line.format(sponsor=sponsor),
            "underwriting_label": entry.underwriting_label.format(sponsor=sponsor),
            "underwriting_disclaimer": entry.underwriting_disclaimer.format(sponsor=sponsor),
            "basis": entry.basis,
        }
        for code, entry in SPONSORSHIP_WORDING.items()
    ]


ARTICLE_LANGUAGE_NAMES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ja", "日本語"),
]


def sponsorship_label(kind: str, sponsor: str) -> str:
    """The label shown above the headline and on every teaser."""
    if kind == SponsorshipKind.NATIVE_ADVERTISING:
        return wording().native_label
    return wording().underwriting_label.format(sponsor=sponsor)


def sponsorship_sponsor_line(kind: str, sponsor: str) -> str:
    """Who paid, and (for underwriting) that they had no say."""
    if kind == SponsorshipKind.NATIVE_ADVERTISING:
        return wording().native_sponsor_line.format(sponsor=sponsor)
    return wording().underwriting_disclaimer.format(sponsor=sponsor)


def sponsorship_full_label(kind: str, sponsor: str) -> str:
    """Label and sponsor in one phrase, for titles, feeds and cards."""
    if kind == SponsorshipKind.NATIVE_ADVERTISING:
        return wording().native_full_label.format(sponsor=sponsor)
    return sponsorship_label(kind, sponsor)


def default_disclosure(sponsor: str, language: str | None = None) -> str:
    """The disclosure a native-advertising piece gets when its desk writes none."""
    return wording(language).native_default_disclosure.format(sponsor=sponsor)


def ai_agent_description(operator: str) -> str:
    """What an AI-agent author is, in the words every byline uses."""
    return gettext("an AI agent operated by %(operator)s") % {"operator": operator}


def ai_generated_image_label() -> str:
    """Shown with every picture a generative AI made (Image.reader_label), wherever it appears."""
    return gettext("AI-generated image")


def byline_groups(article: Piece) -> list[tuple[str, list[Any]]]:
    """Bylines grouped by role in first-appearance order: [("By", [a, b]), ("Research by", [c])]."""
    groups: dict[str, list[Any]] = {}
    for byline in article.byline_list:
        words = ROLE_WORDS.get(byline.role)
        groups.setdefault(str(words) if words else byline.get_role_display(), []).append(
            byline.author
        )
    return list(groups.items())


def _names(authors: list[Any]) -> str:
    names = [
        f"{a.name}, {ai_agent_description(a.operator)}" if a.is_ai_agent else a.name
        for a in authors
    ]
    if len(names) == 1:
        return names[0]
    return pgettext("a list of names", "%(names)s and %(last)s") % {
        "names": ", ".join(names[:-1]),
        "last": names[-1],
    }


def reviewed_by(article: Piece) -> str:
    """“reviewed by Maria Okafor on 3 December 2026” for a piece with an AI-agent byline
    (the review of the version readers see: a live piece changes only with a new one);
    empty for other pieces."""
    if not article.has_ai_byline:
        return ""
    review = article.latest_review
    if review is None:
        return gettext("not yet reviewed by a human editor")
    return gettext("reviewed by %(name)s on %(date)s") % {
        "name": review.reviewer_name,
        "date": reader_date(review.reviewed_at),
    }


def byline_text(article: Piece) -> str:
    """The byline in words, e.g. “By Sift, an AI agent operated by Newsroom Media Ltd;
    reviewed by Maria Okafor” — for feeds, cards and the API."""
    parts = [f"{role} {_names(authors)}" for role, authors in byline_groups(article)]
    if review := reviewed_by(article):
        parts.append(review)
    return "; ".join(parts)


def teaser_ai_mark(article: Piece) -> str:
    """The short marker teasers carry for pieces an AI agent wrote or helped with."""
    if not article.has_ai_byline:
        return ""
    if article.ai_involvement == "generated":
        return gettext("Written by an AI agent")
    return gettext("AI-assisted")


def title_with_label(article: Piece) -> str:
    """Headline for <title>, feeds and social cards: the label first, as the FTC asks."""
    sponsorship = article.sponsorship_or_none
    if sponsorship is None:
        return article.headline
    return gettext("%(label)s: %(headline)s") % {
        "label": sponsorship.full_label,
        "headline": article.headline,
    }
