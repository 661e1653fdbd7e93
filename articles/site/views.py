"""The public reader site, and previews of what it will show.

Only published articles exist for readers: drafts and scheduled pieces are
404, a withdrawn piece is 410 Gone. Every list comes from
``Article.objects.published().for_teasers()`` with ``prefetch_teasers`` (the article
page's related block shares them with the article: ``prefetch_page``), so labels and bylines
are always at hand and the query count does not grow with the page.
"""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from taggit.models import Tag, TaggedItem

from articles import labels
from articles.media import renditions
from articles.models import TOP_STORIES, Article, Author, Section, Sponsor
from articles.prefetch import prefetch_page, prefetch_teasers
from articles.publishing import front_page, translations
from articles.publishing import preview as previews
from articles.querysets import sourced_claims
from articles.sanitize import sanitize_html
from articles.site import checked, structured_data
from articles.site.annotate import annotate_claims
from articles.site.body import images_of, reader_html
from articles.site.caching import article_page_keys, public_page, tagged
from articles.site.corrected import corrected_marks
from articles.site.pagination import BEST_FIRST, NEWEST_FIRST, paginate, redirect_page_number
from articles.site.related import related_block
from sources.citations import cite

RAIL_SIZE = 4
SEARCH_MAX_QUERY = 200
# On PostgreSQL, search ranks the newest this many matches of a query (all of them for
# all but the commonest words): the cost of a search is bounded whatever the archive.
SEARCH_CANDIDATES = 200
STANDARDS_PAGES = {
    "labels": "About our labels",
    "ai": "How we use AI",
    "sourcing": "How we source facts",
    "corrections": "Corrections policy",
    "ownership": "Ownership and funding",
}


def _listing():
    return Article.objects.published().for_teasers()


def _list_page(request, template: str, queryset, context: dict, keys=NEWEST_FIRST):
    """A list page read by position (older/newer links); old ``?page=N`` links redirect."""
    if redirect := redirect_page_number(request):
        return redirect
    page = paginate(request, queryset, keys)
    prefetch_teasers(page.items)
    return render(request, template, {**context, "page": page})


# -- articles ---------------------------------------------------------------------


def _render_article(request, article: Article, *, preview: bool, status: int = 200):
    """The article's page, all of it in the article's language (labels, byline, dates,
    citations): a German piece says "Anzeige" whoever reads it."""
    with labels.in_language(article):
        return _article_page(request, article, preview=preview, status=status)


def _article_page(request, article: Article, *, preview: bool, status: int):
    # The rows only (pins, shared tags, the section's newest): prefetch_page reads their
    # bylines, pictures and reviews together with the article's own.
    related, shown = ([], set()) if preview else related_block(article)
    prefetch_page(article, related)
    # A preview's claims come from for_detail (a draft may still have unsourced ones).
    claims = article.claims.all() if preview else sourced_claims(article)
    reference = article.published_at.date() if article.published_at else None
    cited, sources = cite(claims, reference=reference)
    body = sanitize_html(article.body, sponsored=article.is_sponsored)
    checks = checked.checked_claims(cited)  # supporting passages, and who checked each claim
    marks = checked.marks(checks, also=corrected_marks(article))
    body = annotate_claims(body, cited, marks)  # citations, their checks, corrected marks
    body = reader_html(body, images_of(article))  # its pictures and embeds drawn
    social_image = _social_image(article)
    # Readers' pages name the published translations (hreflang, JSON-LD); previews none.
    siblings = [] if preview else translations.published_siblings(article)
    context = {
        "article": article,
        "social_image": social_image,
        "body": body,
        "cited_claims": cited,
        "sources": sources,
        "checked_claims": checks,
        "related": related,
        "preview": preview,
        "alternates": _alternates(article, siblings),
        "jsonld": structured_data.script(
            structured_data.article(article, sources, image=social_image, siblings=siblings)
        ),
    }
    response = render(request, "articles/article_detail.html", context, status=status)
    response["Content-Language"] = article.language
    # What the "Related" block shows, and the article's tags: a piece newly sharing one
    # may belong in it now (the section's key is the article page's already).
    response.related_keys = shown | {f"tag-{tag.pk}" for tag in article.tags.all()}
    response.related_keys |= {f"article-{sibling.pk}" for sibling in siblings}
    return response


def _alternates(article: Article, siblings: list[Article]) -> list[dict]:
    """hreflang links: the page itself and each published sibling, the original as the
    x-default (none when the article has no published sibling)."""
    if not siblings:
        return []
    family = sorted([article, *siblings], key=lambda a: a.language)
    original = next((a for a in family if a.translation_of_id is None), None)
    links = [{"language": a.language, "url": a.get_absolute_url()} for a in family]
    if original is not None:
        links.append({"language": "x-default", "url": original.get_absolute_url()})
    return links


def _withdrawn(request, article: Article):
    with labels.in_language(article):
        response = render(request, "articles/withdrawn.html", {"article": article}, status=410)
    response["Content-Language"] = article.language
    return response


