"""The newsroom's roles as Django groups, and who may touch which article.

Roles are groups of permissions defined in ROLE_PERMISSIONS; ``setup_roles``
resets the groups to these definitions, so change roles here, not in the admin.
The code asks about permissions, never about group names.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from articles.models import Article
from articles.querysets import readable_desks

REPORTER = "Reporter"
EDITOR = "Editor"
COMMERCIAL_EDITOR = "Sponsored content editor"
STANDARDS_EDITOR = "Standards editor"
ADMINISTRATOR = "Administrator"

# What drafting needs on either desk: the article, its bylines, sources and images.
_DRAFTING = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.submit_article",
    "articles.add_byline",
    "articles.change_byline",
    "articles.delete_byline",
    "articles.view_byline",
    "articles.view_author",
    "articles.view_section",
    "articles.add_image",
    "articles.change_image",
    "articles.view_image",
    "articles.view_correction",
    "articles.view_revision",
    "sources.add_publisher",
    "sources.change_publisher",
    "sources.view_publisher",
    "sources.add_sourcedocument",
    "sources.change_sourcedocument",
    "sources.view_sourcedocument",
    "sources.add_claim",
    "sources.change_claim",
    "sources.delete_claim",
    "sources.view_claim",
    "sources.add_attribution",
    "sources.change_attribution",
    "sources.delete_attribution",
    "sources.view_attribution",
    "sources.add_attributionhop",
    "sources.change_attributionhop",
    "sources.delete_attributionhop",
    "sources.view_attributionhop",
    "taggit.add_tag",
    "taggit.view_tag",
]

_REVIEWING = [
    "articles.review_article",
    "articles.publish_article",
    "articles.add_correction",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    REPORTER: _DRAFTING,
    EDITOR: [
        *_DRAFTING,
        *_REVIEWING,
        "articles.edit_newsroom_article",
        "articles.delete_article",
        "articles.add_author",
        "articles.change_author",
        "articles.add_section",
        "articles.change_section",
        # Old addresses kept working: slug changes make these; editors add their own.
        "articles.add_redirect",
        "articles.change_redirect",
        "articles.delete_redirect",
        "articles.view_redirect",
        "articles.view_sponsor",
        "articles.view_sponsorship",
        "articles.view_articleevent",
        "taggit.change_tag",
        # The curated front page is the newsroom's choice alone (not the commercial desk's).
        "articles.add_frontpageslot",
        "articles.change_frontpageslot",
        "articles.view_frontpageslot",
    ],
    COMMERCIAL_EDITOR: [
        *_DRAFTING,
        *_REVIEWING,
        "articles.manage_sponsored_content",
        "articles.add_sponsor",
        "articles.change_sponsor",
        "articles.view_sponsor",
        "articles.add_sponsorship",
        "articles.change_sponsorship",
        "articles.delete_sponsorship",
        "articles.view_sponsorship",
        "articles.view_articleevent",
    ],
    # Reads every desk's unpublished work and its history, to answer for standards.
    # Writes no article's text; the one thing it changes is underwriting on newsroom
    # pieces (on the article's Underwriting page), kept away from the editors who choose
    # and edit the stories, as the printed disclaimer promises the funder had no say.
    # It may record a new funder as a sponsor; the commercial desk never handles it.
    STANDARDS_EDITOR: [
        "articles.view_all_desks",
        "articles.manage_underwriting",
        "articles.add_sponsor",
        "articles.view_article",
        "articles.view_byline",
        "articles.view_author",
        "articles.view_section",
        "articles.view_redirect",
        "articles.view_image",
        "articles.view_correction",
        "articles.view_revision",
        "articles.view_articleevent",
        "articles.view_sponsor",
        "articles.view_sponsorship",
        "sources.view_publisher",
        "sources.view_sourcedocument",
        "sources.view_claim",
        "sources.view_attribution",
        "sources.view_attributionhop",
    ],
}


def sync_roles() -> dict[str, int]:
    """Create or update the role groups; safe to run any number of times."""
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0)
    counts = {}
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(codenames))
        counts[name] = group.permissions.count()
    administrators, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    administrators.permissions.set(Permission.objects.all())
    counts[ADMINISTRATOR] = administrators.permissions.count()
    return counts


def _permissions(codenames: list[str]) -> list[Permission]:
    wanted = {tuple(name.split(".", 1)) for name in codenames}
    found = [
        p
        for p in Permission.objects.select_related("content_type")
        if (p.content_type.app_label, p.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise LookupError(f"Unknown permissions in ROLE_PERMISSIONS: {sorted(missing)}")
    return found


def desk_for_new_article(user) -> str:
    """Commercial-desk staff make commercial pieces; everyone else makes journalism."""
    if user.has_perm("articles.manage_sponsored_content") and not user.has_perm(
        "articles.edit_newsroom_article"
    ):
        return Article.Desk.COMMERCIAL
    return Article.Desk.NEWSROOM


def can_work_on(user, article: Article) -> bool:
    """The desk firewall: the commercial desk and the newsroom never touch each other's work."""
    if not user.is_active:
        return False
    if article.desk == article.Desk.COMMERCIAL:
        return user.has_perm("articles.manage_sponsored_content")
    if user.has_perm("articles.edit_newsroom_article"):
        return True
    if user.has_perm("articles.manage_sponsored_content"):
        # Not even through an old byline: the commercial desk may review and publish.
        return False
    return user.has_perm("articles.change_article") and is_own(user, article)


def work_on_problem(user, article: Article, *, reporters_may: str) -> str:
    """Why the desk firewall (or a reporter's own-pieces rule) keeps ``user`` off
    ``article``; empty if they may work on it. ``reporters_may`` names what a reporter
    may do to their own pieces ("submit", "change")."""
    if can_work_on(user, article):
        return ""
    if article.desk == Article.Desk.COMMERCIAL:
        return "Only the commercial desk works on sponsored content."
    if user.has_perm("articles.manage_sponsored_content"):
        return "The commercial desk cannot work on newsroom articles."
    return f"Reporters can only {reporters_may} their own articles."


def can_read(user, article: Article) -> bool:
    """The firewall for reading: may ``user`` open or preview this article in the admin?
    Everyone on staff reads what is published; unpublished work only on a readable desk."""
    return article.status == Article.Status.PUBLISHED or article.desk in readable_desks(user)


def can_edit(user, article: Article) -> bool:
    """May ``user`` change this article's text now?"""
    if not can_work_on(user, article):
        return False
    if article.status == article.Status.DRAFT:
        return True
    # Past the draft stage only those who may publish may change the text.
    return user.has_perm("articles.publish_article")


def is_own(user, article: Article) -> bool:
    """The user created the article or is one of its bylined authors."""
    if article.pk is None:
        return True
    if article.created_by_id == user.pk:
        return True
    return any(b.author.user_id == user.pk for b in article.byline_list)
