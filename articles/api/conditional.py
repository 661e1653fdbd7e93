"""Validators for the article endpoints: ETags that change with what a reader or partner
could see, and the 304 (or 412) a conditional GET earns."""

import hashlib

from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

from articles.api.problems import PreconditionFailed
from articles.models import Article
from articles.publishing.translations import published_siblings


def article_etag(
    article: Article, representation: str = "json", related: list[Article] = ()
) -> str:
    """Changes with every change a reader or partner could see (text, state, notes, review,
    the pieces offered under it, the published translations the JSON names); the JSON
    and ninjs representations of one version have different ETags."""
    key = f"{article.pk}|{article.version}|{article.status}|{article.modified_at.isoformat()}"
    if representation != "json":
        key += f"|{representation}"
    else:
        related = [*related, *published_siblings(article)]
    if related:
        key += "|" + ";".join(f"{a.pk},{a.version},{a.updated_at.isoformat()}" for a in related)
    return quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])


def page_etag(request, page: list[Article], representation: str) -> str:
    """A list page's ETag, from the page's own rows (id, version, state, update time) and
    the request (filters, cursor, page size, format): a publish, edit, correction or
    unpublish that changes what the page shows changes it, and nothing counts the table.
    Corrections touch ``updated_at``, so the rows alone tell."""
    rows = ";".join(f"{a.pk},{a.version},{a.status},{a.updated_at.isoformat()}" for a in page)
    key = f"{representation}|{request.get_full_path()}|{rows}"
    return quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])


def not_modified(request, *, etag: str, last_modified: int | None):
    """The 304 a conditional GET earns, carrying the validators a 200 would have (RFC 9110)."""
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        return None
    if response.status_code == 412:  # If-Match or If-Unmodified-Since on a GET
        raise PreconditionFailed()
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    return response
