from django.conf import settings

from articles.models import Section


def site(request):
    """Site name and navigation for every public template."""
    return {
        "site_name": settings.SITE_NAME,
        "publisher": settings.PUBLISHER,
        # Evaluated lazily: admin pages that never show navigation run no query.
        "nav_sections": Section.objects.all,
    }
