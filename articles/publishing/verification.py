"""Checking each claim against its sources' passages: an editor marks a claim verified,
or sends it back with a note.

Who may: those who may review the piece (``articles.review_article``), on their own
desk (the desk firewall); for an AI-written piece, a human other than the person who
created or submitted it, as for its approval (``transitions.made_or_submitted``). A check
holds for the claim as it reads when checked (``sources.verification``): a change to
its wording, sources (what is said of their documents included), chains or passages
makes it need checking again. A door that shows the claim before the check is made
passes the fingerprint it showed (``expected_fingerprint``): the check is refused when
the claim changed since, so nobody vouches for words they did not read. For an
AI-written piece the publish gates ask for every claim verified
(``articles.publishing.verified``, which the gates read); for other pieces the checks
are shown, not required.

Like the workflow's steps, each check locks the article's row, writes the audit event
and then tells the site, partners and the provenance record (after commit).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from articles.models import Article
from articles.publishing import roles, workflow
from articles.publishing.transitions import WorkflowError, made_or_submitted
from articles.publishing.unsourced import is_ai_written
from articles.publishing.verified import summary  # noqa: F401 - re-exported
from sources import verification
from sources.models import Claim, ClaimCheck

Status = Article.Status
CHANGED = "This claim changed since you opened the page: read it again."


class ClaimChanged(WorkflowError):
    """A check refused because the claim no longer reads as the checker was shown it."""

    def __init__(self):
        super().__init__(CHANGED)


def verify(
    claim: Claim, *, by, note: str = "", expected_fingerprint: str | None = None
) -> ClaimCheck:
    """Record that ``by`` checked ``claim`` against its sources' passages and found it holds
    (as it read with ``expected_fingerprint``, when given)."""
    return _check(
        claim,
        by=by,
        verdict=ClaimCheck.Verdict.VERIFIED,
        note=note,
        expected_fingerprint=expected_fingerprint,
    )


def send_back(
    claim: Claim, *, by, note: str, expected_fingerprint: str | None = None
) -> ClaimCheck:
    """Record that ``claim`` does not hold as sourced, with ``note`` saying what is wrong
    (as it read with ``expected_fingerprint``, when given)."""
    return _check(
        claim,
        by=by,
        verdict=ClaimCheck.Verdict.RETURNED,
        note=note,
        expected_fingerprint=expected_fingerprint,
    )


def check_problem(user, article: Article) -> str:
    """Why ``user`` may not check the claims of ``article``; empty if they may."""
    if not user.has_perm("articles.review_article"):
        return "You do not have permission to check claims."
    if problem := roles.work_on_problem(user, article, reporters_may="change"):
        return problem
    if article.status == Status.UNPUBLISHED:
        return "The article is unpublished: reopen it before checking its claims."
    if is_ai_written(article) and (did := made_or_submitted(article).get(user.pk)):
        return (
            f"You {did} this piece, which was written by AI: another editor must check its claims."
        )
    return ""


def _check(
    claim: Claim, *, by, verdict: str, note: str, expected_fingerprint: str | None
) -> ClaimCheck:
    note = note.strip()
    with transaction.atomic():
        article = workflow.lock(claim.article)
        if problem := check_problem(by, article):
            raise WorkflowError(problem)
        # The claim as the locked article holds it, with its sources, chains and checks.
        claim = next((c for c in article.claims.all() if c.pk == claim.pk), None)
        if claim is None:
            raise WorkflowError("This claim is no longer part of the article.")
        fingerprint = verification.fingerprint(claim)
        if expected_fingerprint is not None and expected_fingerprint != fingerprint:
            raise ClaimChanged()
        if verdict == ClaimCheck.Verdict.RETURNED and not note:
            raise WorkflowError("Say what is wrong when sending a claim back.")
        if verdict == ClaimCheck.Verdict.VERIFIED:
            if not claim.attributions.all():
                raise WorkflowError(f"The claim “{claim}” has no source to check it against.")
            if not verification.has_passage(claim):
                raise WorkflowError(
                    f"The claim “{claim}” has no supporting passage: paste the words of the "
                    "source that support it on the claim's sources page, then verify it."
                )
        check = ClaimCheck.objects.create(
            claim=claim,
            verdict=verdict,
            checked_by=by,
            checked_at=timezone.now(),
            fingerprint=fingerprint,
            note=note,
        )
        if verdict == ClaimCheck.Verdict.VERIFIED:
            event, said = "claim_verified", f"Verified the claim “{claim}” against its sources."
        else:
            event, said = "claim_returned", f"Sent back the claim “{claim}”: {note}"
        if note and verdict == ClaimCheck.Verdict.VERIFIED:
            said = f"{said} {note}"
        workflow.log_event(article, event, by=by, note=said)
        if article.status == Status.PUBLISHED:
            # Readers see who checked each claim: the page, partners and record refresh.
            workflow.touch(article)
            workflow.notify(article, "updated")
    return check
