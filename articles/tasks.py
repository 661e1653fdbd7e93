"""Background tasks (django.tasks); each is a thin call into the workflow."""

from django.tasks import task

from articles import workflow


@task
def publish_due_articles() -> int:
    """Publish scheduled articles whose time has come; returns how many."""
    return len(workflow.publish_due())
