"""The public reader site, and previews of what it will show.

Only published articles exist for readers: drafts and scheduled pieces are
404, a withdrawn piece is 410 Gone. Every list comes from
``Article.objects.published().for_listing()``, so labels and bylines are
always at hand and the query count does not grow with the page.
"""

from itertools import groupby

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from taggit.models import Tag

from articles import labels
from articles.media import renditions
from articles.models import Article, Author, Section, Sponsor
from articles.publishing import preview as previews
from articles.sanitize import sanitize_html
from articles.site import structured_data
from articles.site.annotate import annotate_claims
from articles.site.caching import public_page
from sources.citations import cite

PAGE_SIZE = 20
RAIL_SIZE = 4
SEARCH_MAX_QUERY = 200
STANDARDS_PAGES = {
    "labels": "About our labels",
    "ai": "How we use AI",
    "sourcing": "How we source facts",
    "corrections": "Corrections policy",
    "ownership": "Ownership and funding",
}


def _listing():
    return Article.objects.published().for_listing()


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# -- articles ---------------------------------------------------------------------


def _render_article(request, article: Article, *, preview: bool, status: int = 200):
    reference = article.published_at.date() if article.published_at else None
    cited, sources = cite(article.claims.all(), reference=reference)
    body = annotate_claims(sanitize_html(article.body, sponsored=article.is_sponsored), cited)
    related = []
    if article.section_id and not preview:
        related = list(
            _listing().filter(section_id=article.section_id).exclude(pk=article.pk)[:RAIL_SIZE]
        )
    social_image = _social_image(article)
    context = {
        "article": article,
        "social_image": social_image,
        "body": body,
        "cited_claims": cited,
        "sources": sources,
        "related": related,
        "preview": preview,
        "jsonld": structured_data.script(
            structured_data.article(
                article, sources, image_url=social_image["url"] if social_image else ""
            )
        ),
    }
    return render(request, "articles/article_detail.html", context, status=status)


def _social_image(article: Article) -> dict | None:
    """The 1200×630 card for share previews and JSON-LD, made once from the lead image."""
    image = article.lead_image
    if image is None:
        return None
    try:
        card = renditions.get_rendition(image, "social", renditions.fallback_format(image))
    except renditions.RenditionError:
        return None
    return {"url": settings.SITE_URL + card.file.url, "width": card.width, "height": card.height}


@public_page
def article_detail(request, slug: str):
    article = Article.objects.for_detail().filter(slug=slug).first()
    if article is None or not (article.is_published or article.is_withdrawn):
        raise Http404("No such article.")
    if article.is_withdrawn:
        return render(request, "articles/withdrawn.html", {"article": article}, status=410)
    return _render_article(request, article, preview=False)


def preview(request, token: str):
    """A shared preview link: no account needed, until it expires or is revoked. Once
    readers have the article it leads to the public page; withdrawn, it says so, as the
    public page does."""
    try:
        article = previews.article_for_token(token)
    except previews.LinkNotValid as exc:
        raise Http404(str(exc)) from exc
    except previews.ArticleWithdrawn as exc:
        if not exc.article.is_withdrawn:
            raise Http404(str(exc)) from exc
        response = render(request, "articles/withdrawn.html", {"article": exc.article}, status=410)
    else:
        if article.is_published:
            response = redirect(article)
        else:
            response = _render_article(request, article, preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_member_required
def staff_preview(request, pk: int):
    """An editor's preview of any article, whatever its state, exactly as readers will see it."""
    if not request.user.has_perm("articles.view_article"):
        raise Http404
    # The firewall for reading: no desk previews the other's unpublished work.
    article = get_object_or_404(Article.objects.for_detail().readable_by(request.user), pk=pk)
    response = _render_article(request, article, preview=True)
    response["Cache-Control"] = "private, no-store"
    return response


# -- lists ------------------------------------------------------------------------


@public_page
def home(request):
    latest = list(_listing()[: RAIL_SIZE * 3 + 1])
    # The newest few of every section in one query (a window over sections).
    ranked = (
        _listing()
        .filter(section__isnull=False)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=F("section_id"), order_by=F("published_at").desc()
            )
        )
        .filter(rank__lte=RAIL_SIZE)
        .order_by("section__position", "section__name", "-published_at")
    )
    rails = [(section, list(items)) for section, items in groupby(ranked, lambda a: a.section)]
    return render(
        request,
        "articles/home.html",
        {"lead": latest[0] if latest else None, "latest": latest[1:], "rails": rails},
    )


@public_page
def section(request, slug: str):
    section = get_object_or_404(Section, slug=slug)
    page = _page(request, _listing().filter(section=section))
    return render(request, "articles/section.html", {"section": section, "page": page})


@public_page
def tag(request, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    page = _page(request, _listing().filter(tags=tag))
    return render(request, "articles/tag.html", {"tag": tag, "page": page})


@public_page
def author(request, slug: str):
    author = get_object_or_404(Author.objects.select_related("supervising_editor"), slug=slug)
    articles = _listing().filter(pk__in=author.bylines.values("article_id"))
    return render(
        request, "articles/author.html", {"author": author, "page": _page(request, articles)}
    )


@public_page
def sponsor(request, slug: str):
    sponsor = get_object_or_404(Sponsor, slug=slug)
    articles = _listing().filter(sponsorship__sponsor=sponsor)
    return render(
        request, "articles/sponsor.html", {"sponsor": sponsor, "page": _page(request, articles)}
    )


@public_page
def search(request):
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_QUERY]
    page = _page(request, _listing().search(query)) if query else None
    return render(request, "articles/search.html", {"query": query, "page": page})


# -- standards and machine-readable files ---------------------------------------------


@public_page
def standards(request, page: str):
    if page not in STANDARDS_PAGES:
        raise Http404
    context = {
        "page": page,
        "title": STANDARDS_PAGES[page],
        "pages": STANDARDS_PAGES,
        "organization": structured_data.script(
            {"@context": "https://schema.org", **structured_data.publisher()}
        ),
    }
    if page == "ai":
        context["agents"] = Author.objects.filter(kind=Author.Kind.AI_AGENT).select_related(
            "supervising_editor"
        )
    if page == "labels":
        context["labels"] = labels.vocabulary()
    return render(request, f"articles/standards/{page}.html", context)


def _text(content: str) -> HttpResponse:
    return HttpResponse(content, content_type="text/plain; charset=utf-8")


def trust_txt(request):
    """JournalList's trust.txt: who we are and where our policies live."""
    return _text(
        render_to_string(
            "articles/trust.txt",
            {"publisher": settings.PUBLISHER, "site_url": settings.SITE_URL},
            request,
        )
    )


def robots_txt(request):
    return _text(render_to_string("articles/robots.txt", {"site_url": settings.SITE_URL}))
