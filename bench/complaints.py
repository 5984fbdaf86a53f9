"""Benchmark of the complaints app on a throw-away SQLite database (no network).

Prints: complaints registered per second, working-day due dates per second, and the
latency of the officers' register (25 rows of N complaints), of the CSV export and of
a public tracking lookup through the API. Bounded: N complaints (default 2,000,
BENCH_COMPLAINTS to change), 50 requests per page measured.

    make bench-complaints
"""

import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import bench_environment, timed  # noqa: E402

WORK = bench_environment(prefix="bench-complaints-")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.choices import Role  # noqa: E402
from accounts.models import Membership, User  # noqa: E402
from complaints import services  # noqa: E402
from complaints.choices import Channel, Severity  # noqa: E402
from offices.seed import load_office  # noqa: E402
from offices.workdays import WorkingCalendar  # noqa: E402

N = int(os.environ.get("BENCH_COMPLAINTS", "2000"))
REQUESTS = 50


def main():
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0)
    office = load_office("3324")
    officer = User.objects.create_user("bench-officer@example.com", "x", full_name="Bench")
    Membership.objects.create(user=officer, office=office, role=Role.SUPERVISOR)

    channels = list(Channel)
    start = time.perf_counter()
    now = datetime.datetime.now(datetime.UTC)
    for i in range(N):
        services.submit_complaint(
            office=office,
            channel=channels[i % len(channels)],
            description=f"Keluhan nomor {i}: layanan perpustakaan lambat.",
            received_at=now - datetime.timedelta(hours=i),
            severity=Severity.NORMAL,
            contact_email=f"warga{i}@example.com" if i % 3 == 0 else "",
        )
    elapsed = time.perf_counter() - start
    print(f"{'register complaints':<42} {N / elapsed:7.0f} complaints/s ({N} in {elapsed:.1f} s)")

    calendar = WorkingCalendar(office)
    start = time.perf_counter()
    day = datetime.date(2026, 1, 1)
    for i in range(20000):
        calendar.add_working_days(day + datetime.timedelta(days=i % 365), 14)
    elapsed = time.perf_counter() - start
    print(f"{'due dates (14 working days)':<42} {20000 / elapsed:7.0f} /s")

    client = Client()
    client.force_login(officer, backend="allauth.account.auth_backends.AuthenticationBackend")
    code = services.submit_complaint(
        office=office, channel=Channel.WEB, description="Lookup target complaint."
    ).tracking_code
    timed(f"register page (25 of {N + 1})", lambda: client.get("/office/3324/complaints/"))
    timed(
        "register page, overdue filter", lambda: client.get("/office/3324/complaints/?due=overdue")
    )
    timed(
        f"CSV export ({N + 1} rows)",
        lambda: client.get("/office/3324/complaints/export.csv"),
        count=5,
    )
    anonymous = Client()
    timed("API tracking lookup", lambda: anonymous.get(f"/api/v1/complaints/{code}"))


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
