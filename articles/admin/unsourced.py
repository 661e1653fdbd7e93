"""The article page's list of unsourced statements (``articles.publishing.unsourced``)
and its one action, "Make this a claim", which adds the sentence as a claim of the
article through ``articles.publishing.claiming``: for those who may change the article
(the admin's own permission, with the desk firewall), and refused as any edit is."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from articles.models import Article
from articles.publishing import claiming, unsourced
from articles.publishing.transitions import WorkflowError
from sources.assertions import unsourced_statements


class UnsourcedViews:
    """Mixed into ``ArticleAdmin``: the list on the change page and its action's view."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/make-claim/",
                view(self.make_claim_view),
                name="articles_article_make_claim",
            ),
            *super().get_urls(),
        ]

    def make_claim_view(self, request, pk):
        if request.method != "POST":
            raise Http404
        article = Article.objects.for_detail().filter(pk=pk).first()
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        text = request.POST.get("text", "")
        try:
            claim = claiming.make_claim(article, text, by=request.user)
        except WorkflowError as exc:
            self.message_user(
                request,
                format_html(
                    "Making it a claim was refused:<ul>{}</ul>",
                    format_html_join("", "<li>{}</li>", ((p,) for p in exc.problems)),
                ),
                messages.ERROR,
            )
        else:
            self.message_user(
                request,
                format_html(
                    '“{}” is now a claim: <a href="{}">add its source</a>.',
                    claim,
                    reverse("admin:sources_claim_change", args=[claim.pk]),
                ),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            found = unsourced_statements(obj.body, obj.claims.values_list("text", flat=True))
            context.update(
                unsourced_statements=found,
                unsourced_blocks=bool(found) and unsourced.blocks(obj),
                # A live piece refuses a claim without its source: no button there.
                may_make_claims=obj.status != Article.Status.PUBLISHED
                and self.has_change_permission(request, obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
