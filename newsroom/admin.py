from django.contrib import admin
from django.urls import path

from articles.publishing.dashboard import overview
from newsroom.mfa import views as mfa_views


class NewsroomAdminSite(admin.AdminSite):
    """The Django admin with the editorial overview on its front page."""

    index_template = "admin/newsroom_index.html"

    def index(self, request, extra_context=None):
        return super().index(
            request, {"dashboard": overview(request.user), **(extra_context or {})}
        )

    def get_urls(self):
        # The second factor's pages (newsroom.mfa), before the admin's catch-all.
        second_factor = [
            path("second-factor/", self.admin_view(mfa_views.manage), name="mfa_manage"),
            path("second-factor/verify/", self.admin_view(mfa_views.verify), name="mfa_verify"),
            path("second-factor/enrol/", self.admin_view(mfa_views.enrol), name="mfa_enrol"),
        ]
        return second_factor + super().get_urls()
