"""Many servers, one truth: two gunicorn servers and two workers on one PostgreSQL and one
Redis (loopback). Skipped on SQLite; CI's PostgreSQL run executes it.

Tickets issued alternately through both servers are unique and gap-free, lockers are never
given twice, each background job runs once with two workers, a worker killed mid-job is
requeued and finished once, and stopping one server during a download burst fails no
request (refused connections are retried on the other server, as a load balancer does).
"""

import json
import os
import re
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bench.cluster import (
    CSRF,
    Balancer,
    Cluster,
    base_env,
    collectstatic,
    database_url,
    request,
    session_headers,
)
from catalog.choices import AccessLevel, Visibility
from catalog.models import Publication
from catalog.services import save_publication
from core.tasks import send_email
from delivery.models import DeliveryRecord, DownloadPolicy
from offices.models import Locker
from tests.catalog.conftest import pdf_upload
from tests.delivery.conftest import PAGES
from tests.ops.slow_tasks import slow_job
from tests.visits.conftest import GUEST
from visits import services as visit_services
from visits.choices import DeviceKind
from visits.models import Device, LockerAssignment, QueueTicket

REDIS_URL = "redis://127.0.0.1:6379/14"


def _redis_up():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.cluster,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
    ),
    pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379"),
]


@pytest.fixture(scope="module")
def cluster_dirs(tmp_path_factory):
    return {
        name: tmp_path_factory.mktemp(name)
        for name in ("private", "static", "mail", "logs", "spare")
    }


@pytest.fixture(scope="module")
def cluster(django_db_setup, cluster_dirs):
    """Two servers (one gunicorn process of 8 threads each) and two workers, for the module."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    spare = cluster_dirs["spare"]
    collectstatic(
        base_env(
            database=f"sqlite:///{spare}/db.sqlite3",
            cache="",
            private_root=spare,
            static_root=cluster_dirs["static"],
            mail_dir=spare,
        )
    )
    env = base_env(
        database=database_url(connection.settings_dict),
        cache=REDIS_URL,
        private_root=cluster_dirs["private"],
        static_root=cluster_dirs["static"],
        mail_dir=cluster_dirs["mail"],
    )
    with Cluster(
        env, servers=2, workers=2, web_workers=1, threads=8, log_dir=cluster_dirs["logs"]
    ) as c:
        yield c


@pytest.fixture(autouse=True)
def shared_files(settings, cluster_dirs):
    """This process writes files where the servers read them."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": cluster_dirs["private"]},
        },
    }


