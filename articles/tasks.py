"""Background tasks (django.tasks); each is a thin call into the workflow or the webhooks."""

from django.tasks import task

from articles import webhooks, workflow


@task
def publish_due_articles() -> int:
    """Publish scheduled articles whose time has come; returns how many."""
    return len(workflow.publish_due())


@task
def deliver_webhook(delivery_id: int) -> bool:
    """Attempt one webhook delivery if it is due; returns whether an attempt was made."""
    return webhooks.deliver_if_due(delivery_id) is not None
