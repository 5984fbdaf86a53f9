"""Reading in the browser (PDF.js, range requests) and a watermarked download, in Chromium."""

import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.choices import AccessLevel, Visibility
from catalog.models import Publication
from catalog.samples import make_pdf
from catalog.services import save_publication
from delivery import watermark
from delivery.models import DeliveryRecord
from offices.seed import load_office
from tests.e2e.conftest import check_accessibility
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def reader_setup(transactional_db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    office = load_office("3324")
    pages = [f"Halaman {n}. Jumlah penduduk Kecamatan Weleri, tabel {n}." for n in range(1, 13)]
    publication = Publication(
        office=office,
        title="Kecamatan Weleri Dalam Angka 2024",
        year=2024,
        visibility=Visibility.PUBLISHED,
        access_level=AccessLevel.DOWNLOADABLE,
    )
    save_publication(
        publication,
        by=None,
        pdf=SimpleUploadedFile("weleri.pdf", make_pdf(pages, title=publication.title)),
    )
    publication.refresh_from_db()
    user = UserFactory(email="rina@example.com", full_name="Rina Peneliti")
    return publication, user


def _login(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/account/profile/$"))


def test_reader_opens_at_page_n_and_download_is_stamped(page, visit, reader_setup, tmp_path):
    publication, user = reader_setup
    _login(page, user.email)

    visit(f"/publications/{publication.pk}/")
    page.get_by_role("link", name="Baca online").click()
    page.wait_for_url(re.compile(rf"/publications/{publication.pk}/read/"))
    visit(f"/publications/{publication.pk}/read/?page=7")
    page.wait_for_selector("#reader[data-rendered='7']", timeout=20_000)

    assert page.get_by_label("Halaman", exact=True).input_value() == "7"
    assert page.get_by_role("status").filter(has_text="Halaman 7").is_visible()
    page.wait_for_selector(".page[data-page-number='7'] .textLayer span")
    text = page.locator(".page[data-page-number='7'] .textLayer").inner_text()
    assert "Halaman 7." in text
    assert "Rina Peneliti" in text
    check_accessibility(page)

    page.get_by_role("button", name="Halaman berikutnya").click()
    page.wait_for_function("document.getElementById('reader').dataset.currentPage === '8'")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Unduh (berwatermark)").click()
    copy = tmp_path / "copy.pdf"
    download_info.value.save_as(copy)

    record = DeliveryRecord.objects.get(channel="download")
    assert subprocess.run(["qpdf", "--check", str(copy)], capture_output=True).returncode == 0
    assert watermark.find_trace_codes(copy) == {record.trace_code}
    assert DeliveryRecord.objects.filter(channel="read", user=user).count() == 2


def test_reader_loads_the_copy_by_ranges(page, reader_setup, tmp_path):
    """PDF.js switches to range requests, so a page can show before the whole copy arrives.

    (After the first page, PDF.js's viewer still asks for every page's dictionary in the
    background, so the whole file is usually read in the end.)
    """
    from delivery.yearbook import build_yearbook

    _publication, user = reader_setup
    yearbook = tmp_path / "yearbook.pdf"
    build_yearbook(yearbook, pages=60, image_every=3)
    big = Publication(
        office=_publication.office,
        title="Kabupaten Kendal Dalam Angka 2024",
        year=2024,
        visibility=Visibility.PUBLISHED,
        access_level=AccessLevel.READ_ONLINE,
    )
    save_publication(big, by=None, pdf=SimpleUploadedFile("kda.pdf", yearbook.read_bytes()))
    big.refresh_from_db()
    _login(page, user.email)

    ranges = []
    page.on(
        "response",
        lambda r: (
            ranges.append((r.status, r.request.headers.get("range")))
            if "/copies/" in r.url
            else None
        ),
    )
    page.goto(f"/publications/{big.pk}/read/?page=2")
    page.wait_for_selector("#reader[data-rendered='2']", timeout=20_000)

    partial = [r for status, r in ranges if status == 206]
    assert partial, ranges
    assert all(r.startswith("bytes=") for r in partial)
    assert DeliveryRecord.objects.get(publication=big).bytes_served > 0
    assert page.get_by_role("button", name="Unduh (berwatermark)").count() == 0
