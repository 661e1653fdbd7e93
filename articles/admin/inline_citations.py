"""An article's inline citations, side by side with its text: the body with each
citation marked, and beside it the claims they propose, each to accept (its words and,
where two documents match, its document adjusted), to take out of the body, or to leave.
Citations that match no document are listed with the reason. The rules and the writes
are ``articles.publishing.inline_citations``'; the admin's change permission and the
desk firewall decide who may use it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles.models import Article
from articles.publishing import inline_citations
from articles.publishing.inline_citations import Adjustment
from articles.publishing.transitions import WorkflowError
from sources.inline import segments

ACTIONS = ("accept", "drop", "leave")


def _paragraphs(body: str, citations) -> list[list[tuple[str, object]]]:
    """The body's paragraphs, each cut around its citations: (words, the citation or None)."""
    paragraphs = []
    for offset, text in segments(body):
        pieces, at = [], 0
        for citation in citations:
            start = (citation.position if citation.removable else citation.start) - offset
            end = (citation.end if citation.removable else citation.start) - offset
            if start < at or end > len(text):
                continue
            pieces += [(text[at:start], None), (text[start:end], citation)]
            at = end
        pieces.append((text[at:], None))
        paragraphs.append([(words, citation) for words, citation in pieces if words or citation])
    return paragraphs


def _adjustments(post, keys) -> dict[str, Adjustment]:
    adjustments = {}
    for key in keys:
        documents = {}
        for name, value in post.items():
            prefix = f"document-{key}-"
            if name.startswith(prefix) and name[len(prefix) :].isdigit() and value.isdigit():
                documents[int(name[len(prefix) :])] = int(value)
        adjustments[key] = Adjustment(text=post.get(f"text-{key}", ""), documents=documents)
    return adjustments


class InlineCitationViews:
    """Mixed into ``ArticleAdmin``: the article's "Inline citations" page."""

    def get_urls(self):
        return [
            path(
                "<int:pk>/inline-citations/",
                self.admin_site.admin_view(self.inline_citations_view),
                name="articles_article_inline_citations",
            ),
            *super().get_urls(),
        ]

    def inline_citations_view(self, request, pk):
        article = Article.objects.for_detail().filter(pk=pk).first()
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        problems: list[str] = []
        if request.method == "POST":
            chosen = {k[len("action-") :]: v for k, v in request.POST.items() if k[:7] == "action-"}
            accept = [key for key, action in chosen.items() if action == "accept"]
            drop = [key for key, action in chosen.items() if action == "drop"]
            try:
                claims = inline_citations.accept(
                    article,
                    accept,
                    by=request.user,
                    adjustments=_adjustments(request.POST, accept),
                    drop=drop,
                )
            except WorkflowError as exc:
                problems = exc.problems
                article = Article.objects.for_detail().get(pk=pk)
            else:
                made = f"{len(claims)} claim{'s' if len(claims) != 1 else ''} made"
                self.message_user(
                    request,
                    f"{made}; the accepted citations left the body, and readers see each "
                    "claim's citation generated from its sources.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(request.path)
        citations = inline_citations.propose(article, user=request.user)
        proposals = [c for c in citations if not c.reason and all(s.choices for s in c.sources)]
        unresolved = [c for c in citations if c not in proposals]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Inline citations of “{article}”",
            "article": article,
            "paragraphs": _paragraphs(article.body, citations),
            "proposals": proposals,
            "unresolved": unresolved,
            "problems": problems,
            "live": article.status == Article.Status.PUBLISHED and inline_citations.LIVE,
            "doubled": inline_citations.doubled_citations(article),
            "change_url": reverse("admin:articles_article_change", args=[article.pk]),
        }
        return TemplateResponse(request, "admin/articles/article/inline_citations.html", context)
