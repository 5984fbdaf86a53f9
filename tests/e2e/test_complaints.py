"""An anonymous web complaint → tracking code → an officer verifies, notes and answers → the
tracking page shows the answer and not the note; a LAPOR! complaint registered by an officer
gets a due date that skips a weekend and a public holiday. (The overdue escalation with a
moved clock is tests/complaints/test_reminders.py.)"""

import re

import pytest

from accounts.choices import Role
from offices.seed import load_office
from tests.e2e.conftest import check_accessibility
from tests.factories import PASSWORD, MembershipFactory


@pytest.fixture
def office(transactional_db, e2e_settings):
    e2e_settings.COMPLAINT_FORM_MIN_SECONDS = 0
    return load_office("3324")


@pytest.fixture
def officer(office):
    return MembershipFactory(
        office=office,
        role=Role.OFFICER,
        user__email="petugas@example.com",
        user__full_name="Dewi Petugas",
    ).user


def _log_in(page, visit, email):
    visit("/accounts/login/")
    # Field ids rather than labels: the account pages' wording belongs to another app.
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")


def test_web_complaint_is_answered_and_tracked_without_internal_notes(
    page, visit, browser, live_server, office, officer
):
    visit("/contact/")
    page.get_by_role("link", name="Sampaikan pengaduan").click()
    page.wait_for_url(re.compile(r"/complaints/new/$"))
    check_accessibility(page)
    page.get_by_label("Apa yang terjadi?").fill(
        "Ruang baca sangat panas karena AC mati sepanjang hari."
    )
    page.get_by_label("Layanan apa?").select_option("library")
    page.get_by_role("button", name="Kirim pengaduan").click()

    page.wait_for_url(re.compile(r"/complaints/track/[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{2}/$"))
    check_accessibility(page)
    code = page.url.rstrip("/").rsplit("/", 1)[1]
    assert code in page.get_by_role("status").inner_text()
    assert page.locator(".complaint-status").inner_text() == "Diterima"

    # An officer handles it in another browser session.
    officer_context = browser.new_context(locale="id-ID", bypass_csp=True, base_url=live_server.url)
    officer_page = officer_context.new_page()
    errors = []
    officer_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    def officer_visit(path):
        response = officer_page.goto(path)
        assert response.status < 400
        check_accessibility(officer_page)

    _log_in(officer_page, officer_visit, officer.email)
    officer_visit("/office/3324/complaints/")
    officer_page.get_by_role("link", name=code).click()
    officer_page.wait_for_url(re.compile(rf"/office/3324/complaints/{code}/$"))
    check_accessibility(officer_page)
    assert "Anonim" in officer_page.locator(".confidential").inner_text()

    officer_page.get_by_label("Tingkat").select_option("light")
    officer_page.get_by_label("Unsur IKM terkait").select_option("U9")
    officer_page.get_by_role("button", name="Verifikasi", exact=True).click()
    officer_page.wait_for_load_state()
    assert (
        officer_page.get_by_role("status").inner_text().strip() == "Pengaduan telah diverifikasi."
    )

    officer_page.get_by_label("Catatan (hanya untuk petugas").fill("Teknisi AC dipanggil besok.")
    officer_page.get_by_role("button", name="Simpan catatan").click()
    officer_page.wait_for_load_state()
    officer_page.get_by_label("Jawaban (terlihat oleh pengadu)").fill(
        "AC ruang baca sudah diperbaiki. Terima kasih atas laporannya."
    )
    officer_page.get_by_role("button", name="Kirim jawaban").click()
    officer_page.wait_for_load_state()
    assert officer_page.get_by_role("status").inner_text().strip() == (
        "Jawaban telah dikirim kepada pengadu."
    )
    check_accessibility(officer_page)
    officer_context.close()
    assert errors == []

    # Back to the complainant's tracking page.
    visit(f"/complaints/track/{code}/")
    assert page.locator(".complaint-status").inner_text() == "Dijawab"
    body = page.locator("main").inner_text()
    assert "AC ruang baca sudah diperbaiki." in body
    assert "Teknisi AC" not in body
    assert "Dewi Petugas" not in body
    page.get_by_role("button", name="Ya, selesaikan pengaduan saya").click()
    page.wait_for_load_state()
    assert page.locator(".complaint-status").inner_text() == "Selesai"
    check_accessibility(page)


def test_lapor_complaint_due_date_skips_weekend_and_holiday(page, visit, office, officer):
    _log_in(page, visit, officer.email)
    visit("/office/3324/complaints/new/")
    page.get_by_label("Saluran").select_option("lapor")
    page.get_by_label("Diterima pada").fill("2026-08-13T10:00")
    page.get_by_label("Nomor pelacakan LAPOR!").fill("LPR-2026-08-0042")
    page.get_by_label("Klasifikasi LAPOR!").select_option("complaint")
    page.get_by_label("Apa yang terjadi?").fill(
        "Pelapor tidak dapat mengunduh publikasi Kendal Dalam Angka."
    )
    page.get_by_label("Tingkat").select_option("light")
    page.get_by_role("button", name="Simpan pengaduan").click()

    page.wait_for_url(re.compile(r"/office/3324/complaints/[2-9A-Z-]{12}/$"))
    check_accessibility(page)
    # Thursday 13 August 2026 + 2 working days: Friday 14, then Saturday, Sunday and
    # Independence Day (Monday 17 August) are skipped → Tuesday 18 August.
    assert page.locator(".due-date").inner_text().startswith("Selasa, 18 Agustus 2026")


def test_supervisor_pages_are_accessible(page, visit, office):
    supervisor = MembershipFactory(
        office=office, role=Role.SUPERVISOR, user__email="kepala@example.com"
    ).user
    _log_in(page, visit, supervisor.email)

    visit("/office/3324/complaints/policy/")
    page.get_by_label("ringan (hari kerja)").fill("3")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    assert page.get_by_label("ringan (hari kerja)").input_value() == "3"
    check_accessibility(page)

    visit("/office/3324/leave-days/")
    page.get_by_label("Tanggal").fill("2026-12-24")
    page.get_by_label("Nama").fill("Cuti bersama Natal")
    page.get_by_role("button", name="Tambah").click()
    page.wait_for_load_state()
    assert "Cuti bersama Natal" in page.locator("main").inner_text()
    check_accessibility(page)

    visit("/complaints/track/")
    page.get_by_label("Kode pelacakan").fill("ABCD-EFGH-JK")
    page.get_by_role("button", name="Lacak").click()
    page.wait_for_load_state()
    assert page.get_by_text("Tidak ada pengaduan dengan kode pelacakan ini.").is_visible()
    check_accessibility(page)
    visit("/complaints/mine/")
