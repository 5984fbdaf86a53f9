"""A user exports their data and deletes the account in Chromium; afterwards their name and
e-mail are nowhere in the database, and the statistics are unchanged."""

import json
import re

import pytest
from django.core import mail

from offices.seed import load_office
from tests.e2e.conftest import check_accessibility
from tests.factories import PASSWORD, UserFactory
from tests.privacy.test_privacy import _find_everywhere


@pytest.fixture
def person(transactional_db):
    load_office("3324")
    return UserFactory(email="hapus.saya@example.com", full_name="Hana Hapus")


def test_export_then_delete_account_leaves_no_trace(page, visit, person, tmp_path):
    from accounts.models import User
    from complaints.models import Complaint
    from complaints.services import submit_complaint
    from offices.models import Office

    submit_complaint(
        office=Office.objects.get(code="3324"),
        channel="web",
        complainant=person,
        contact_name="Hana Hapus",
        contact_email="hapus.saya@example.com",
        description="Loker nomor 3 tidak bisa dikunci.",
    )
    statistics_before = (
        Complaint.objects.count(),
        User.objects.filter(occupation=person.occupation, education=person.education).count(),
    )
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/account/profile/$"))

    page.get_by_role("link", name="Data saya dan privasi").click()
    page.wait_for_url(re.compile(r"/account/privacy/$"))
    check_accessibility(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh data saya (JSON)").click()
    exported = tmp_path / "data.json"
    download_info.value.save_as(exported)
    data = json.loads(exported.read_text())
    assert data["profile"]["email"] == "hapus.saya@example.com"
    assert data["profile"]["full_name"] == "Hana Hapus"

    page.get_by_role("button", name="Kirimi saya tautan penghapusan").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text().startswith("Kami telah mengirim")
    link = re.search(r"https?://\S+(/account/privacy/delete/\S+/)", mail.outbox[-1].body)[1]
    mail.outbox.clear()
    visit(link)
    page.get_by_role("button", name="Hapus akun saya sekarang").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Akun dihapus"
    check_accessibility(page)

    assert _find_everywhere("hapus.saya@example.com") == []
    assert _find_everywhere("Hana Hapus") == []
    assert Complaint.objects.get().contact_email == ""  # encrypted fields are emptied too
    assert (
        Complaint.objects.count(),
        User.objects.filter(occupation=person.occupation, education=person.education).count(),
    ) == statistics_before
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("hapus.saya@example.com")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    assert "/account/profile/" not in page.url
