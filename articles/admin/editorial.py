"""The article page's editorial actions, each a view of its own: transitions, recording
a review, comparing and restoring revisions, and shareable preview links. Every
action calls ``articles.publishing``; these views only translate requests and answers."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from articles.models import Article, PreviewLink
from articles.publishing import expiry, preview, revisions, roles, workflow
from articles.publishing.gates import publish_problems
from articles.publishing.transitions import TRANSITIONS, WorkflowError, available_transitions


class EditorialViews:
    """Mixed into ``ArticleAdmin``: the URLs and views behind the article page's buttons."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/transition/<str:name>/",
                view(self.transition_view),
                name="articles_article_transition",
            ),
            path("<int:pk>/review/", view(self.review_view), name="articles_article_review"),
            path("<int:pk>/expiry/", view(self.expiry_view), name="articles_article_expiry"),
            path("<int:pk>/embargo/", view(self.embargo_view), name="articles_article_embargo"),
            path(
                "<int:pk>/revisions/", view(self.revisions_view), name="articles_article_revisions"
            ),
            path(
                "<int:pk>/revisions/<int:number>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            path(
                "<int:pk>/preview-link/",
                view(self.preview_link_view),
                name="articles_article_preview_link",
            ),
            path(
                "<int:pk>/preview-links/<int:link_pk>/revoke/",
                view(self.revoke_preview_link_view),
                name="articles_article_revoke_preview_link",
            ),
            *super().get_urls(),
        ]

    def _article_or_404(self, request, pk) -> Article:
        article = Article.objects.for_detail().filter(pk=pk).first()
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404
        return article

    def _back(self, article):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def _refused(self, request, exc: WorkflowError, what: str):
        self.message_user(
            request,
            format_html(
                "{} was refused:<ul>{}</ul>",
                what,
                format_html_join("", "<li>{}</li>", ((p,) for p in exc.problems)),
            ),
            messages.ERROR,
        )

    def transition_view(self, request, pk, name):
        if request.method != "POST" or name not in TRANSITIONS:
            raise Http404
        article = self._article_or_404(request, pk)
        transition = TRANSITIONS[name]
        note = request.POST.get("note", "")
        try:
            match name:
                case "schedule":
                    at = forms.DateTimeField().clean(request.POST.get("scheduled_for"))
                    embargo = bool(request.POST.get("embargo"))
                    workflow.schedule(article, by=request.user, at=at, embargo=embargo)
                case "request_changes" | "unpublish":
                    getattr(workflow, name)(article, by=request.user, note=note)
                case _:
                    getattr(workflow, name)(article, by=request.user)
        except ValidationError as exc:
            self._refused(request, WorkflowError(exc.messages), transition.label)
        except WorkflowError as exc:
            self._refused(request, exc, transition.label)
        else:
            self.message_user(request, f"{transition.label}: done.", messages.SUCCESS)
        return self._back(article)

    def expiry_view(self, request, pk):
        if request.method != "POST":
            raise Http404
        article = self._article_or_404(request, pk)
        try:
            at = forms.DateTimeField(required=False).clean(request.POST.get("expires_at"))
            expiry.set_expiry(article, by=request.user, at=at)
        except ValidationError as exc:
            self._refused(request, WorkflowError(exc.messages), "Setting the unpublish time")
        except WorkflowError as exc:
            self._refused(request, exc, "Setting the unpublish time")
        else:
            self.message_user(request, "Unpublish time saved.", messages.SUCCESS)
        return self._back(article)

    def embargo_view(self, request, pk):
        if request.method != "POST":
            raise Http404
        article = self._article_or_404(request, pk)
        embargo = request.POST.get("embargo") == "1"
        try:
            expiry.set_embargo(article, by=request.user, embargo=embargo)
        except WorkflowError as exc:
            self._refused(request, exc, "Changing the embargo")
        else:
            done = "Embargo set: cleared partners receive it now." if embargo else "Embargo lifted."
            self.message_user(request, done, messages.SUCCESS)
        return self._back(article)

    def review_view(self, request, pk):
        if request.method != "POST":
            raise Http404
        article = self._article_or_404(request, pk)
        try:
            workflow.record_review(article, by=request.user, note=request.POST.get("note", ""))
        except WorkflowError as exc:
            self._refused(request, exc, "Recording your review")
        else:
            self.message_user(
                request, f"Your review of version {article.version} is recorded.", messages.SUCCESS
            )
        return self._back(article)

    def revisions_view(self, request, pk):
        article = self._article_or_404(request, pk)
        history = list(revisions.history(article))
        by_number = {r.number: r for r in history}
        try:
            old = by_number.get(int(request.GET.get("a", 0)))
            new = by_number.get(int(request.GET.get("b", 0)))
        except ValueError:
            raise Http404 from None
        # By default: the latest revision against the one before it.
        new = new or (history[0] if history else None)
        old = old or (history[1] if len(history) > 1 else None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Revisions of “{article}”",
            "article": article,
            "history": history,
            "old": old,
            "new": new,
            "changes": revisions.diff(old.data, new.data) if old and new else [],
            "may_restore": roles.can_edit(request.user, article),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def restore_view(self, request, pk, number):
        if request.method != "POST":
            raise Http404
        article = self._article_or_404(request, pk)
        if not roles.can_edit(request.user, article):
            raise PermissionDenied
        revision = get_object_or_404(revisions.history(article), number=number)
        try:
            new, warnings = workflow.restore_revision(revision, by=request.user)
        except WorkflowError as exc:
            self._refused(request, exc, f"Restoring revision {number}")
            return self._back(article)
        self.message_user(
            request,
            f"Restored revision {number} as revision {new.number}; nothing was overwritten.",
            messages.SUCCESS,
        )
        for warning in warnings:
            self.message_user(request, warning, messages.WARNING)
        return self._back(article)

    def preview_link_view(self, request, pk):
        if request.method != "POST":
            raise Http404
        article = self._article_or_404(request, pk)
        if not roles.can_work_on(request.user, article):
            raise PermissionDenied
        try:
            _, token = preview.create_link(
                article, by=request.user, note=request.POST.get("note", "")
            )
        except WorkflowError as exc:
            self._refused(request, exc, "Sharing a preview")
            return self._back(article)
        url = request.build_absolute_uri(preview.path(token))
        days = settings.PREVIEW_LINK_MAX_AGE // 86400
        self.message_user(
            request,
            format_html(
                "Share this preview link (valid {} days, no account needed): "
                '<a href="{}">{}</a>. Copy it now: it is not shown again.',
                days,
                url,
                url,
            ),
            messages.SUCCESS,
        )
        return self._back(article)

    def revoke_preview_link_view(self, request, pk, link_pk):
        if request.method != "POST":
            raise Http404
        article = self._article_or_404(request, pk)
        link = get_object_or_404(PreviewLink, pk=link_pk, article=article)
        if not roles.can_work_on(request.user, article):
            raise PermissionDenied
        try:
            link = preview.revoke(link, by=request.user)
        except WorkflowError as exc:
            self._refused(request, exc, "Revoking the preview link")
        else:
            self.message_user(
                request,
                f"The preview link made by {link.created_by_name or 'someone'}"
                f"{f' ({link.note})' if link.note else ''} is revoked: it no longer opens.",
                messages.SUCCESS,
            )
        return self._back(article)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(
                transitions=available_transitions(request.user, obj),
                gate_problems=publish_problems(Article.objects.for_detail().get(pk=obj.pk)),
                may_review=obj.has_ai_byline or obj.status == Article.Status.IN_REVIEW,
                latest_review=obj.reviews.first(),
                last_change_request=obj.events.filter(action="request_changes").first(),
                revision_count=revisions.history(obj).count(),
                preview_links=preview.links_for(obj),
                preview_link_problem=preview.mint_problem(request.user, obj),
                may_revoke_preview_links=roles.can_work_on(request.user, obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
