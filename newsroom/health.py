"""``/health/``: is this instance able to serve? (django-health-check)

The database (both aliases), the cache, and the task queue: a queued task that
has waited longer than ``TaskQueue.max_wait`` means no ``db_worker`` is taking
work. ``/health/tasks/`` checks only the queue and the primary database: the
worker's own compose health check runs it with ``manage.py health_check
health_tasks --no-http``. File storage is not probed (each probe would write).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Q
from django.tasks import default_task_backend
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """Tasks are being taken: none has been due for longer than ``max_wait``."""

    max_wait: dt.timedelta = dataclasses.field(default=dt.timedelta(minutes=5), repr=False)

    def run(self) -> None:
        if not default_task_backend.supports_get_result:
            return  # the immediate backend runs each task as it is enqueued
        from django_tasks_db.models import DBTaskResult, get_date_max

        since = timezone.now() - self.max_wait
        overdue = (
            DBTaskResult.objects.using("default")
            .ready()
            .filter(Q(run_after__lte=since) | Q(run_after=get_date_max(), enqueued_at__lte=since))
        )
        if overdue.exists():
            raise ServiceUnavailable(
                f"Tasks have waited over {self.max_wait}: is `manage.py db_worker` running?"
            )


CHECKS = [
    ("health_check.checks.Database", {"alias": "default"}),
    ("health_check.checks.Database", {"alias": "replica"}),
    "health_check.checks.Cache",
    TaskQueue,
]
WORKER_CHECKS = [("health_check.checks.Database", {"alias": "default"}), TaskQueue]


class UnavailableWhenFailing(HealthCheckView):
    """503 (not django-health-check's 500) when a check fails: the instance is up and
    says so; what it depends on is not, which load balancers read as "not now"."""

    async def dispatch(self, request, *args, **kwargs):
        response = await super().dispatch(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
        return response


health = UnavailableWhenFailing.as_view(checks=CHECKS)
worker_health = UnavailableWhenFailing.as_view(checks=WORKER_CHECKS)
