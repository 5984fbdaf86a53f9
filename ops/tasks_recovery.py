"""Requeue background jobs whose worker died while running them.

django-tasks-db marks a job RUNNING when a worker claims it and leaves it so if the worker
process is killed: nothing would ever run it again. A job RUNNING for longer than
TASK_STALE_RUNNING_SECONDS (longer than any job of this app takes) is taken as abandoned
and put back to READY, with a conditional update so two recoverers never both requeue it;
after TASK_MAX_ATTEMPTS claims it is marked FAILED instead of looping forever. The row's
``worker_ids`` keeps one entry per attempt.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def requeue_stale_tasks(*, now=None, stale_seconds=None, max_attempts=None):
    """Return ``(requeued, failed)`` counts."""
    now = now or timezone.now()
    stale_seconds = stale_seconds or settings.TASK_STALE_RUNNING_SECONDS
    max_attempts = max_attempts or settings.TASK_MAX_ATTEMPTS
    cutoff = now - datetime.timedelta(seconds=stale_seconds)
    requeued = failed = 0
    with transaction.atomic():
        stale = (
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
            .order_by("started_at")
        )
        for job in stale:
            if len(job.worker_ids) >= max_attempts:
                job.status = TaskResultStatus.FAILED
                job.finished_at = now
                job.exception_class_path = "ops.tasks_recovery.WorkerLost"
                job.traceback = (
                    f"The worker running this job stopped {len(job.worker_ids)} times; giving up."
                )
                job.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                failed += 1
            else:
                job.status = TaskResultStatus.READY
                job.started_at = None
                job.save(update_fields=["status", "started_at"])
                requeued += 1
    return requeued, failed
