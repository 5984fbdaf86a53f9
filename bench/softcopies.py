"""Benchmark of the softcopies app on a throw-away SQLite database (no network).

Prints: requests opened per second; the time an officer waits when sending 10 scanned
A4 pages (JPEG, 200 dpi: check, convert to one PDF, prepare for stamping) and when
sending 20 pages cut from a 200-page catalogue PDF; the latency of a stamped download
of the delivered file and of the work queue (25 rows of N requests). Bounded: N
requests (default 1,000, BENCH_SOFTCOPIES to change), 50 requests per page measured.

    make bench-softcopies
"""

import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import bench_environment, timed  # noqa: E402

WORK = tempfile.mkdtemp(prefix="bench-softcopies-")
bench_environment(work=WORK, PRIVATE_STORAGE_ROOT=f"{WORK}/private")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from accounts.choices import Role  # noqa: E402
from accounts.models import Membership, User  # noqa: E402
from catalog.choices import AccessLevel, Visibility  # noqa: E402
from catalog.models import Publication  # noqa: E402
from catalog.samples import make_pdf  # noqa: E402
from catalog.services import save_publication  # noqa: E402
from offices.seed import load_office  # noqa: E402
from softcopies import services  # noqa: E402
from softcopies.choices import Source  # noqa: E402

N = int(os.environ.get("BENCH_SOFTCOPIES", "1000"))
REQUESTS = 50


def scanned_page(number):
    image = Image.new("RGB", (1654, 2339), "white")
    draw = ImageDraw.Draw(image)
    for line in range(60):
        draw.text((120, 150 + line * 35), f"Halaman {number} baris {line} 1.234.567", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, dpi=(200, 200))
    return buffer.getvalue()


def main():
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0)
    office = load_office("3324")
    officer = User.objects.create_user("bench-officer@example.com", "x", full_name="Bench")
    Membership.objects.create(user=officer, office=office, role=Role.SUPERVISOR)
    user = User.objects.create_user("bench-user@example.com", "x", full_name="Pengguna Bench")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    book = Publication.objects.create(
        office=office,
        title="Kendal Dalam Angka 1998",
        year=1998,
        visibility=Visibility.PUBLISHED,
        access_level=AccessLevel.ON_REQUEST,
        hardcopy_copies=1,
    )
    big = Publication(
        office=office,
        title="Statistik Daerah Kendal",
        year=2024,
        visibility=Visibility.PUBLISHED,
        access_level=AccessLevel.ON_REQUEST,
    )
    pages = [f"Halaman {n}. Tabel produksi padi per kecamatan." for n in range(1, 201)]
    save_publication(big, by=None, pdf=SimpleUploadedFile("big.pdf", make_pdf(pages)))
    big.refresh_from_db()

    reverse("softcopies:request-list")  # load the URL configuration before timing
    start = time.perf_counter()
    for i in range(N):
        services.create_request(
            office=office,
            user=user,
            publication=book if i % 2 else None,
            description="" if i % 2 else f"Tabel curah hujan {i}",
            pages="12-13",
            purpose="Riset",
        )
    elapsed = time.perf_counter() - start
    print(
        f"{'open requests (with e-mail)':<46} {N / elapsed:8.0f} requests/s ({N} in {elapsed:.1f} s)"
    )

    scans = [scanned_page(n) for n in range(1, 11)]
    size = sum(len(s) for s in scans) / 1024 / 1024

    def send_scans():
        target = services.create_request(
            office=office, user=user, publication=book, pages="1-10", purpose="Riset"
        )
        uploads = [SimpleUploadedFile(f"p{i:02d}.jpg", data) for i, data in enumerate(scans)]
        services.deliver(target, by=officer, source=Source.UPLOAD, uploads=uploads)
        return target

    timed(f"send 10 scanned A4 JPEG pages ({size:.1f} MB)", send_scans, count=5)

    def send_pages():
        target = services.create_request(
            office=office, user=user, publication=big, pages="20-39", purpose="Riset"
        )
        services.deliver(target, by=officer, source=Source.PAGES, page_range="20-39")
        return target

    timed("send pages 20-39 of a 200-page PDF", send_pages, count=5)

    delivered = send_scans()
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    url = f"/account/softcopies/{delivered.number}/download/"

    def download():
        response = client.post(url)
        assert response.status_code == 200, response.status_code
        return b"".join(response.streaming_content)

    timed(
        f"stamped download of the 10 scans ({delivered.fulfilment.delivered_file.size / 1e6:.1f} MB)",
        download,
    )
    officer_client = Client()
    officer_client.force_login(
        officer, backend="allauth.account.auth_backends.AuthenticationBackend"
    )
    timed(f"work queue (25 of {N} open)", lambda: officer_client.get("/office/3324/softcopies/"))
    timed(
        "work queue, overdue filter",
        lambda: officer_client.get("/office/3324/softcopies/?due=overdue"),
    )
    timed("Kiriman saya (25 of N)", lambda: client.get("/account/softcopies/"))


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
