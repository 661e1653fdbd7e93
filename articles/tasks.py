"""The background tasks (django.tasks), each defined beside the code it runs.

A queued task is stored by its import path, and rows queued before the tasks
moved name these paths; importing them here keeps such rows runnable.
"""

from articles.media.renditions import make_renditions
from articles.publishing.workflow import publish_due_articles
from articles.webhooks.delivery import deliver_webhook

__all__ = ["deliver_webhook", "make_renditions", "publish_due_articles"]
