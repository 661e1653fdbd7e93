from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from articles.models import Article
from articles.preview import article_pk_from_token
from sources.citations import citation_text


def _render_article(request, article: Article, *, preview: bool):
    claims = [
        {"claim": claim, "number": n, "citation": citation_text(claim.attributions.all())}
        for n, claim in enumerate(article.claims.all(), start=1)
    ]
    return render(
        request,
        "articles/article_detail.html",
        {"article": article, "claims": claims, "preview": preview},
    )


def preview(request, token: str):
    """A shared preview link: no account needed, valid until it expires."""
    try:
        pk = article_pk_from_token(token)
    except signing.SignatureExpired as exc:
        raise Http404("This preview link has expired; ask the editor for a new one.") from exc
    except signing.BadSignature as exc:
        raise Http404("This preview link is not valid.") from exc
    article = get_object_or_404(Article.objects.for_detail(), pk=pk)
    response = _render_article(request, article, preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_member_required
def staff_preview(request, pk: int):
    """An editor's preview of any article they may see, whatever its state."""
    if not request.user.has_perm("articles.view_article"):
        raise Http404
    article = get_object_or_404(Article.objects.for_detail(), pk=pk)
    response = _render_article(request, article, preview=True)
    response["Cache-Control"] = "private, no-store"
    return response
