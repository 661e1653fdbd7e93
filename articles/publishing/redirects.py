"""Keeping old addresses working: the redirects a slug change leaves behind, and the
rules every redirect keeps (one hop, no loop), whoever saves it.

Slug changes are caught by ``pre_save``/``post_save`` receivers on ``Article``,
``Section``, ``Author`` and taggit's ``Tag`` (connected in ``articles.apps``) rather than
in one workflow function: every door that can change a slug (the admin pages, a future
API field, a command, the shell) ends in ``Model.save()``, sections, authors and tags
have no workflow module at all, and the navigation purge of a section already works
this way. The receivers do nothing when the slug is unchanged, and
``QuerySet.update(slug=…)`` is not a door anyone uses (it would skip them, as it skips
the text sanitiser).
"""

from __future__ import annotations

from django.db import transaction
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from simple_history.models import HistoricalRecords
from taggit.models import Tag

from articles.models import Article, Author, Redirect, Section
from articles.models.redirects import PAGE_URLS, TARGETS

# A chain of fixed targets is followed this far before it is called a loop.
MAX_HOPS = 10


class RedirectProblem(ValueError):
    """A redirect that would loop, or lead nowhere; the message is for the editor."""


# -- old public URLs ---------------------------------------------------------------------


Record = Article | Section | Author | Tag
NAMES = {Article: "article", Section: "section", Author: "author", Tag: "tag"}


def public_paths(instance: Record, slug: str) -> list[tuple[str, bool]]:
    """The public paths ``instance`` answers at under ``slug``, each with whether it is
    a feed (sections and authors have one)."""
    page, feed = PAGE_URLS[NAMES[type(instance)]]
    try:
        paths = [(reverse(page, args=[slug]), False)]
    except NoReverseMatch:
        return []  # a slug no URL can carry (tags stored before 0014): readers never had it
    return paths + ([(reverse(feed, args=[slug]), True)] if feed else [])


def was_public(row: dict) -> bool:
    """Whether readers could ever have had the URL of a stored article row (published
    now, or withdrawn after publication); a section's, author's or tag's always was."""
    if "status" not in row:
        return True
    return row["published_at"] is not None and row["status"] in (
        Article.Status.PUBLISHED,
        Article.Status.UNPUBLISHED,
    )


def _target_of(instance: Record) -> dict:
    """The redirect fields that lead to ``instance``: its own set, the others empty."""
    return dict.fromkeys(TARGETS) | {NAMES[type(instance)]: instance}


# -- the receivers -------------------------------------------------------------------------


