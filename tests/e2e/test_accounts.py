"""Sign-up → e-mail verification link → login → profile, and the language switch, in Chromium."""

import re

import pytest
from django.core import mail

from offices.seed import load_office
from tests.e2e.conftest import check_accessibility


@pytest.fixture
def office(transactional_db):
    return load_office("3324")


def test_signup_verify_login_and_profile(page, visit, office, live_server):
    visit("/")
    page.get_by_role("link", name="Daftar", exact=True).first.click()
    check_accessibility(page)

    page.get_by_label("Email").fill("rina@example.com")
    page.get_by_label("Kata sandi", exact=True).fill("statistik-kendal-2026")
    page.get_by_label("Kata sandi (lagi)").fill("statistik-kendal-2026")
    page.get_by_label("Nama lengkap").fill("Rina Peneliti")
    page.get_by_label("Jenis kelamin").select_option("female")
    page.get_by_label("Kelompok umur").select_option("25_34")
    page.get_by_label("Pendidikan tertinggi").select_option("master")
    page.get_by_label("Pekerjaan utama").select_option("researcher")
    page.get_by_label("Kategori instansi").select_option("research_education")
    page.get_by_label("Nama instansi").fill("Universitas Diponegoro")
    page.get_by_label("Pemanfaatan utama data").select_option("research")
    page.locator("[name=consent]").check()
    page.get_by_role("button", name="Daftar").click()

    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    check_accessibility(page)
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)[0]
    path = "/accounts/confirm-email/" + link.split("/accounts/confirm-email/", 1)[1]

    visit(path)
    page.get_by_role("button", name="Konfirmasi").click()
    page.wait_for_url(re.compile(r"/account/profile/$"))
    check_accessibility(page)
    assert page.get_by_text("terverifikasi", exact=True).is_visible()

    page.get_by_role("button", name="Keluar").first.click()
    page.wait_for_load_state()
    visit("/accounts/login/")
    page.get_by_label("Email").fill("rina@example.com")
    page.get_by_label("Kata sandi").fill("statistik-kendal-2026")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/account/profile/$"))
    assert page.get_by_label("Nama lengkap").input_value() == "Rina Peneliti"
    assert page.get_by_label("Nama instansi").input_value() == "Universitas Diponegoro"

    page.get_by_label("Nomor telepon").fill("0812 3456 7890")
    page.get_by_role("button", name="Simpan profil").click()
    page.wait_for_url(re.compile(r"/account/profile/$"))
    assert page.get_by_role("status").inner_text().strip() == "Profil Anda telah disimpan."
    check_accessibility(page)


def test_signup_with_bad_input_shows_errors_in_the_browser(page, visit, office):
    visit("/accounts/signup/")
    page.get_by_label("Email").fill("bukan-email")
    page.get_by_role("button", name="Daftar").click()

    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible()
    check_accessibility(page)


def test_language_switch_to_english_and_back(page, visit, office):
    visit("/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Perpustakaan statistik")

    page.get_by_label("Bahasa").select_option("en")
    page.get_by_role("button", name="Ganti bahasa").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Statistics library")
    check_accessibility(page)

    visit("/offices/3324/standards/library/")
    assert page.get_by_role("heading", level=1).inner_text() == "Service standard: Library"

    page.get_by_label("Language").select_option("id")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "id"


def test_public_pages_are_accessible(page, visit, office):
    for path in [
        "/",
        "/contact/",
        "/offices/3324/standards/",
        "/offices/3324/standards/library/",
        "/accounts/login/",
        "/accounts/password/reset/",
    ]:
        visit(path)

    missing = page.goto("/tidak-ada/")
    assert missing.status == 404
    check_accessibility(page)
    page.console_errors.remove(
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    )
