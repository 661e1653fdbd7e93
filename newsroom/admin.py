from django.contrib import admin

from articles.publishing.dashboard import overview


class NewsroomAdminSite(admin.AdminSite):
    """The Django admin with the editorial overview on its front page."""

    index_template = "admin/newsroom_index.html"

    def index(self, request, extra_context=None):
        return super().index(
            request, {"dashboard": overview(request.user), **(extra_context or {})}
        )
