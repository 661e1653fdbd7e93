"""A claim's sources page as an editor's browser fills it in: its address, and the form
posted with the claim's current sources (changed, kept or deleted) and any new ones."""

from django.urls import reverse


def sources_url(claim) -> str:
    return reverse("admin:sources_claim_change", args=[claim.pk])


def current_sources(claim) -> list[dict]:
    """The rows the page shows for the claim's sources, as the form would post them."""
    return [
        {
            "id": a.pk,
            "claim": claim.pk,
            "position": a.position,
            "document": a.document_id,
            "via": a.via_id or "",
            "relation": a.relation,
            "via_url": a.via_url,
        }
        for a in claim.attributions.order_by("position", "pk")
    ]


def sources_form(claim, rows: list[dict] | None = None, new: list[dict] = ()) -> dict:
    """The posted page: ``rows`` are the existing sources (default: unchanged; add
    ``"DELETE": "on"`` to remove one), ``new`` the sources added in empty rows."""
    rows = current_sources(claim) if rows is None else rows
    data = {
        "attributions-TOTAL_FORMS": str(len(rows) + len(new)),
        "attributions-INITIAL_FORMS": str(len(rows)),
        "attributions-MIN_NUM_FORMS": "0",
        "attributions-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate([*rows, *({"position": 0} | row for row in new)]):
        data |= {f"attributions-{i}-{name}": value for name, value in row.items()}
    return data
