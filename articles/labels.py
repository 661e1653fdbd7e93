"""The fixed public wording of sponsorship labels and AI disclosures.

Every output (site, feeds, social cards, JSON-LD, API) takes its wording from
here; no template or serializer types a label of its own. The vocabulary is
keyed to the *kind* of sponsorship and follows the FTC's native-advertising
guidance: content a sponsor paid for and shaped is called advertising, never
"Promoted" or "Sponsored by"; funding without a say is "Supported by".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from articles.models import Author, Sponsorship

# One term for native advertising across the whole site (FTC: use the same terms everywhere).
NATIVE_ADVERTISING_LABEL = "Sponsored Advertising Content"
UNDERWRITING_LABEL = "Supported by {sponsor}"
NATIVE_ADVERTISING_SPONSOR_LINE = "Paid for by {sponsor}"
UNDERWRITING_DISCLAIMER = (
    "{sponsor} funded this coverage and had no role in choosing, reporting, writing or editing it."
)
NATIVE_ADVERTISING_DEFAULT_DISCLOSURE = (
    "This content was paid for by {sponsor} and produced for it by our commercial desk. "
    "Our newsroom's journalists were not involved in it."
)

AI_AGENT_DESCRIPTION = "an AI agent operated by {operator}"


def sponsorship_label(sponsorship: Sponsorship) -> str:
    """The label shown above the headline and on every teaser."""
    if sponsorship.kind == sponsorship.Kind.NATIVE_ADVERTISING:
        return NATIVE_ADVERTISING_LABEL
    return UNDERWRITING_LABEL.format(sponsor=sponsorship.sponsor.name)


def sponsorship_sponsor_line(sponsorship: Sponsorship) -> str:
    """Who paid, and (for underwriting) that they had no say."""
    sponsor = sponsorship.sponsor.name
    if sponsorship.kind == sponsorship.Kind.NATIVE_ADVERTISING:
        return NATIVE_ADVERTISING_SPONSOR_LINE.format(sponsor=sponsor)
    return UNDERWRITING_DISCLAIMER.format(sponsor=sponsor)


def sponsorship_full_label(sponsorship: Sponsorship) -> str:
    """Label and sponsor in one phrase, for titles, feeds and cards."""
    if sponsorship.kind == sponsorship.Kind.NATIVE_ADVERTISING:
        return f"{NATIVE_ADVERTISING_LABEL} paid for by {sponsorship.sponsor.name}"
    return sponsorship_label(sponsorship)


def ai_agent_description(author: Author) -> str:
    """What an AI-agent author is, in the words every byline uses."""
    return AI_AGENT_DESCRIPTION.format(operator=author.operator)