@pytest.fixture
def database_tasks(settings):
    settings.TASKS_MODE = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _session(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _wait_for(condition, timeout=60, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def test_two_servers_share_one_truth(
    cluster, kendal, clerk, supervisor, cluster_dirs, database_tasks
):
    ports = cluster.ports
    _device, key = Device.register(kendal, kind=DeviceKind.KIOSK, name="Kiosk", by=supervisor)

    # Tickets: 40 kiosk taps, 8 at a time, alternately through both servers.
    def take(index):
        status, _h, body = request(
            ports[index % 2],
            "POST",
            "/api/v1/offices/3324/tickets",
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            body=json.dumps({"service": "library"}),
        )
        assert status == 201, body
        return json.loads(body)["number"]

    with ThreadPoolExecutor(8) as pool:
        numbers = list(pool.map(take, range(40)))
    sequences = sorted(QueueTicket.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 41))
    assert len(set(numbers)) == 40

    # Lockers: 12 visitors, 4 free lockers, officers clicking on both servers at once.
    active = list(Locker.objects.filter(office=kendal).order_by("label")[:4])
    Locker.objects.filter(office=kendal).exclude(pk__in=[x.pk for x in active]).update(
        is_active=False
    )
    visits = [
        visit_services.fill_guest_book(
            kendal, officer=clerk, data=dict(GUEST, email=f"tamu{i}@example.com")
        )
        for i in range(12)
    ]
    session = _session(clerk)

    def assign(index):
        status, headers, _body = request(
            ports[index % 2],
            "POST",
            f"/office/3324/visits/{visits[index].pk}/locker/",
            headers=session_headers(session),
            form={
                "csrfmiddlewaretoken": CSRF,
                "locker": "",
                "card_type": "ktp",
                "holder_name": f"Tamu {index}",
            },
        )
        assert status == 302, (status, headers)

    with ThreadPoolExecutor(12) as pool:
        list(pool.map(assign, range(12)))
    open_lockers = list(
        LockerAssignment.objects.filter(returned_at__isnull=True).values_list(
            "locker_id", flat=True
        )
    )
    assert sorted(open_lockers) == sorted(x.pk for x in active)

    # Background jobs: 30 e-mails, two workers, each sent exactly once.
    ids = [
        send_email.using(backend="default")
        .enqueue(subject=f"job-{n:02d}", body="isi", to=["tamu@example.com"])
        .id
        for n in range(30)
    ]
    jobs = DBTaskResult.objects.filter(pk__in=ids)
    assert _wait_for(lambda: jobs.filter(status=TaskResultStatus.SUCCESSFUL).count() == 30)
    sent = []
    for path in cluster_dirs["mail"].iterdir():
        sent += re.findall(r"^Subject: (job-\d\d)$", path.read_text(), flags=re.M)
    assert sorted(sent) == [f"job-{n:02d}" for n in range(30)]
    assert all(len(worker_ids) == 1 for worker_ids in jobs.values_list("worker_ids", flat=True))


def test_a_worker_killed_mid_job_is_requeued_and_finished_once(cluster, tmp_path, database_tasks):
    marks = tmp_path / "marks"
    marks.mkdir()
    slow_job.using(backend="default").enqueue(str(marks), 3)
    assert _wait_for(lambda: any(marks.glob("started-*")), timeout=30)
    victim = int(next(marks.glob("started-*")).name.split("-")[1])

    os.kill(victim, signal.SIGKILL)
    cluster.start_worker(len(cluster.workers))  # systemd would restart it
    job = DBTaskResult.objects.get()
    assert job.status == TaskResultStatus.RUNNING
    time.sleep(1.2)
    from django.core.management import call_command

    call_command("requeue_stale_tasks", stale_seconds=1, verbosity=0)

    assert _wait_for(
        lambda: DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL, timeout=30
    )
    job.refresh_from_db()
    assert len(job.worker_ids) == 2
    assert [p.name for p in marks.glob("done-*")] == [f"done-{job.return_value}"]
    assert job.return_value != victim


def test_stopping_one_server_during_a_download_burst_fails_no_request(
    cluster, kendal, citizen, django_capture_on_commit_callbacks
):
    publication = Publication(
        office=kendal,
        title="Kecamatan Weleri Dalam Angka 2024",
        year=2024,
        visibility=Visibility.PUBLISHED,
        access_level=AccessLevel.DOWNLOADABLE,
    )
    with django_capture_on_commit_callbacks(execute=True):
        save_publication(publication, by=None, pdf=pdf_upload(PAGES * 20, title=publication.title))
    DownloadPolicy.objects.filter(pk=DownloadPolicy.for_office(kendal).pk).update(
        downloads_per_hour=30000, downloads_per_day=30000
    )
    session = _session(citizen)
    path = reverse("delivery:publication-download", args=[publication.pk])
    first, second = cluster.ports
    stop_at = time.monotonic() + 6
    results, failures = [], []
    lock = threading.Lock()

    def burst(index):
        balancer = Balancer([first, second] if index % 2 else [second, first])
        while time.monotonic() < stop_at:
            try:
                port, status, headers, size = balancer.send(
                    "POST",
                    path,
                    headers=session_headers(session),
                    form={"csrfmiddlewaretoken": CSRF},
                    stream=True,
                )
            except Exception as exc:  # noqa: BLE001 - every failure is collected
                with lock:
                    failures.append(repr(exc))
                continue
            with lock:
                results.append((port, status, int(headers.get("Content-Length", -1)), size))
        return balancer.retries

    with ThreadPoolExecutor(6) as pool:
        futures = [pool.submit(burst, i) for i in range(6)]
        time.sleep(2)
        cluster.stop_server(first)
        retries = sum(f.result() for f in futures)
    stopped_cleanly = cluster.servers[first].wait(timeout=30)
    cluster.start_server(first)  # back in rotation for any later test

    assert failures == []
    assert results and all(status == 200 for _port, status, _l, _s in results)
    assert all(length == size for _p, _st, length, size in results)
    assert any(port == second for port, *_ in results)
    assert stopped_cleanly == 0
    assert DeliveryRecord.objects.filter(bytes_served__gt=0).count() == len(results)
    print(f"{len(results)} downloads, {retries} retried on the other server")
