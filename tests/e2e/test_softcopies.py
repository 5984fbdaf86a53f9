"""A user asks for pages of a printed-only book; an officer uploads two scans; the user
downloads a watermarked, traceable PDF from "Kiriman saya" (Chromium)."""

import io
import re

import pikepdf
import pytest
from django.core import mail
from PIL import Image, ImageDraw

from accounts.choices import Role
from catalog.choices import AccessLevel, Visibility
from catalog.models import Publication
from delivery.models import DeliveryRecord
from delivery.services import trace_file
from offices.seed import load_office
from softcopies.models import SoftcopyRequest
from tests.e2e.conftest import check_accessibility
from tests.factories import PASSWORD, MembershipFactory, UserFactory


@pytest.fixture
def library(transactional_db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    settings.SITE_URL = "http://testserver"
    office = load_office("3324")
    book = Publication.objects.create(
        office=office,
        title="Kabupaten Kendal Dalam Angka 1998",
        year=1998,
        visibility=Visibility.PUBLISHED,
        access_level=AccessLevel.ON_REQUEST,
        hardcopy_copies=1,
        hardcopy_call_number="310 KEN 1998",
    )
    user = UserFactory(email="rina@example.com", full_name="Rina Peneliti")
    officer = MembershipFactory(
        office=office, role=Role.OFFICER, user__email="petugas@example.com"
    ).user
    return office, book, user, officer


def _login(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/account/profile/$"))


def _logout(page):
    page.get_by_role("button", name="Keluar").click()


def _scan(path, number, width):
    image = Image.new("RGB", (width, 1169), "white")
    ImageDraw.Draw(image).text((80, 80), f"Halaman {number}", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(100, 100))
    path.write_bytes(buffer.getvalue())
    return path


def test_pages_of_a_hardcopy_book_scanned_and_downloaded(page, visit, library, tmp_path):
    office, book, user, officer = library

    # The user asks for two pages of the printed-only book.
    _login(page, user.email)
    visit(f"/publications/{book.pk}/")
    page.get_by_role("link", name="Minta softcopy").click()
    page.wait_for_url(re.compile(r"/softcopies/new/"))
    check_accessibility(page)
    assert page.get_by_label("Publikasi").input_value() == str(book.pk)
    page.get_by_label("Halaman atau bagian yang diminta").fill("12-13")
    page.get_by_label("Tujuan penggunaan").fill("Skripsi tentang pertanian Kendal")
    page.get_by_role("button", name="Kirim permintaan").click()
    request = SoftcopyRequest.objects.get()
    page.wait_for_url(re.compile(rf"/account/softcopies/{request.number}/$"))
    assert page.get_by_text("Diterima", exact=True).first.is_visible()
    check_accessibility(page)
    assert mail.outbox[0].to == [user.email]
    _logout(page)

    # The officer finds it in the work queue and uploads two scanned pages.
    _login(page, officer.email)
    visit(f"/office/{office.code}/softcopies/")
    page.get_by_role("link", name=request.number).click()
    page.wait_for_url(re.compile(rf"/office/{office.code}/softcopies/{request.number}/$"))
    check_accessibility(page)
    page.get_by_role("button", name="Mulai proses").click()
    page.wait_for_url(re.compile(rf"/softcopies/{request.number}/$"))
    page.get_by_label("Berkas hasil pindai").set_input_files(
        [
            str(_scan(tmp_path / "hal-13.png", 13, width=800)),
            str(_scan(tmp_path / "hal-12.png", 12, width=827)),
        ]
    )
    # Sending scans also recognises their text (catalog.ocr), at once under the tests'
    # immediate job backend: the click may wait for it.
    page.get_by_role("button", name="Kirim kepada pengguna").click(timeout=180_000)
    page.wait_for_url(re.compile(rf"/softcopies/{request.number}/$"))
    assert page.get_by_text("Berkas telah dikirim").is_visible()
    request.refresh_from_db()
    assert request.status == "delivered"
    delivered = [m for m in mail.outbox if request.number in m.subject and m is not mail.outbox[0]]
    assert [m.to for m in delivered] == [[user.email]]
    assert f"/account/softcopies/{request.number}/" in delivered[0].body
    assert delivered[0].attachments == []
    _logout(page)

    # The user opens "Kiriman saya" and downloads the stamped PDF.
    _login(page, user.email)
    visit("/account/softcopies/")
    assert page.get_by_role("heading", name="Kiriman saya").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name=f"Unduh {request.number}").click()
    copy = tmp_path / "copy.pdf"
    download_info.value.save_as(copy)

    record = DeliveryRecord.objects.get()
    assert (record.channel, record.user, record.delivered_by) == ("delivered", user, officer)
    with pikepdf.open(copy) as pdf:
        # Name order: hal-12 (827 px at 100 dpi) first, then hal-13 (800 px), though
        # they were chosen in the other order.
        widths = [round(float(p.mediabox[2]) - float(p.mediabox[0])) for p in pdf.pages]
        assert widths == [595, 576]
    codes, records = trace_file(copy)
    assert codes == {record.trace_code}
    assert records == [record]
    request.refresh_from_db()
    assert request.status == "closed"


def test_officer_and_supervisor_pages_are_accessible(page, visit, library):
    office, book, user, officer = library
    supervisor = MembershipFactory(
        office=office, role=Role.SUPERVISOR, user__email="kepala@example.com"
    ).user
    from softcopies import services

    created = services.create_request(
        office=office, user=user, publication=book, pages="1-2", purpose="Riset"
    )
    SoftcopyRequest.objects.filter(pk=created.pk).update(due_date="2020-01-06")
    _login(page, supervisor.email)
    visit(f"/office/{office.code}/softcopies/summary/")
    assert page.get_by_role("link", name=created.number).is_visible()
    visit(f"/office/{office.code}/softcopies/new/")
    visit(f"/office/{office.code}/softcopies/?due=overdue")
    assert page.get_by_text("Melewati tenggat").first.is_visible()
    _logout(page)
    _login(page, user.email)
    visit(f"/account/softcopies/{created.number}/cancel/")
    page.get_by_role("button", name="Ya, batalkan permintaan").click()
    page.wait_for_url(re.compile(rf"/account/softcopies/{created.number}/$"))
    assert page.get_by_text("Dibatalkan", exact=True).first.is_visible()
