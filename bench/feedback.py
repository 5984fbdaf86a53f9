"""Benchmark of the satisfaction survey on a throw-away SQLite database (no network).

Prints: survey answers stored per second (invitation + submit, as the survey page does),
and the latency of the supervisors' results page, the printable report, the PDF report,
the public summary and the API for one month and one year, with N answers and D download
records spread over the year. Bounded: N answers (default 20,000, BENCH_ANSWERS), D
downloads (default 20,000, BENCH_DOWNLOADS), 20 requests per page measured.

    make bench-feedback
"""

import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import bench_environment, timed  # noqa: E402

WORK = bench_environment(prefix="bench-feedback-")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402
import random  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.choices import Role  # noqa: E402
from accounts.models import Membership, User  # noqa: E402
from catalog.models import Publication  # noqa: E402
from delivery.models import DeliveryRecord  # noqa: E402
from feedback import services  # noqa: E402
from feedback.models import SurveyResponse  # noqa: E402
from offices.seed import load_office  # noqa: E402

N = int(os.environ.get("BENCH_ANSWERS", "20000"))
D = int(os.environ.get("BENCH_DOWNLOADS", "20000"))
SUBMITS = 300
REQUESTS = 20


def main():
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0)
    office = load_office("3324")
    boss = User.objects.create_user("bench-boss@example.com", "x", full_name="Bench")
    Membership.objects.create(user=boss, office=office, role=Role.SUPERVISOR)
    rng = random.Random(3324)
    today = timezone.localdate()
    year_start = datetime.date(today.year, 1, 1)
    span = (today - year_start).days + 1

    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                office=office,
                service=rng.choice(["library", "consultation", "sales"]),
                channel=rng.choice(["walk_in", "download"]),
                day=year_start + datetime.timedelta(days=rng.randrange(span)),
                overall=rng.randint(3, 5),
                comment=rng.choice(["", "", "Petugas ramah."]),
                sex=rng.choice(["male", "female"]),
                **{f"u{i}": rng.randint(2, 4) for i in range(1, 10)},
            )
            for _ in range(N)
        ],
        batch_size=2000,
    )
    users = User.objects.bulk_create(
        [User(email=f"u{i}@example.com", full_name=f"User {i}") for i in range(SUBMITS)]
    )
    publication = Publication.objects.create(office=office, title="Kendal Dalam Angka", year=2026)
    now = timezone.now()
    DeliveryRecord.objects.bulk_create(
        [
            DeliveryRecord(
                user=users[i % SUBMITS],
                publication=publication,
                office=office,
                channel="download",
                created_at=now - datetime.timedelta(minutes=rng.randrange(span * 1440)),
            )
            for i in range(D)
        ],
        batch_size=2000,
    )

    scores = {f"u{i}": 4 for i in range(1, 10)}
    start = time.perf_counter()
    for user in users:
        invitation = services.invite_download_session(user, office, today)
        services.submit(invitation, scores=scores, overall=5, comment="Bagus")
    elapsed = time.perf_counter() - start
    print(f"{'invite + answer (download sessions)':<44} {SUBMITS / elapsed:7.0f} answers/s")

    client = Client()
    client.force_login(boss, backend="allauth.account.auth_backends.AuthenticationBackend")
    month = {"period": "month", "year": today.year, "index": today.month}
    year = {"period": "year", "year": today.year}
    print(f"-- {N + SUBMITS} answers, {D} downloads this year --")
    timed("results page, this month", lambda: client.get("/office/3324/ikm/", month))
    timed("results page, this year", lambda: client.get("/office/3324/ikm/", year))
    timed("printable report, this year", lambda: client.get("/office/3324/ikm/report/", year))
    timed(
        "PDF report, this year",
        lambda: client.get("/office/3324/ikm/report/", {**year, "format": "pdf"}),
        count=5,
    )
    timed("public summary", lambda: Client().get("/ikm/3324/"))
    timed("API /offices/3324/ikm, this year", lambda: client.get("/api/v1/offices/3324/ikm", year))


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
