import datetime

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from channels.models import ChannelSettings
from core.tasks import send_email
from tests.factories import OfficeFactory


def test_healthz_reports_database_and_worker_ok(client, db, settings, monkeypatch):
    settings.TASKS_MODE = "database"
    # WhatsApp connected (the channels app's check): a number, a token, the app secret.
    settings.WHATSAPP_SENDER = "cloud"
    settings.META_APP_SECRET = "app-secret"
    monkeypatch.setenv("WHATSAPP_ACCESS_TOKEN", "token")
    ChannelSettings.objects.create(office=OfficeFactory(), whatsapp_phone_number_id="1065")

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "cache": "ok",
            "storage": "ok",
            "worker": "ok",
            "whatsapp": "ok",
        },
    }


def test_healthz_fails_when_jobs_wait_too_long(client, db, settings):
    settings.TASKS_MODE = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_email.using(backend="default").enqueue(subject="s", body="b", to=["a@example.com"])
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=30))

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
        "worker": "stalled",
        "whatsapp": "degraded",  # the logging sender of the tests
    }