def on_slug_saving(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """``pre_save``: note the stored slug, and whether readers had it, when this save
    changes it (one query by primary key; none when the save names its fields)."""
    instance._slug_change = None
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and "slug" not in update_fields:
        return
    fields = ["slug", "status", "published_at"] if sender is Article else ["slug"]
    row = sender._default_manager.filter(pk=instance.pk).values(*fields).first()
    if row and row["slug"] != instance.slug:
        instance._slug_change = (row["slug"], was_public(row))


def on_slug_saved(sender, instance, raw=False, **kwargs) -> None:
    """``post_save``: the old addresses lead to the record; its own address leads nowhere
    else (taking back an old slug removes that redirect, which would otherwise loop)."""
    change, instance._slug_change = getattr(instance, "_slug_change", None), None
    if raw or change is None:
        return
    old_slug, was_seen = change
    current = [path for path, _ in public_paths(instance, instance.slug)]
    target = _target_of(instance)
    gone = Redirect.objects.filter(old_path__in=current, **{NAMES[type(instance)]: instance})
    for redirect in gone:
        _delete(redirect, reason=f"{redirect.old_path} is this record's address again")
    if not was_seen:
        return
    user = _current_user()
    for path, feed in public_paths(instance, old_slug):
        note = f"Slug changed from “{old_slug}” to “{instance.slug}”."
        redirect = Redirect.objects.filter(old_path=path).first() or Redirect(old_path=path)
        for name, record in target.items():
            setattr(redirect, name, record)
        redirect.to_feed, redirect.target_url, redirect.permanent = feed, "", True
        redirect.kind, redirect.note = Redirect.Kind.AUTOMATIC, note
        if redirect._state.adding:
            redirect.created_by = user
        _save(redirect, reason=note)
        collapse_into(redirect)


# -- one hop, no loop ------------------------------------------------------------------------


def collapse_into(redirect: Redirect) -> None:
    """Redirects whose fixed target is ``redirect``'s old address lead straight to its
    target instead, so a reader gets one 301, not a chain."""
    for other in Redirect.objects.filter(target_url=redirect.old_path).exclude(pk=redirect.pk):
        for name in TARGETS:
            setattr(other, f"{name}_id", getattr(redirect, f"{name}_id"))
        other.to_feed, other.target_url = redirect.to_feed, redirect.target_url
        if other.target_url == other.old_path:  # it led back to itself: nothing to keep
            _delete(other, reason=f"{other.old_path} would redirect to itself")
        else:
            _save(other, reason=f"Now leads straight past {redirect.old_path}")


def resolve_target(old_path: str, target_url: str) -> dict:
    """The final target of a manual redirect from ``old_path`` to the fixed
    ``target_url``: the record behind it when it is an article's or a section's
    address, or the end of a chain of redirects it starts (followed up to ``MAX_HOPS``).
    Raises ``RedirectProblem`` for a loop back to ``old_path``."""
    seen = [old_path]
    path = target_url
    for _ in range(MAX_HOPS):
        if path in seen:
            chain = " → ".join([*seen, path])
            raise RedirectProblem(f"This would make a redirect loop: {chain}.")
        if record := _record_at(path):
            return record
        nxt = Redirect.objects.filter(old_path=path).select_related(*TARGETS).first()
        if nxt is None:
            return {"target_url": path}
        seen.append(path)
        if nxt.target_name is not None:
            record = {name: getattr(nxt, name) for name in TARGETS} | {"to_feed": nxt.to_feed}
            if nxt.target_path() == old_path:
                chain = " → ".join([*seen, old_path])
                raise RedirectProblem(f"This would make a redirect loop: {chain}.")
            return record
        path = nxt.target_url
    raise RedirectProblem(f"The chain from {target_url} is longer than {MAX_HOPS} redirects.")


# The public pages that belong to a record: the URL name, the record's model, and
# whether it is a feed.
RECORD_PAGES = {
    "detail": (Article, False),
    "section": (Section, False),
    "section_feed": (Section, True),
    "author": (Author, False),
    "author_feed": (Author, True),
    "tag": (Tag, False),
}


def _record_at(path: str) -> dict | None:
    """The article, section, author or tag whose own address ``path`` is (a redirect
    to it then follows later slug changes), or None."""
    if "://" in path:
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    slug = match.kwargs.get("slug")
    if match.namespace != "articles" or slug is None or match.url_name not in RECORD_PAGES:
        return None
    model, feed = RECORD_PAGES[match.url_name]
    record = model._default_manager.filter(slug=slug).first()
    return record and _target_of(record) | {"to_feed": feed}


def save_manual(redirect: Redirect, *, by) -> Redirect:
    """Save an editor's redirect: its target resolved to one hop, then the chains that
    led to its old address collapsed onto it. Raises ``RedirectProblem`` for a loop."""
    with transaction.atomic():
        if redirect.target_url:
            target = resolve_target(redirect.old_path, redirect.target_url)
            for name in TARGETS:
                setattr(redirect, name, target.get(name))
            redirect.to_feed = target.get("to_feed", False)
            redirect.target_url = target.get("target_url", "")
        elif redirect.target_name is not None and redirect.target_path() == redirect.old_path:
            raise RedirectProblem("This address is the target's own: it would loop.")
        if redirect.target_url == redirect.old_path:
            raise RedirectProblem("An address cannot redirect to itself.")
        if redirect._state.adding:
            redirect.created_by = by
        redirect.kind = Redirect.Kind.MANUAL
        redirect.save()
        collapse_into(redirect)
    return redirect


# -- saving with history -------------------------------------------------------------------


def _current_user():
    """The signed-in user of the request being answered, if any (simple_history's
    middleware keeps it), so an automatic redirect names who changed the slug."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _save(redirect: Redirect, *, reason: str) -> None:
    redirect._change_reason = reason
    redirect.save()


def _delete(redirect: Redirect, *, reason: str) -> None:
    redirect._change_reason = reason
    redirect.delete()
