"""The article's "Check claims" page: each claim beside the passages of its sources that
support it, marked verified or sent back with a note by the piece's reviewer. Every
check goes through ``articles.publishing.verification`` (permission, desk firewall, the
submitter rule, the audit trail); this page only translates requests and answers.

Each claim's form carries the fingerprint of the claim as the page showed it: a check
posted after the claim, its sources or their documents changed is refused (409, the
page shown again as it reads now), so nobody verifies words they did not read."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles.models import Article
from articles.publishing import roles, verification
from articles.publishing.transitions import WorkflowError
from sources.citations import attribution_text
from sources.models import Claim, ClaimCheck
from sources.verification import fingerprint


class CheckForm(forms.Form):
    verdict = forms.ChoiceField(choices=ClaimCheck.Verdict.choices)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)
    # The claim as the page showed it (``sources.verification.fingerprint``).
    fingerprint = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("verdict") == ClaimCheck.Verdict.RETURNED
            and not cleaned.get("note", "").strip()
        ):
            self.add_error("note", "Say what is wrong when sending a claim back.")
        if "\x00" in cleaned.get("note", ""):
            self.add_error("note", "Null characters are not allowed.")
        return cleaned


class VerificationViews:
    """Mixed into ``ArticleAdmin``: the page and the view each claim's form posts to."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/claims/check/",
                view(self.verification_view),
                name="articles_article_verification",
            ),
            path(
                "<int:pk>/claims/<int:claim_pk>/check/",
                view(self.check_claim_view),
                name="articles_article_check_claim",
            ),
            *super().get_urls(),
        ]

    def _readable_article(self, request, pk) -> Article:
        article = Article.objects.for_detail().filter(pk=pk).first()
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404
        if not roles.can_read(request.user, article):
            raise Http404
        return article

    def verification_view(
        self, request, pk, *, failed: tuple[int, CheckForm] | None = None, status: int = 400
    ):
        article = self._readable_article(request, pk)
        summary = verification.summary(article)
        problem = verification.check_problem(request.user, article)
        may_edit_sources = roles.can_edit(request.user, article)
        rows = []
        for state in summary.claims:
            claim = state.claim
            form = failed[1] if failed and failed[0] == claim.pk else CheckForm()
            rows.append(
                {
                    "state": state,
                    "claim": claim,
                    "form": form,
                    "fingerprint": fingerprint(claim),
                    "earlier": [c for c in claim.checks.all() if c != state.check][:3],
                    "sources": [
                        {"words": attribution_text(a), "attribution": a}
                        for a in claim.attributions.all()
                    ],
                    "sources_url": reverse("admin:sources_claim_change", args=[claim.pk])
                    if may_edit_sources
                    else "",
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Check the claims of “{article}”",
            "article": article,
            "summary": summary,
            "rows": rows,
            "check_problem": problem,
            "required": verification.is_ai_written(article),
        }
        return TemplateResponse(
            request,
            "admin/articles/article/verification.html",
            context,
            status=status if failed else 200,
        )

    def check_claim_view(self, request, pk, claim_pk):
        if request.method != "POST":
            raise Http404
        article = self._readable_article(request, pk)
        claim = get_object_or_404(Claim, pk=claim_pk, article=article)
        form = CheckForm(request.POST)
        if not form.is_valid():
            return self.verification_view(request, pk, failed=(claim.pk, form))
        verdict, note = form.cleaned_data["verdict"], form.cleaned_data["note"]
        shown = form.cleaned_data["fingerprint"] or None
        try:
            if verdict == ClaimCheck.Verdict.VERIFIED:
                verification.verify(claim, by=request.user, note=note, expected_fingerprint=shown)
            else:
                verification.send_back(
                    claim, by=request.user, note=note, expected_fingerprint=shown
                )
        except verification.ClaimChanged as exc:
            # Shown again as it reads now, the note kept, for the checker to read again.
            for problem in exc.problems:
                form.add_error(None, problem)
            return self.verification_view(request, pk, failed=(claim.pk, form), status=409)
        except WorkflowError as exc:
            for problem in exc.problems:
                self.message_user(request, problem, messages.ERROR)
        else:
            done = "verified" if verdict == ClaimCheck.Verdict.VERIFIED else "sent back"
            self.message_user(request, f"“{claim}”: {done}.", messages.SUCCESS)
        url = reverse("admin:articles_article_verification", args=[article.pk])
        return HttpResponseRedirect(f"{url}#claim-{claim.pk}")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            claims = Claim.objects.filter(article=obj).with_citations().order_by("position", "pk")
            context["claim_checks"] = verification.summary(obj, claims)
        return super().render_change_form(request, context, add, change, form_url, obj)
