"""Which claims of a piece are verified against their sources, and the publish gate that
asks an AI-written piece for all of them (``articles.publishing.verification`` records
the checks). Reads the claims as prefetched (``for_detail``): no queries, but one to
learn who submitted the piece when a verification might be theirs.

Who may not check the claims of an AI-written piece is who may not approve it
(``transitions.second_person_problem``): the person who created it and the person who
submitted it. An editor who files a piece with their own key and lets the agent submit
it (an agent's submission has no person) is still its maker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from articles.models import Article
from articles.publishing.transitions import made_or_submitted
from articles.publishing.unsourced import is_ai_written
from sources import verification
from sources.models import Claim, ClaimCheck

Status = Article.Status
SHOWN_IN_MESSAGE = 3


@dataclass
class ClaimState:
    claim: Claim
    check: ClaimCheck | None  # the current check (verified or sent back), if any

    @property
    def verified(self) -> bool:
        return self.check is not None and self.check.verdict == ClaimCheck.Verdict.VERIFIED

    @property
    def sent_back(self) -> bool:
        return self.check is not None and self.check.verdict == ClaimCheck.Verdict.RETURNED


@dataclass
class Summary:
    claims: list[ClaimState] = field(default_factory=list)

    @property
    def verified(self) -> list[ClaimState]:
        return [state for state in self.claims if state.verified]

    @property
    def sent_back(self) -> list[ClaimState]:
        return [state for state in self.claims if state.sent_back]

    @property
    def unverified(self) -> list[ClaimState]:
        return [state for state in self.claims if state.check is None]

    @property
    def text(self) -> str:
        """“3 of 5 claims verified”, with those sent back."""
        total = len(self.claims)
        text = f"{len(self.verified)} of {total} claim{'s' if total != 1 else ''} verified"
        if returned := len(self.sent_back):
            text += f", {returned} sent back"
        return text


def summary(article: Article, claims=None) -> Summary:
    """Each claim of ``article`` (or ``claims``, read with their citations) with its current
    check (the claims as prefetched)."""
    claims = article.claims.all() if claims is None else claims
    return Summary([ClaimState(c, verification.current_check(c)) for c in claims])


def gate_problem(article: Article) -> str:
    """The publish gate's problem: an AI-written piece needs every claim verified, for its
    current wording and sources, by a human other than the person who created or
    submitted it (``made_or_submitted``). Empty when it passes or does not apply (other
    pieces, and a piece already live: every change to it is reviewed by a human, as the
    review rule asks)."""
    if not is_ai_written(article) or article.status == Status.PUBLISHED:
        return ""
    states = summary(article).claims
    if not states:
        return ""
    checkers = {state.check.checked_by_id for state in states if state.verified}
    # Who submitted it is read only when a verification might be theirs.
    makers = made_or_submitted(article) if checkers else {}
    pending = [
        state.claim for state in states if not state.verified or state.check.checked_by_id in makers
    ]
    if not pending:
        return ""
    shown = "; ".join(f"“{_short(str(claim))}”" for claim in pending[:SHOWN_IN_MESSAGE])
    more = (
        f"; and {len(pending) - SHOWN_IN_MESSAGE} more" if len(pending) > SHOWN_IN_MESSAGE else ""
    )
    noun = "claim is" if len(pending) == 1 else "claims are"
    return (
        f"This piece was written by AI: a human editor other than its submitter must verify "
        f"every claim against its sources. {len(pending)} {noun} not verified: {shown}{more}."
    )


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
