"""The public side of provenance: each published article's signed record as JSON beside
it (``/articles/<slug>/provenance.json``, older versions with ``?version=N``), and the
public keys that verify them (``/.well-known/newsroom-provenance-keys.json``, a JSON Web
Key Set). Both are public pages: cached, and purged with the article they show."""

from __future__ import annotations

import json
import logging

from django.http import Http404, HttpResponse, HttpResponseBadRequest

from articles.models import Article, ProvenanceRecord
from articles.publishing import provenance, signing
from articles.site.caching import article_page_keys, public_page, tagged

KEYS_KEY = "provenance-keys"

logger = logging.getLogger(__name__)


def _json(data, *, status: int = 200) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    response = HttpResponse(body, status=status, content_type="application/json")
    # Anyone may verify: a reader's browser, a partner's page, a fact-checker's tool.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@public_page
def record(request, slug: str):
    article = Article.objects.filter(slug=slug).order_by().first()
    if article is None or not (article.is_published or article.is_withdrawn):
        raise Http404("No such article.")
    keys = article_page_keys(article)
    if article.is_withdrawn:
        gone = {"error": "This article has been withdrawn.", "status": 410}
        return tagged(_json(gone, status=410), *keys)
    wanted = request.GET.get("version")
    if wanted is None:
        try:
            found = provenance.ensure_record(article)
        except signing.KeyProblem:
            logger.exception("Cannot issue the provenance record of article %s", article.pk)
            found = provenance.latest(article)  # what it said last, while it can't sign
            if found is None:
                return _unavailable()
    else:
        if not (wanted.isascii() and wanted.isdigit()) or len(wanted) > 9:
            return HttpResponseBadRequest("version must be a whole number.")
        found = ProvenanceRecord.objects.filter(article=article, version=int(wanted)).first()
        if found is None:
            raise Http404("No such version of this article's provenance record.")
    return tagged(_json(provenance.envelope(found)), *keys)


@public_page(keys=[KEYS_KEY])
def keys(request):
    """The keys records are signed with: the current one first, then retired ones."""
    try:
        published = signing.public_keys()
    except signing.KeyProblem:
        logger.exception("Cannot publish the provenance keys")
        return _unavailable()
    return _json({"keys": [signing.jwk(key) for key in published]})


def _unavailable() -> HttpResponse:
    response = _json({"error": "Provenance records are unavailable for now.", "status": 503})
    response.status_code = 503
    response["Retry-After"] = "300"
    return response
