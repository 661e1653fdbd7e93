"""The correction form on the article page names the claims it corrects.

The editor changes a claim on the live piece (its wording in the body and the claims
table, or removes it) and, in the same save, adds the note and ticks the claims it
corrects. What those claims read before is captured as the request arrives, before
anything is saved (``claims_before_save``), and handed to ``workflow.add_correction``;
``articles.publishing.claim_corrections`` keeps the rules. Notes and their named claims
are append-only: shown, never edited or deleted here.
"""

from django import forms
from django.utils.html import format_html, format_html_join

from articles.models import Correction
from articles.publishing import claim_corrections
from sources.models import Claim


class CorrectionForm(forms.ModelForm):
    claims = forms.ModelMultipleChoiceField(
        queryset=Claim.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="claims it corrects",
        help_text="Tick the claims this note corrects. Readers see a “Corrected” mark after "
        "each, and what it read and cited before your change in this save.",
    )

    class Meta:
        model = Correction
        fields = ["kind", "text"]

    def __init__(self, *args, article=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the claims of the article being corrected can be chosen (and so sent).
        if article is not None and article.pk:
            claims = Claim.objects.filter(article=article).order_by("position", "pk")
            self.fields["claims"].queryset = claims


class NamedClaims:
    """For ``CorrectionInline``: the form with the claims, and the claims saved notes name."""

    form = CorrectionForm

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class ForArticle(formset):
            # Every form, the blank one "Add another" copies included, offers its claims.
            def get_form_kwargs(self, index):
                return {**super().get_form_kwargs(index), "article": self.instance}

        return ForArticle

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("corrected_claims")

    def claims(self, obj):
        """Shown on saved (read-only) notes: each named claim before and after."""
        rows = obj.corrected_claims.all() if obj and obj.pk else []
        if not rows:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}</li>",
                ((_before_after(row),) for row in rows),
            ),
        )

    claims.short_description = "claims it corrects"


def _before_after(row) -> str:
    was = _quoted(row.previous_text, row.previous_citation)
    if not row.corrected_text:
        return f"Withdrawn: {was}"
    return f"Was {was}; now {_quoted(row.corrected_text, row.corrected_citation)}"


def _quoted(text: str, citation: str) -> str:
    return f"“{text}” ({citation or 'no source'})"


def claims_before_save(request, article) -> dict | None:
    """What the article's claims read before this save, when a new note names claims."""
    if article is None or article.published_at is None:
        return None
    named = any(key.startswith("corrections-") and key.endswith("-claims") for key in request.POST)
    return claim_corrections.capture(article) if named else None
