"""The two cleaners every piece of text passes through: the one HTML allow-list for
article bodies, and the plain-text rule that keeps out what XML cannot carry.

The admin editor (django-prose-editor), the article's ``save()`` and the
templates all use the allow-list, so what an editor can make is exactly
what is stored and what readers get. HTML from anywhere else (the API,
agents' Markdown) is cleaned by the same function.

Plain text is stored as typed, less the characters XML 1.0 cannot carry: one of them
in a headline would make every feed and sitemap showing it unreadable (Django's feed
writer refuses it; a sitemap would be malformed). Every text field of the articles
and sources apps (and of tags) passes through ``clean_text`` on save
(``clean_text_fields``, connected in ``articles.apps``). The feeds and the news sitemap
clean what they write once more, for rows written around the models; the sitemaps
print only URLs, which ``reverse()`` percent-encodes.
"""

import hashlib
import re
from functools import cache

import nh3
from django.db import models
from django.utils.text import slugify
from django_prose_editor.config import allowlist_from_extensions, expand_extensions
from taggit.managers import _TaggableManager

BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
}

# What XML 1.0 cannot carry (its Char production): C0 controls other than tab, LF and
# CR; surrogates (a lone one cannot even be encoded as UTF-8); U+FFFE and U+FFFF. Also
# DEL and the C1 controls: XML 1.0 allows but discourages them and XML 1.1 forbids them
# unescaped; in a newsroom's text they are only ever invisible debris (a Windows-1252
# text decoded as Latin-1), never something a reader should get.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """``value`` without the characters XML cannot carry (see ``XML_ILLEGAL``)."""
    return XML_ILLEGAL.sub("", value)


def clean_text_fields(sender, instance, **kwargs) -> None:
    """A ``pre_save`` receiver: every text value of ``instance`` through ``clean_text``.

    On save rather than in each form or serializer, so the admin, the API, management
    commands, tasks, the demo loader and fixtures cannot miss it. Only queryset
    ``update()`` and ``bulk_create()`` go around it: text written that way is cleaned
    where it is written.
    """
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, clean_text(value))


class CleanTagManager(_TaggableManager):
    """Tags by names through ``clean_text``, for every door that names them (the admin's
    tag field, the API, code).

    Cleaned before taggit looks the name up, not only when a new tag is saved: a name
    with a control character in it finds the existing tag without it, instead of making
    a new tag whose cleaned name would clash with that one.

    A new tag also gets a slug its page's URL can carry: taggit's own would be empty for
    a name with no letter or digit ("'", "<>") and keeps non-ASCII letters ("café"),
    and either made every page linking the tag fail (no URL to reverse).
    """

    def add(self, *tags, **kwargs):
        return super().add(*self._with_slugs(_clean_tags(tags)), **kwargs)

    def set(self, tags, **kwargs):
        return super().set(self._with_slugs(_clean_tags(tags)), **kwargs)

    def _with_slugs(self, tags: list) -> list:
        model = self.through.tag_model()
        for name in tags:
            if isinstance(name, str) and not model.objects.filter(name=name).exists():
                model.objects.create(name=name, slug=_tag_slug(model, name))
        return tags


def _clean_tags(tags) -> list:
    names = (clean_text(tag).strip() if isinstance(tag, str) else tag for tag in tags)
    return [tag for tag in names if tag != ""]


def _tag_slug(model, name: str) -> str:
    """An ASCII slug for a new tag named ``name``: its words, or failing that (or when
    taken) those followed by a digest of the name, which no other name shares."""
    slug = slugify(name)[:80]  # ASCII only: what the tag page's URL pattern accepts
    if slug and not model.objects.filter(slug=slug).exists():
        return slug
    digest = hashlib.sha256(name.encode()).hexdigest()[:12]
    return f"{slug}-{digest}" if slug else f"tag-{digest}"


# Passes after the first; in practice one settles it, the rest are a margin.
MAX_PASSES = 4

# Pictures and embeds in a body are markers the editor's body_media.js writes:
# <figure data-image="ID"></figure>, <figure data-embed="URL"></figure>. Pages and ninjs
# draw them (articles.site.body). Here only their shape is checked: which providers an
# embed may name is articles.media.embeds' rule, applied where bodies come in (the
# editor, the API), by the publish gates, and when they are drawn.
BODY_MEDIA_ATTRIBUTES = {"figure": {"data-image", "data-embed"}}
_IMAGE_ID = re.compile(r"[1-9][0-9]{0,17}")
_EMBED_URL = re.compile(r"https://[^\s\"'<>`]{1,492}")


def _media_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: a marker's value must look like what it names, or it goes."""
    if attribute == "data-image":
        return value if _IMAGE_ID.fullmatch(value) else None
    if attribute == "data-embed":
        return value if _EMBED_URL.fullmatch(value) else None
    return value


@cache
def _cleaner(sponsored: bool) -> nh3.Cleaner:
    allowlist = allowlist_from_extensions(expand_extensions(BODY_EXTENSIONS))
    # Exactly the editor's attributes: without a "*" entry nh3 allows lang and title anywhere.
    allowlist["attributes"] = {"*": set(), **allowlist["attributes"], **BODY_MEDIA_ATTRIBUTES}
    allowlist["tags"] = {*allowlist["tags"], *BODY_MEDIA_ATTRIBUTES}
    allowlist["attribute_filter"] = _media_attribute
    if sponsored:
        # Paid content: every link is marked as such for readers' agents and search engines.
        return nh3.Cleaner(**allowlist, set_tag_attribute_values={"a": {"rel": "sponsored"}})
    return nh3.Cleaner(**allowlist)


def sanitize_html(html: str, *, sponsored: bool = False) -> str:
    """Return ``html`` with everything outside the body allow-list removed, and the
    characters XML cannot carry (typed, or written as character references).

    With ``sponsored``, links also get ``rel="sponsored"`` (Google's rule for paid links).
    """
    cleaner = _cleaner(sponsored)
    # Before nh3, which raises on a lone surrogate; after it too, as it decodes a
    # reference such as "&#11;" into the character itself.
    cleaned = clean_text(cleaner.clean(clean_text(html or "")))
    # Misnested markup can come out as markup that parses differently (a link in a link,
    # once the heading around it has been closed): clean until nothing changes, so that
    # what is stored is what every later parse sees.
    for _ in range(MAX_PASSES):
        again = cleaner.clean(cleaned)
        if again == cleaned:
            break
        cleaned = again
    # ProseMirror always leaves one empty paragraph: an empty body is empty.
    return "" if cleaned in ("<p></p>", "") else cleaned
