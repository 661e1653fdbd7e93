"""Dates as readers' wording prints them, computed here independently of articles.labels."""

from django.utils import timezone


def reviewed_on(review) -> str:
    """“3 December 2026”: the local day of a human review."""
    day = timezone.localtime(review.reviewed_at)
    return f"{day.day} {day:%B %Y}"
