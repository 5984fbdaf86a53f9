"""A job whose worker died while running it is put back in the queue and then run once."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.tasks import send_email


@pytest.fixture
def database_tasks(settings, db):
    settings.TASKS_MODE = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _abandoned_job(minutes_ago, attempts=1):
    send_email.using(backend="default").enqueue(
        subject="Tiket", body="Nomor antrean", to=["tamu@example.com"]
    )
    job = DBTaskResult.objects.get()
    job.claim("worker-that-died")
    DBTaskResult.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        worker_ids=[f"worker-{n}" for n in range(attempts)],
    )
    return job


# The worker runs in this process and closes database connections between jobs.
@pytest.mark.django_db(transaction=True)
def test_job_of_a_dead_worker_is_requeued_and_then_runs_once(database_tasks, capsys):
    job = _abandoned_job(minutes_ago=20)

    call_command("requeue_stale_tasks")

    assert "Requeued 1 abandoned job(s); gave up on 0." in capsys.readouterr().out
    job.refresh_from_db()
    assert (job.status, job.started_at) == (TaskResultStatus.READY, None)

    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)

    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert len(job.worker_ids) == 2  # the dead worker's attempt and the one that finished
    assert [message.to for message in mail.outbox] == [["tamu@example.com"]]


def test_a_job_running_for_less_than_the_limit_is_left_alone(database_tasks, settings):
    settings.TASK_STALE_RUNNING_SECONDS = 900
    job = _abandoned_job(minutes_ago=5)

    call_command("requeue_stale_tasks", verbosity=0)

    job.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING


def test_a_job_that_keeps_losing_its_worker_fails_after_the_last_attempt(database_tasks, settings):
    settings.TASK_MAX_ATTEMPTS = 3
    job = _abandoned_job(minutes_ago=20, attempts=3)

    call_command("requeue_stale_tasks", verbosity=0)

    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED
    assert job.exception_class_path == "ops.tasks_recovery.WorkerLost"
    assert mail.outbox == []
