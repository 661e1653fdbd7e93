from django.conf import settings
from django.core.cache import cache

from articles.models import Section

NAVIGATION_KEY = "site:navigation"


def navigation() -> list[Section]:
    """The sections in navigation order, from the cache: every public page draws them,
    and they change rarely (saving or deleting a section refreshes the cached list)."""
    sections = cache.get(NAVIGATION_KEY)
    return refresh_navigation() if sections is None else sections


def refresh_navigation(sender=None, **kwargs) -> list[Section]:
    """Read the sections into the cache: on a miss, and whenever one is saved or deleted
    (so no reader's request pays for an editor's change)."""
    sections = list(Section.objects.all())
    # Also bounded in time, for a change no signal reports (an update() in a shell, a
    # rolled-back save): no older than the cached pages around it.
    cache.set(NAVIGATION_KEY, sections, timeout=settings.PUBLIC_CACHE_SECONDS or 300)
    return sections


def site(request):
    """Site name and navigation for every public template."""
    return {
        "site_name": settings.SITE_NAME,
        "publisher": settings.PUBLISHER,
        # Called lazily: admin pages that never show navigation read no cache.
        "nav_sections": navigation,
    }
