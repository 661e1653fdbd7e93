"""A newsroom article's Underwriting page: where the standards editor attaches, changes
or removes its “Supported by …” record without editing the article's text (the article
page cannot be saved by someone who may not edit it). The rules and the writes are
``articles.publishing.sponsorships``'s; this page only translates requests and answers."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles import labels
from articles.models import Article, Sponsorship
from articles.publishing import revisions, sponsorships
from articles.publishing.transitions import WorkflowError

UNDERWRITING = Sponsorship.Kind.UNDERWRITING
Status = Article.Status


class UnderwritingForm(forms.ModelForm):
    class Meta:
        model = Sponsorship
        fields = ["sponsor", "disclosure", "campaign_starts_on", "campaign_ends_on"]
        widgets = {
            "disclosure": forms.Textarea(attrs={"rows": 3, "cols": 60}),
            "campaign_starts_on": forms.DateInput(attrs={"type": "date"}),
            "campaign_ends_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "disclosure": "Shown with the label, e.g. “Rising Tides is supported by a grant "
            "from the Tidewater Foundation.” Readers are also told the funder had no role in "
            "choosing, reporting, writing or editing it.",
        }


class RemoveUnderwritingForm(forms.Form):
    note = forms.CharField(
        label="Why",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Kept in the article's audit trail.",
    )


def _consequence(article: Article) -> str:
    """What removing the underwriting does to a piece past the draft stage."""
    if article.status == Status.PUBLISHED:
        return (
            "Readers see this piece now: removing its underwriting unpublishes it first, so "
            "its label never silently disappears. An editor can then reopen and republish it."
        )
    if article.status in {Status.IN_REVIEW, Status.APPROVED, Status.SCHEDULED}:
        return (
            "This piece is on its way to readers: removing its underwriting sends it back to "
            "draft, to be reviewed again."
        )
    return ""


class UnderwritingViews:
    """Mixed into ``ArticleAdmin``: the Underwriting page of a newsroom article."""

    def get_urls(self):
        return [
            path(
                "<int:pk>/underwriting/",
                self.admin_site.admin_view(self.underwriting_view),
                name="articles_article_underwriting",
            ),
            *super().get_urls(),
        ]

    def underwriting_view(self, request, pk):
        # The firewall for reading first: an unreadable piece does not exist for this user.
        article = (
            Article.objects.for_detail()
            .readable_by(request.user)
            .filter(pk=pk, desk=Article.Desk.NEWSROOM)
            .first()
        )
        if article is None:
            raise Http404
        if sponsorships.manage_problem(request.user, article):
            raise PermissionDenied
        current = article.sponsorship_or_none
        form = UnderwritingForm(
            initial=model_to_dict(current, fields=UnderwritingForm._meta.fields) if current else {}
        )
        remove_form = RemoveUnderwritingForm()
        if request.method == "POST" and "remove" in request.POST:
            remove_form = RemoveUnderwritingForm(request.POST)
            if current is not None and remove_form.is_valid():
                note = remove_form.cleaned_data["note"]
                if self._saved(
                    request,
                    article,
                    remove_form,
                    lambda: sponsorships.remove_sponsorship(article, by=request.user, note=note),
                    f"Underwriting removed ({current.label}): {note}",
                ):
                    return self._back_to_article(article)
        elif request.method == "POST":
            form = UnderwritingForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                if self._saved(
                    request,
                    article,
                    form,
                    lambda: sponsorships.set_sponsorship(
                        article, by=request.user, kind=UNDERWRITING, **data
                    ),
                    f"Underwriting {'changed' if current else 'attached'}: "
                    f"{labels.sponsorship_label(UNDERWRITING, data['sponsor'].name)}",
                ):
                    return self._back_to_article(article)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Underwriting of “{article}”",
            "article": article,
            "current": current,
            "kind_problem": sponsorships.kind_problem(article, current.kind) if current else "",
            "attach_problem": sponsorships.sponsorship_problem(request.user, article, UNDERWRITING),
            "form": form,
            "remove_form": remove_form,
            "consequence": _consequence(article),
            "may_add_sponsor": request.user.has_perm("articles.add_sponsor"),
        }
        return TemplateResponse(request, "admin/articles/article/underwriting.html", context)

    def _saved(self, request, article, form, change, what: str) -> bool:
        """Make ``change`` and keep a revision of the article as it left it; a refusal
        becomes the form's error. True when it was saved."""
        try:
            with transaction.atomic():
                change()
                changed = Article.objects.for_detail().get(pk=article.pk)
                revisions.record(changed, by=request.user, note=what)
        except WorkflowError as refused:
            form.add_error(None, refused.problems)
            return False
        self.message_user(request, what, messages.SUCCESS)
        return True

    def _back_to_article(self, article):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