def _social_image(article: Article) -> dict | None:
    """The 1200×630 card for share previews and JSON-LD, made from the lead image by the
    worker; until it is made, the original picture."""
    image = article.lead_image
    if image is None:
        return None
    try:
        card = renditions.ready_rendition(image, "social", renditions.fallback_format(image))
    except renditions.RenditionError:
        return None
    if card is None:
        card = image if image.file else None
    if card is None:
        return None
    return {"url": settings.SITE_URL + card.file.url, "width": card.width, "height": card.height}


@public_page
def article_detail(request, slug: str):
    # The row alone (no ordering: slugs are unique); _render_article reads the rest.
    article = Article.objects.for_page().filter(slug=slug).order_by().first()
    if article is None or not (article.is_published or article.is_withdrawn):
        raise Http404("No such article.")
    if article.is_withdrawn:
        response = _withdrawn(request, article)
    else:
        response = _render_article(request, article, preview=False)
    return tagged(response, *article_page_keys(article), *getattr(response, "related_keys", ()))


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
        response = _withdrawn(request, exc.article)
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


@public_page(keys=["home"])
def home(request):
    # The newest few of each section, each read from the section's index: one query
    # for every section and its rail (which also draws the navigation), one for the
    # editors' current pins, one for the latest, one for all those articles, and
    # prefetch_teasers' three.
    newest = Article.objects.published().filter(section=OuterRef("pk")).newest_first()
    sections = list(
        Section.objects.annotate(
            **{f"rail_{i}": Subquery(newest.values("pk")[i : i + 1]) for i in range(RAIL_SIZE)}
        )
    )
    rail_ids = {
        section: [pk for i in range(RAIL_SIZE) if (pk := getattr(section, f"rail_{i}"))]
        for section in sections
    }
    pins = front_page.current_pins()
    # Enough of the newest to fill every position a pin does not take.
    newest_ids = Article.objects.published().newest_first().values_list("pk", flat=True)
    latest_ids = front_page.compose(pins, list(newest_ids[: TOP_STORIES + len(pins)]))
    wanted = {*latest_ids, *(pk for ids in rail_ids.values() for pk in ids)}
    articles = _listing().order_by().in_bulk(wanted)
    prefetch_teasers(list(articles.values()))
    latest = [articles[pk] for pk in latest_ids if pk in articles]
    rails = [
        (section, [articles[pk] for pk in ids if pk in articles])
        for section, ids in rail_ids.items()
        if ids
    ]
    return render(
        request,
        "articles/home.html",
        {
            "lead": latest[0] if latest else None,
            "latest": latest[1:],
            "rails": rails,
            "nav_sections": sections,
        },
    )


@public_page
def section(request, slug: str):
    section = get_object_or_404(Section, slug=slug)
    articles = _listing().filter(section=section)
    response = _list_page(request, "articles/section.html", articles, {"section": section})
    return tagged(response, f"section-{section.pk}")


@public_page
def tag(request, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    # A semi-join on the content type's id (cached; a join to it hides the tag's size
    # from the planner), so the newest-first index is walked and stops after a page.
    items = TaggedItem.objects.filter(
        tag=tag, content_type=ContentType.objects.get_for_model(Article)
    )
    articles = _listing().filter(pk__in=items.values("object_id"))
    return tagged(_list_page(request, "articles/tag.html", articles, {"tag": tag}), f"tag-{tag.pk}")


@public_page
def author(request, slug: str):
    author = get_object_or_404(Author.objects.select_related("supervising_editor"), slug=slug)
    articles = _listing().filter(pk__in=author.bylines.values("article_id"))
    profile = structured_data.script(structured_data.profile_page(author))
    context = {"author": author, "jsonld": profile}
    response = _list_page(request, "articles/author.html", articles, context)
    return tagged(response, f"author-{author.pk}")


@public_page
def sponsor(request, slug: str):
    sponsor = get_object_or_404(Sponsor, slug=slug)
    articles = _listing().filter(pk__in=sponsor.sponsorships.values("article_id"))
    wording = labels.wording()
    names = {
        "native_label": wording.native_label,
        "support_label": wording.underwriting_label.format(sponsor=sponsor.name),
    }
    context = {"sponsor": sponsor, "labels": names}
    response = _list_page(request, "articles/sponsor.html", articles, context)
    return tagged(response, f"sponsor-{sponsor.pk}")


@public_page(keys=["search"])
def search(request):
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_QUERY]
    if not query:
        return render(request, "articles/search.html", {"query": query, "page": None})
    matches = _listing().search(query, newest=SEARCH_CANDIDATES)
    keys = BEST_FIRST if "rank" in matches.query.annotations else NEWEST_FIRST
    return _list_page(request, "articles/search.html", matches, {"query": query}, keys)


# -- standards and machine-readable files ---------------------------------------------


@public_page(keys=["standards"])
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
    # Our standards are written in English only (so far): the page says so in its lang.
    with translation.override("en"):
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


def favicon(request):
    """``/favicon.ico``, which browsers ask for on pages that link no icon (JSON, feeds)
    and crawlers ask for anyway: the site's icon."""
    return HttpResponsePermanentRedirect(static("articles/favicon.svg"))
