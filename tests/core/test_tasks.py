"""The background-job path: e-mails are queued in the database and a worker sends them."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.accounts.test_signup import VALID


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.mark.django_db(transaction=True)
def test_signup_mail_waits_for_the_worker_then_is_sent(client, database_tasks):
    from offices.seed import load_office

    load_office("3324")
    client.post(reverse("account_signup"), VALID)

    assert mail.outbox == []
    job = DBTaskResult.objects.get()
    assert job.task_path == "core.tasks.send_email"
    assert job.status == "READY"

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    assert [m.to for m in mail.outbox] == [["peneliti@example.com"]]
    assert "confirm-email" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_no_mail_is_queued_when_the_transaction_rolls_back(database_tasks):
    from django.core.mail import EmailMessage
    from django.db import transaction

    from core.tasks import enqueue_email

    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_email(EmailMessage("s", "b", to=["x@example.com"]))
        raise RuntimeError("rolled back")

    assert DBTaskResult.objects.count() == 0
