"""Corrected claims as readers see them: a "Corrected" mark after each in the body,
linked to the note that corrected it (its newest, if several did).

The notes and the claims they name come prefetched with the article (``prefetch_page``,
``for_detail``); nothing here queries.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext


def corrected_marks(article) -> dict[int, SafeString]:
    """The mark to show after each corrected claim still in ``article``, by claim id."""
    newest: dict[int, int] = {}
    for note in article.corrections.all():
        for named in note.corrected_claims.all():
            if named.claim_id is not None:
                newest[named.claim_id] = note.pk
    return {
        claim: format_html(
            ' <a class="corrected-mark" href="#correction-{}">{}</a>',
            note,
            gettext("Corrected"),
        )
        for claim, note in newest.items()
    }
