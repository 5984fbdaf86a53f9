"""Catalogue in Chromium: search from the home page to a page hit; an officer uploads a PDF."""

import re

import pytest

from accounts.choices import Role
from catalog.choices import Visibility
from catalog.models import Publication, Subject
from catalog.samples import make_pdf, make_scanned_pdf
from catalog.services import process_file, save_publication
from catalog.subjects import load_subjects
from offices.seed import load_office
from tests.e2e.conftest import check_accessibility
from tests.factories import PASSWORD, MembershipFactory


@pytest.fixture
def office(transactional_db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    load_subjects()
    return load_office("3324")


@pytest.fixture
def weleri(office):
    from django.core.files.base import ContentFile

    publication = Publication(
        office=office,
        title="Kecamatan Weleri Dalam Angka 2024",
        year=2024,
        catalog_number="1102001.3324120",
        abstract="Gambaran umum Kecamatan Weleri: geografi, penduduk dan pertanian.",
        visibility=Visibility.PUBLISHED,
        hardcopy_copies=1,
        hardcopy_call_number="310 KEN w",
    )
    pages = [
        "Kata Pengantar",
        "Geografi. Kecamatan Weleri terletak di pantai utara Jawa.",
        "Penduduk. Jumlah penduduk Kecamatan Weleri tahun 2023 sebanyak 61.245 jiwa.",
    ]
    save_publication(
        publication,
        by=None,
        subjects=[Subject.objects.get(title="Kependudukan")],
        pdf=ContentFile(make_pdf(pages, title=publication.title), name="weleri.pdf"),
    )
    process_file(publication.pk)
    return publication


def test_search_from_home_to_page_hit_and_publication(page, visit, weleri):
    visit("/")
    page.get_by_label("Cari publikasi").fill("jumlah penduduk kecamatan weleri")
    page.get_by_role("button", name="Cari").click()
    page.wait_for_url(re.compile(r"/publications/\?q="))
    check_accessibility(page)
    assert page.get_by_role("heading", level=2, name="1 publikasi").is_visible()
    result = page.locator(".result").first
    assert result.locator("mark").first.inner_text().lower() in {
        "jumlah",
        "penduduk",
        "kecamatan",
        "weleri",
    }
    page_link = result.get_by_role("link", name="hal. 3")
    assert page_link.get_attribute("href") == f"/publications/{weleri.pk}/read/?page=3"
    result.get_by_role("link", name="Kecamatan Weleri Dalam Angka 2024").click()
    page.wait_for_url(re.compile(rf"/publications/{weleri.pk}/$"))
    check_accessibility(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Kecamatan Weleri Dalam Angka 2024"
    assert page.get_by_text("310 KEN w").is_visible()
    assert page.get_by_role("img", name="Sampul Kecamatan Weleri Dalam Angka 2024").is_visible()


def test_search_as_you_type_updates_results(page, visit, weleri):
    visit("/publications/")
    page.get_by_label("Cari publikasi").press_sequentially("welr", delay=30)
    page.get_by_label("Cari publikasi").press("Backspace")
    page.get_by_label("Cari publikasi").press_sequentially("eri", delay=30)
    page.wait_for_url(re.compile(r"q=weleri"))
    assert page.locator(".result h3").first.inner_text() == "Kecamatan Weleri Dalam Angka 2024"


def test_officer_uploads_a_pdf_and_sees_it_processed(page, visit, office, tmp_path):
    MembershipFactory(office=office, role=Role.OFFICER, user__email="petugas@example.com")
    visit("/accounts/login/")
    page.locator("#id_login").fill("petugas@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    visit("/office/3324/catalog/new/")
    page.get_by_label("Judul").fill("Statistik Daerah Kabupaten Kendal 2024")
    page.locator("#id_year").fill("2024")
    page.get_by_label("Nomor katalog").fill("1101002.3324")
    page.get_by_label("Status tampil").select_option("published")
    pdf = tmp_path / "statda.pdf"
    pdf.write_bytes(make_pdf(["Ringkasan", "Jumlah penduduk Kendal 1.064.812 jiwa."]))
    page.get_by_label("Berkas PDF").set_input_files(str(pdf))
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(re.compile(r"/office/3324/catalog/\d+/$"))
    check_accessibility(page)
    assert page.locator(".processing-state").inner_text() == "Siap"
    assert page.get_by_text("2 halaman").first.is_visible()
    visit("/publications/?q=penduduk+kendal")
    assert page.locator(".result h3").first.inner_text() == "Statistik Daerah Kabupaten Kendal 2024"


@pytest.mark.parametrize("width", [360, 1280])
def test_officer_uploads_a_scan_and_sees_its_text_recognised(page, visit, office, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 900})
    MembershipFactory(office=office, role=Role.OFFICER, user__email="petugas@example.com")
    visit("/accounts/login/")
    page.locator("#id_login").fill("petugas@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    visit("/office/3324/catalog/new/")
    page.get_by_label("Judul").fill("Statistik Pertanian Kendal 1998")
    page.locator("#id_year").fill("1998")
    page.get_by_label("Status tampil").select_option("published")
    scan = tmp_path / "pindaian.pdf"
    scan.write_bytes(make_scanned_pdf(["Luas panen padi sawah Kecamatan Boja tahun 1998."]))
    page.get_by_label("Berkas PDF").set_input_files(str(scan))
    # The text recognition runs at once under the tests' immediate job backend: the save
    # waits for it.
    page.get_by_role("button", name="Simpan").click(timeout=180_000)
    page.wait_for_url(re.compile(r"/office/3324/catalog/\d+/$"), timeout=180_000)
    check_accessibility(page)
    assert page.locator(".processing-state").inner_text() == "Siap"
    assert page.locator(".ocr-state").inner_text() == "Teks dikenali"
    assert page.get_by_text("1 dari 1 halaman (halaman 1)").is_visible()
    visit("/publications/?q=sawah+boja")
    assert page.locator(".result h3").first.inner_text() == "Statistik Pertanian Kendal 1998"
