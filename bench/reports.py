"""Benchmark of the reports: a year of one office's data, then the dashboard and the
monthly report timed, on SQLite and on PostgreSQL (loopback, throw-away databases).

Fills 50,000 walk-in visits, 500,000 reads/downloads, 5,000 softcopy requests,
2,000 complaints, 20,000 survey responses and 20,000 logged searches over the twelve
months of 2026 for office 3324, then prints the median and worst of 5 runs for: the
dashboard for one month and for the year (full HTTP request through the test client,
as a supervisor), and the monthly report as XLSX and PDF.

    make bench-reports                      # SQLite, then PostgreSQL if reachable
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres make bench-reports
    BENCH_SCALE=0.1 make bench-reports      # a tenth of the rows, for a quick look
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
VISITS = int(50_000 * SCALE)
DELIVERIES = int(500_000 * SCALE)
COMPLAINTS = int(2_000 * SCALE)
REQUESTS = int(5_000 * SCALE)
RESPONSES = int(20_000 * SCALE)
SEARCHES = int(20_000 * SCALE)
USERS = max(50, int(5_000 * SCALE))
RUNS = 5
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "pst_bench_reports"


def configure(database_url, work):
    sys.path.insert(0, str(ROOT))
    from bench.common import bench_environment

    bench_environment(database_url=database_url, work=work)
    import django

    django.setup()
    from django.conf import settings

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }


def fill():
    import datetime
    import random

    from django.core.management import call_command

    from accounts.choices import Education, InstitutionCategory, Occupation, Purpose, Role, Sex
    from accounts.models import Membership, User
    from catalog.models import Publication, SearchLog, Subject
    from complaints.choices import Channel as ComplaintChannel
    from complaints.choices import Status
    from complaints.models import Complaint
    from delivery.choices import Channel
    from delivery.models import DeliveryRecord
    from feedback.models import SurveyResponse
    from offices.choices import Service
    from offices.seed import load_office
    from softcopies.choices import Kind
    from softcopies.choices import Status as RequestStatus
    from softcopies.models import SoftcopyRequest
    from visits.models import Visit

    call_command("migrate", verbosity=0)
    office = load_office("3324")
    tz = office.tzinfo
    rng = random.Random(2026)
    supervisor = User.objects.create_user("bench-head@example.com", "x", full_name="Kepala")
    Membership.objects.create(user=supervisor, office=office, role=Role.SUPERVISOR)

    def pick(choices):
        return rng.choice([*choices.values, ""])

    User.objects.bulk_create(
        User(
            email=f"user{i}@example.com",
            full_name=f"Pengguna {i}",
            sex=pick(Sex),
            education=pick(Education),
            occupation=pick(Occupation),
            institution_category=pick(InstitutionCategory),
            purpose=pick(Purpose),
        )
        for i in range(USERS)
    )
    user_ids = list(User.objects.exclude(pk=supervisor.pk).values_list("pk", flat=True))
    subjects = list(Subject.objects.all())
    Publication.objects.bulk_create(
        Publication(office=office, title=f"Publikasi {i}", year=2020 + i % 7) for i in range(300)
    )
    publications = list(Publication.objects.filter(office=office))
    for publication in publications:
        publication.subjects.set(rng.sample(subjects, 2))
    pub_ids = [p.pk for p in publications]

    year_start = datetime.datetime(2026, 1, 1, tzinfo=tz)
    year_seconds = 365 * 24 * 3600

    def moment():
        day = year_start + datetime.timedelta(days=rng.randrange(365))
        return day.replace(hour=rng.randrange(8, 16), minute=rng.randrange(60))

    started = time.perf_counter()
    batch = []
    for _i in range(VISITS):
        at = moment()
        wait = rng.expovariate(1 / 7) if rng.random() < 0.97 else None
        batch.append(
            Visit(
                office=office,
                visitor_id=rng.choice(user_ids),
                day=at.date(),
                service=rng.choice(Service.values),
                target_minutes=10,
                guest_book_at=at,
                service_started_at=at + datetime.timedelta(minutes=wait) if wait else None,
            )
        )
        if len(batch) == 5000:
            Visit.objects.bulk_create(batch)
            batch = []
    Visit.objects.bulk_create(batch)

    channels = [Channel.READ] * 6 + [Channel.DOWNLOAD] * 3 + [Channel.DELIVERED]
    batch = []
    for i in range(DELIVERIES):
        batch.append(
            DeliveryRecord(
                user_id=rng.choice(user_ids),
                publication_id=rng.choice(pub_ids),
                office=office,
                channel=rng.choice(channels),
                trace_code=f"B{i:015d}",
                created_at=year_start + datetime.timedelta(seconds=rng.randrange(year_seconds)),
            )
        )
        if len(batch) == 10000:
            DeliveryRecord.objects.bulk_create(batch)
            batch = []
    DeliveryRecord.objects.bulk_create(batch)

    Complaint.objects.bulk_create(
        Complaint(
            office=office,
            tracking_code=f"B{i:08d}",
            channel=rng.choice(ComplaintChannel.values),
            status=rng.choice(Status.values),
            description="Keluhan",
            received_at=(at := moment()),
            target_working_days=5,
            due_date=at.date() + datetime.timedelta(days=7),
            answered_at=at + datetime.timedelta(days=rng.randrange(1, 12))
            if rng.random() < 0.6
            else None,
        )
        for i in range(COMPLAINTS)
    )
    SoftcopyRequest.objects.bulk_create(
        (
            SoftcopyRequest(
                office=office,
                number=f"B{i:08d}",
                kind=rng.choice(Kind.values),
                user_id=rng.choice(user_ids),
                publication_id=rng.choice(pub_ids),
                purpose="Penelitian",
                created_at=(at := moment()),
                due_date=at.date() + datetime.timedelta(days=5),
                status=(status := rng.choice(RequestStatus.values)),
                delivered_at=at + datetime.timedelta(hours=rng.randrange(1, 200))
                if status in ("delivered", "closed")
                else None,
            )
            for i in range(REQUESTS)
        ),
        batch_size=2000,
    )
    SurveyResponse.objects.bulk_create(
        (
            SurveyResponse(
                office=office,
                service=rng.choice(Service.values),
                channel="walk_in",
                day=moment().date(),
                overall=rng.randrange(1, 6),
                **{f"u{n}": rng.randrange(1, 5) for n in range(1, 10)},
            )
            for _i in range(RESPONSES)
        ),
        batch_size=5000,
    )
    words = ["inflasi", "penduduk", "kemiskinan", "upah", "ipm", "padi", "kendal", "weleri"]
    SearchLog.objects.bulk_create(
        (
            SearchLog(
                office=office,
                query=" ".join(rng.sample(words, 2)),
                result_count=rng.choice([0, 0, 1, 3, 12]),
                day=moment().date(),
            )
            for _i in range(SEARCHES)
        ),
        batch_size=5000,
    )
    print(
        f"  filled {VISITS:,} visits, {DELIVERIES:,} reads/downloads, {REQUESTS:,} requests,"
        f" {COMPLAINTS:,} complaints, {RESPONSES:,} survey responses, {SEARCHES:,} searches,"
        f" {USERS:,} users in {time.perf_counter() - started:.0f} s"
    )
    return office, supervisor


def timed(label, function):
    """Wall time (median, worst) and this process's CPU time (median) of RUNS calls.

    The CPU time leaves out other programs competing for the machine; on PostgreSQL it
    also leaves out the server's work, so the wall time is the figure to compare.
    """
    durations, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        durations.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    durations.sort()
    cpu.sort()
    print(
        f"  {label:<34} median {durations[RUNS // 2]:5.2f} s  worst {durations[-1]:5.2f} s"
        f"  (cpu {cpu[RUNS // 2]:5.2f} s, load {os.getloadavg()[0]:.1f})"
    )


def measure():
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from reports.monthly import build_monthly
    from reports.period import Period

    office, supervisor = fill()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(supervisor, backend="allauth.account.auth_backends.AuthenticationBackend")
    month = {"start": "2026-11-01", "end": "2026-11-30"}
    year = {"start": "2026-01-01", "end": "2026-12-31"}
    for params in (month, year):
        response = client.get("/office/3324/reports/", params)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get("/office/3324/reports/", year)
    print(f"  dashboard queries (year): {len(queries)}")
    if os.environ.get("BENCH_PROFILE"):
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:6]:
            print(f"    {query['time']} s  {query['sql'][:300]}")
    timed("dashboard, one month (Nov 2026)", lambda: client.get("/office/3324/reports/", month))
    timed("dashboard, one year (2026)", lambda: client.get("/office/3324/reports/", year))
    november = Period.month("2026-11", office.tzinfo)
    timed("monthly report XLSX (Nov 2026)", lambda: build_monthly(office, november, "xlsx"))
    timed("monthly report PDF (Nov 2026)", lambda: build_monthly(office, november, "pdf"))


def child(database_url, work):
    configure(database_url, work)
    from django.db import connection

    print(f"{connection.vendor}:")
    measure()


def postgres_available():
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        return True
    except Exception as error:  # noqa: BLE001 - any failure means "skip PostgreSQL"
        print(f"postgresql: skipped ({error.__class__.__name__}: {error})")
        return False


def drop_postgres():
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        work = tempfile.mkdtemp(prefix="bench-reports-")
        os.makedirs(f"{work}/static")
        try:
            child(sys.argv[2], work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    work = tempfile.mkdtemp(prefix="bench-reports-db-")
    try:
        subprocess.run(
            [sys.executable, __file__, "--child", f"sqlite:///{work}/bench.sqlite3"], check=True
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if postgres_available():
        base = PG_ADMIN_URL.rsplit("/", 1)[0]
        try:
            subprocess.run([sys.executable, __file__, "--child", f"{base}/{PG_DB}"], check=True)
        finally:
            drop_postgres()


if __name__ == "__main__":
    main()
