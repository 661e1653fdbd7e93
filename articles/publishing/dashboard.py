"""The editorial overview on the admin's front page."""

from django.db.models import Count, Q

from articles.models import Article
from articles.publishing.gates import publish_problems

Status = Article.Status
LIST_LENGTH = 8
# Gates are evaluated in Python; look at the most recently touched pieces only.
BLOCKED_CANDIDATES = 30


def overview(user) -> dict:
    """What an editor needs at a glance: my drafts, the queue, the schedule, what is blocked."""
    mine = Article.objects.on_desks_of(user)
    counts = mine.order_by().aggregate(
        **{status: Count("pk", filter=Q(status=status), distinct=True) for status in Status.values}
    )
    listing = mine.for_listing()
    own = Q(created_by=user) | Q(bylines__author__user=user)
    candidates = (
        Article.objects.for_detail()
        .filter(pk__in=mine.filter(status__in=[Status.IN_REVIEW, Status.APPROVED]).values("pk"))
        .order_by("-updated_at")[:BLOCKED_CANDIDATES]
    )
    blocked = [
        (article, problems) for article in candidates if (problems := publish_problems(article))
    ]
    return {
        "counts": counts,
        "my_drafts": list(
            listing.filter(own, status=Status.DRAFT).order_by("-updated_at")[:LIST_LENGTH]
        ),
        "awaiting_review": list(
            listing.filter(status=Status.IN_REVIEW).order_by("updated_at")[:LIST_LENGTH]
        ),
        "scheduled": list(
            listing.filter(status=Status.SCHEDULED).order_by("scheduled_for")[:LIST_LENGTH]
        ),
        "recently_published": list(listing.published()[:LIST_LENGTH]),
        "blocked": blocked[:LIST_LENGTH],
        "blocked_count": len(blocked),
    }
