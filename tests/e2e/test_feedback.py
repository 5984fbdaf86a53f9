"""The IKM survey in Chromium: a finished visit's QR link → the nine questions → the
supervisor's results page shows the IKM move."""

import re

import pytest
from playwright.sync_api import expect

from accounts.choices import Role
from catalog.models import Publication
from delivery.models import DeliveryRecord
from feedback.models import SurveyInvitation, SurveyResponse
from offices.models import Counter
from offices.seed import load_office
from tests.e2e.conftest import check_accessibility
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.visits.conftest import GUEST
from visits import services as visit_services


@pytest.fixture
def office(transactional_db):
    return load_office("3324")


def finished_visit(office, officer, email):
    counter = Counter.objects.get(office=office, number=1)
    ticket = visit_services.issue_ticket(office, "library", officer=officer)
    ticket.call(counter, by=officer)
    visit = visit_services.fill_guest_book(
        office, officer=officer, data=dict(GUEST, email=email), ticket=ticket
    )
    visit.start(by=officer)
    return visit.finish(by=officer)


def answer(page, choices, overall):
    # One choice per element (by its label), then the overall rating.
    for code, label in choices:
        page.get_by_role("group", name=re.compile(rf"^{code} ")).get_by_label(
            label, exact=True
        ).check()
    page.get_by_role("group", name=re.compile("Secara keseluruhan")).get_by_label(
        overall, exact=True
    ).check()


def test_survey_from_a_finished_visit_moves_the_ikm(page, visit, browser, live_server, office):
    supervisor = MembershipFactory(
        office=office,
        role=Role.SUPERVISOR,
        user__email="kepala@example.com",
        user__full_name="Kepala Kantor",
    ).user
    first = finished_visit(office, supervisor, "satu@example.com")
    second = finished_visit(office, supervisor, "dua@example.com")

    # The supervisor's desk: the visit page shows the QR code and its link.
    desk_context = browser.new_context(locale="id-ID", base_url=live_server.url, bypass_csp=True)
    desk = desk_context.new_page()
    desk.goto("/accounts/login/")
    desk.get_by_label("Email").fill("kepala@example.com")
    desk.locator("#id_password").fill(PASSWORD)
    desk.get_by_role("button", name="Masuk").click()
    desk.wait_for_load_state()
    desk.goto(f"/office/3324/visits/{first.pk}/")
    expect(desk.locator(".slip-qr svg")).to_be_visible()
    link = desk.locator("#rating-link").get_attribute("href")

    # The visitor answers every element with the top answer ("Gratis" for the cost).
    visit(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Survei kepuasan")
    answer(
        page,
        [
            ("U1", "Sangat sesuai"),
            ("U2", "Sangat mudah"),
            ("U3", "Sangat cepat"),
            ("U4", "Gratis"),
            ("U5", "Sangat sesuai"),
            ("U6", "Sangat kompeten"),
            ("U7", "Sangat sopan dan ramah"),
            ("U8", "Dikelola dengan baik"),
            ("U9", "Sangat Baik"),
        ],
        "5 — sangat baik",
    )
    page.get_by_label("Komentar atau saran (opsional)").fill("Cepat dan ramah")
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terima kasih atas jawaban Anda")

    desk.goto("/office/3324/ikm/")
    check_accessibility(desk)
    expect(desk.locator(".ikm-value")).to_have_text("100,00")
    expect(desk.locator("#respondents")).to_have_text("1")
    expect(desk.locator("#visit-rating")).to_have_count(0)

    # The same link again: answered, nothing more stored.
    visit(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Terima kasih atas jawaban Anda")

    # A second visitor leaves a missing answer first: a clear message, nothing stored.
    desk.goto(f"/office/3324/visits/{second.pk}/")
    second_link = desk.locator("#rating-link").get_attribute("href")
    visit(second_link)
    answer(page, [("U1", "Sesuai"), ("U2", "Mudah")], "3 — cukup")
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.locator(".has-error").first).to_be_visible()
    assert SurveyResponse.objects.count() == 1
    answer(
        page,
        [
            ("U3", "Cepat"),
            ("U4", "Gratis"),
            ("U5", "Sesuai"),
            ("U6", "Kompeten"),
            ("U7", "Sopan dan ramah"),
            ("U8", "Berfungsi kurang maksimal"),
            ("U9", "Cukup"),
        ],
        "3 — cukup",
    )
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terima kasih atas jawaban Anda")

    # Second answer: 3,3,3,4,3,3,3,3,2 = 27 → (36 + 27) / 18 × 25 = 87.50 (B).
    desk.goto("/office/3324/ikm/")
    expect(desk.locator(".ikm-value")).to_have_text("87,50")
    expect(desk.locator(".ikm-grade")).to_have_text("Mutu B — Baik")
    expect(desk.locator("#respondents")).to_have_text("2")
    desk.goto(f"/office/3324/visits/{first.pk}/")
    expect(desk.locator("#visit-rating")).to_contain_text("5")
    desk_context.close()


def test_download_history_leads_to_the_days_survey(page, visit, office):
    user = UserFactory(email="pembaca@example.com", full_name="Pembaca Daring")
    publication = Publication.objects.create(office=office, title="Kendal Dalam Angka", year=2026)
    DeliveryRecord.objects.create(
        user=user, publication=publication, office=office, channel="download"
    )
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("pembaca@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()

    visit("/account/downloads/")
    page.get_by_role("link", name="Nilai layanan unduhan").click()
    page.wait_for_url("**/account/surveys/")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("Sesi unduhan daring")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Survei kepuasan")
    check_accessibility(page)
    invitation = SurveyInvitation.objects.get()
    assert (invitation.user, invitation.channel, invitation.service) == (
        user,
        "download",
        "library",
    )
