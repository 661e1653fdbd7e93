"""The curated front page: which story the home page shows in each of its top positions.

Editors pin a published story to a position (0 is the lead) until a time; a position
whose pin has expired, or whose story readers can no longer see, is filled automatically,
newest first, as the home page always was, never repeating a pinned story. A sponsored
piece may be pinned only to a slot marked "sponsored", and such a slot takes only a
sponsored piece: a pin that stops matching (the piece gained or lost its sponsorship) is
ignored until an editor fixes it. Every change is recorded (the slots' history: who, when,
what) and refreshes the home page at once, through ``workflow.articles_changed`` as any
change of the stories shown does.

Who curates: the newsroom's editors (``articles.change_frontpageslot``). The commercial
desk has no say in placement, as the firewall between the desks requires; it is the
editors who decide where a labelled piece may appear, by marking slots.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import TOP_STORIES, Article, FrontPageSlot
from articles.publishing import workflow

Kind = FrontPageSlot.Kind
# A pin left without an end lasts this long: a front page nobody revisits goes automatic.
DEFAULT_PIN = dt.timedelta(hours=24)


class FrontPageError(ValueError):
    """A front page that cannot be saved; ``problems`` maps positions to what is wrong."""

    def __init__(self, problems: dict[int | None, str]):
        self.problems = problems
        super().__init__("; ".join(problems.values()))


@dataclass(frozen=True)
class Placement:
    """What one position should be: its kind, and the story pinned there until when."""

    kind: str = Kind.TOP
    article: Article | None = None
    pinned_until: dt.datetime | None = None


# -- reading ------------------------------------------------------------------------


def current_pins(now: dt.datetime | None = None) -> dict[int, int]:
    """Position → article id of every pin readers should see now, in one query: the pin
    not expired, the story published, and sponsored exactly when the slot is."""
    now = now or timezone.now()
    sponsored = Q(article__sponsorship__isnull=False)
    rows = (
        FrontPageSlot.objects.filter(
            Q(pinned_until__isnull=True) | Q(pinned_until__gt=now),
            # Whatever "readers may see it" means (embargoes, expiry): the one definition.
            article__in=Article.objects.published().values("pk"),
        )
        .filter((Q(kind=Kind.SPONSORED) & sponsored) | (~Q(kind=Kind.SPONSORED) & ~sponsored))
        .values_list("position", "article_id")
    )
    return dict(rows)


def compose(pins: dict[int, int], automatic: list[int], size: int = TOP_STORIES) -> list[int]:
    """The ids of the top ``size`` stories in order: pinned ones at their positions, the
    rest from ``automatic`` (newest first) without repeating a pinned one."""
    pinned = set(pins.values())
    fill = iter(pk for pk in automatic if pk not in pinned)
    order = []
    for position in range(size):
        pk = pins.get(position) or next(fill, None)
        if pk is not None:
            order.append(pk)
    return order


def layout() -> dict[int, FrontPageSlot]:
    """Every stored slot by position, with its story (for the editors' page)."""
    slots = FrontPageSlot.objects.select_related("article__sponsorship", "updated_by")
    return {slot.position: slot for slot in slots}


def kind_of(position: int, slots: dict[int, FrontPageSlot]) -> str:
    if position == 0:
        return Kind.LEAD
    slot = slots.get(position)
    return slot.kind if slot else Kind.TOP


# -- writing ------------------------------------------------------------------------


def can_curate(user) -> bool:
    return user.has_perm("articles.change_frontpageslot")


def problems_with(placements: dict[int, Placement], now: dt.datetime) -> dict[int | None, str]:
    """What stops ``placements`` from being saved, by position (None: the whole page)."""
    problems: dict[int | None, str] = {}
    seen: dict[int, int] = {}
    for position, place in sorted(placements.items()):
        if not 0 <= position < TOP_STORIES:
            problems[position] = f"Positions run from 1 to {TOP_STORIES}."
            continue
        if (position == 0) != (place.kind == Kind.LEAD):
            problems[position] = "The lead is the first position, and only the first."
            continue
        article = place.article
        if article is None:
            continue
        if article.pk in seen:
            problems[position] = (
                f"“{article.headline}” is already pinned at position {seen[article.pk] + 1}."
            )
            continue
        seen[article.pk] = position
        if not article.is_published or article.published_at > now:
            problems[position] = f"“{article.headline}” is not published: readers cannot see it."
        elif article.is_sponsored and place.kind != Kind.SPONSORED:
            problems[position] = (
                f"“{article.headline}” is sponsored: it may go only in a slot marked sponsored."
            )
        elif not article.is_sponsored and place.kind == Kind.SPONSORED:
            problems[position] = "A sponsored slot takes only a sponsored piece."
        elif place.pinned_until is not None and place.pinned_until <= now:
            problems[position] = "The pin would already have expired: choose a later time."
    return problems


def save(placements: dict[int, Placement], *, by, reason: str = "") -> list[FrontPageSlot]:
    """Make the front page's slots ``placements`` (positions not given are left as they
    are), record who changed what, and refresh the home page. Refuses the whole change
    (``FrontPageError``) if any position is wrong; ``PermissionDenied`` unless ``by``
    may curate."""
    if not can_curate(by):
        raise PermissionDenied("Only editors may change the front page.")
    now = timezone.now()
    placements = {
        position: Placement(
            kind=place.kind,
            article=place.article,
            pinned_until=(place.pinned_until or now + DEFAULT_PIN) if place.article else None,
        )
        for position, place in placements.items()
    }
    if problems := problems_with(placements, now):
        raise FrontPageError(problems)
    try:
        return _save(placements, by=by, reason=reason)
    except IntegrityError:
        # Two editors creating the same position at once: the second is told, not a 500.
        raise FrontPageError(
            {None: "Someone else changed the front page at the same moment: check it, then save."}
        ) from None


def _save(placements: dict[int, Placement], *, by, reason: str) -> list[FrontPageSlot]:
    changed, moved = [], {}
    with transaction.atomic():
        locked = FrontPageSlot.objects.select_related("article").select_for_update(of=("self",))
        stored = {slot.position: slot for slot in locked}
        for position, place in sorted(placements.items()):
            slot = stored.get(position) or FrontPageSlot(position=position)
            wanted = (place.kind, place.article.pk if place.article else None, place.pinned_until)
            if slot.pk and (slot.kind, slot.article_id, slot.pinned_until) == wanted:
                continue
            if not slot.pk and wanted == (place.kind, None, None) and place.kind != Kind.SPONSORED:
                continue  # an automatic position needs no row
            if slot.article_id:
                moved[slot.article_id] = slot.article
            if place.article:
                moved[place.article.pk] = place.article
            slot.kind, slot.article, slot.pinned_until = (
                place.kind,
                place.article,
                place.pinned_until,
            )
            slot.updated_by = by
            slot._history_user = by
            slot._change_reason = reason or _describe(slot)
            slot.save()
            changed.append(slot)
        # The pages of the stories that came and went, the home page among them, are
        # refreshed once this commits (``workflow.articles_changed``; no webhook event).
        if moved:
            workflow.notify_many(list(moved.values()), "front_page")
    return changed


def _describe(slot: FrontPageSlot) -> str:
    if slot.article is None:
        return f"{slot}: automatic"
    until = timezone.localtime(slot.pinned_until)
    return f"{slot}: “{slot.article.headline}” pinned until {until:%Y-%m-%d %H:%M %Z}"
