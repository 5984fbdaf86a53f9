"""/healthz with the cache and the storage, /metrics behind its token, and the app with
Redis down (pages served, rate limits fail open, health warns)."""

import datetime

import pytest
import redis
import time_machine
from django.core.cache import caches
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from core.ratelimit import limit_exceeded
from ops import metrics
from tests.ops.conftest import free_port
from visits import services as visit_services

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_available():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not redis_available(), reason="needs Redis on 127.0.0.1:6379")


def redis_cache(url):
    return {"default": {"BACKEND": "ops.cache.FailSoftRedisCache", "LOCATION": url}}


@pytest.fixture
def dead_redis():
    with override_settings(CACHES=redis_cache(f"redis://127.0.0.1:{free_port()}/0")):
        yield caches["default"]


@pytest.fixture
def live_redis():
    with override_settings(CACHES=redis_cache(REDIS_URL)):
        cache = caches["default"]
        cache.clear()
        yield cache
        cache.clear()


def test_healthz_warns_but_serves_when_redis_is_down(client, db, dead_redis):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {
            "database": "ok",
            "cache": "degraded",
            "storage": "ok",
            "worker": "ok",
            "whatsapp": "degraded",  # the logging sender of the tests
        },
    }


def test_pages_and_logins_keep_working_when_redis_is_down(client_for, citizen, kendal, dead_redis):
    client = client_for(citizen)  # a cached_db session: stored in the database too

    home = client.get("/")
    profile = client.get(reverse("accounts:profile"))

    assert home.status_code == 200 and "PST" in home.content.decode()
    assert profile.status_code == 200
    assert citizen.email in profile.content.decode()


def test_rate_limits_fail_open_when_redis_is_down(dead_redis):
    assert dead_redis.get("anything", "default") == "default"
    assert dead_redis.add("k", 1) is False
    assert dead_redis.incr("k") == 1
    # The complaints limiter counts 1 each time: nobody is locked out by an outage.
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")
    assert not any(limit_exceeded("complaint", request, 2, 3600) for _ in range(5))


@needs_redis
def test_rate_limits_are_shared_through_redis(live_redis):
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2")
    assert [limit_exceeded("complaint", request, 2, 3600) for _ in range(3)] == [
        False,
        False,
        True,
    ]
    assert live_redis.ping() is True


@needs_redis
def test_healthz_with_redis_reports_ok(client, db, live_redis):
    assert client.get("/healthz").json()["checks"]["cache"] == "ok"


def test_healthz_fails_when_the_storage_cannot_be_written(client, db, settings, tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": blocker},
        },
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "error"


# --- /metrics --------------------------------------------------------------------------------

TOKEN = "metrics-token-for-tests-0123456789"


def test_metrics_is_off_without_a_token(client, db, settings):
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics").status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Token {TOKEN}"])
def test_metrics_refuses_a_missing_or_wrong_token(client, db, settings, header):
    settings.METRICS_TOKEN = TOKEN
    headers = {"Authorization": header} if header else {}

    response = client.get("/metrics", headers=headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"pst_" not in response.content


def test_metrics_refuses_logged_in_users_without_the_token(client_for, admin, settings):
    settings.METRICS_TOKEN = TOKEN

    assert client_for(admin).get("/metrics").status_code == 401


def _metrics(client):
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    return response.content.decode()


def test_metrics_report_queue_sla_tasks_and_requests(client, kendal, clerk, settings):
    metrics._local.clear()  # this process's counters (the locmem cache is not shared)
    from tests.visits.conftest import GUEST

    settings.METRICS_TOKEN = TOKEN
    settings.TASKS_MODE = "database"
    for _ in range(3):
        visit_services.issue_ticket(kendal, "library", officer=clerk)
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(minutes=45), tick=False):
        visit_services.fill_guest_book(kendal, officer=clerk, data=dict(GUEST))
    visit_services.fill_guest_book(
        kendal, officer=clerk, data=dict(GUEST, email="lain@example.com")
    )
    client.get("/")
    client.get("/")

    text = _metrics(client)

    assert 'pst_queue_waiting_tickets{office="3324",service="library"} 3' in text
    assert 'pst_visit_sla_breaches{office="3324"} 1' in text
    assert 'pst_http_requests_total{view="offices:home",method="GET",status="2xx"} 2' in text
    assert 'pst_http_request_duration_seconds_count{view="offices:home"} 2' in text
    assert 'pst_http_request_duration_seconds_bucket{view="offices:home",le="+Inf"} 2' in text
    assert "# TYPE pst_tasks gauge" in text
    assert "pst_task_backlog_age_seconds 0" in text
