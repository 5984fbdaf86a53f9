"""The walk-in journey in Chromium: kiosk ticket → the board shows and speaks the call →
guest book → locker → service start and finish → rating → checkout."""

import re

import pytest
from playwright.sync_api import expect

from accounts.choices import Role
from offices.seed import load_office
from tests.e2e.conftest import check_accessibility
from tests.factories import PASSWORD, MembershipFactory
from visits.choices import DeviceKind
from visits.models import Device, LockerAssignment, QueueTicket, Visit

# The board's speech is recorded instead of spoken (headless Chromium has no voices).
RECORD_SPEECH = """
window.__spoken = [];
window.speechSynthesis.speak = function (utterance) { window.__spoken.push(utterance.text); };
"""


@pytest.fixture
def office(transactional_db):
    return load_office("3324")


@pytest.fixture
def officer(office):
    return MembershipFactory(
        office=office,
        role=Role.OFFICER,
        user__email="petugas@example.com",
        user__full_name="Petugas FO",
    ).user


def login(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def test_walk_in_journey(page, visit, browser, live_server, office, officer):
    device, key = Device.register(office, kind=DeviceKind.KIOSK, name="Kiosk lobi", by=officer)

    # The kiosk: one tap on the library gives ticket A-001 and its printable slip.
    visit(f"/kiosk/3324/{device.pk}/#key={key}")
    assert "#key" not in page.url  # the key leaves the address bar for localStorage
    page.get_by_role("button", name="Perpustakaan").click()
    page.wait_for_url(re.compile(r"/tickets/\d+/print/"))
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("A-001")
    ticket = QueueTicket.objects.get()
    assert (ticket.number, ticket.device) == ("A-001", device)

    # The TV board, with sound on.
    board = page.context.new_page()
    board.add_init_script(RECORD_SPEECH)
    board.goto("/board/3324/")
    check_accessibility(board)
    board.get_by_role("button", name="Nyalakan suara").click()

    # The officer calls the next number at counter 1.
    officer_context = browser.new_context(locale="id-ID", base_url=live_server.url, bypass_csp=True)
    desk = officer_context.new_page()
    desk_errors = []
    desk.on("console", lambda m: desk_errors.append(m.text) if m.type == "error" else None)
    login(desk, "petugas@example.com")
    desk.goto("/office/3324/visits/counter/1/")
    check_accessibility(desk)
    desk.get_by_role("button", name="Panggil berikutnya").click()
    desk.wait_for_load_state()

    # Within two seconds the board shows the call and speaks it.
    expect(board.locator(".board-counter.is-latest .board-number")).to_have_text(
        "A-001", timeout=2000
    )
    board.wait_for_function("window.__spoken.length > 0", timeout=3000)
    assert board.evaluate("window.__spoken") == [
        "Nomor antrean A nol nol satu, silakan menuju loket satu"
    ]

    # Guest book, filled by the officer with the visitor.
    desk.get_by_role("link", name="Buku tamu").last.click()
    desk.wait_for_url(re.compile(r"/guest-book/\?ticket="))
    check_accessibility(desk)
    desk.locator("#id_email").fill("sari@example.com")
    desk.locator("#id_full_name").fill("Sari Pengunjung")
    desk.locator("#id_card_type").select_option("ktp")
    desk.locator("#id_purpose_text").fill("Data kemiskinan Kendal")
    desk.locator("[name=sex]").select_option("female")
    desk.locator("[name=age_group]").select_option("18_24")
    desk.locator("[name=education]").select_option("bachelor")
    desk.locator("[name=occupation]").select_option("student")
    desk.locator("[name=institution_category]").select_option("research_education")
    desk.locator("[name=purpose]").select_option("school")
    desk.locator("[name=consent]").check()
    desk.get_by_role("button", name="Simpan dan mulai hitung waktu layanan").click()
    desk.wait_for_url(re.compile(r"/office/3324/visits/\d+/$"))
    check_accessibility(desk)

    # Locker against the identity card (the first free one).
    desk.get_by_role("button", name="Berikan loker, terima kartu").click()
    desk.wait_for_load_state()
    expect(desk.get_by_role("button", name="Kembalikan loker dan kartu")).to_be_visible()

    # Service: start, record, finish.
    desk.get_by_role("button", name="Mulai layanan").click()
    desk.wait_for_load_state()
    desk.get_by_label("Layanan yang diberikan").select_option("hardcopy_read")
    desk.get_by_label("Publikasi atau topik").fill("Kabupaten Kendal Dalam Angka 2026")
    desk.get_by_role("button", name="Catat", exact=True).click()
    desk.wait_for_load_state()
    desk.get_by_role("button", name="Selesaikan layanan").click()
    desk.wait_for_load_state()
    check_accessibility(desk)
    rating_url = desk.locator("#rating-link").get_attribute("href")

    # The visitor answers the IKM survey on their phone (the full survey: tests/e2e/test_feedback.py).
    page.goto(rating_url)
    check_accessibility(page)
    for n in range(1, 10):
        page.locator(f"#id_u{n}_3").check()  # the top answer of each element
    page.get_by_label("5 — sangat baik").check()
    page.get_by_label("Komentar atau saran (opsional)").fill("Cepat dan ramah")
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terima kasih atas jawaban Anda")

    # Checkout: locker emptied, card returned.
    desk.reload()
    desk.get_by_role("button", name="Akhiri kunjungan (loker dan kartu dikembalikan)").click()
    desk.wait_for_load_state()
    check_accessibility(desk)
    officer_context.close()
    board.close()

    record = Visit.objects.get()
    assert record.ticket == ticket
    assert record.guest_book.email == "sari@example.com"
    assert record.service_started_at is not None
    assert record.wait_minutes is not None and record.wait_seconds() < 600
    assert record.within_target()
    # Surveys are anonymous by default: the visit keeps the 1–5 rating, not the comment.
    assert (record.rating, record.rating_comment) == (5, "")
    assert record.checked_out_at is not None
    assert LockerAssignment.objects.get(visit=record).returned_at is not None
    assert record.service_records.get().item == "Kabupaten Kendal Dalam Angka 2026"
    assert desk_errors == []


def test_ticket_status_page_alerts_when_called(page, visit, office, officer):
    from offices.models import Counter
    from visits import services

    ticket = services.issue_ticket(office, "library", officer=officer)
    visit(f"/tickets/{ticket.pk}/")
    expect(page.locator("#ticket-position")).to_have_text("1")

    ticket.call(Counter.objects.get(office=office, number=1), by=officer)

    expect(page.locator("#ticket-called")).to_be_visible(timeout=5000)
    expect(page.locator("#ticket-state")).to_have_text("Dipanggil")
    check_accessibility(page)


def test_guest_book_tablet_and_office_pages_are_accessible(page, visit, office, officer):
    from offices.models import Counter
    from visits import services

    supervisor = MembershipFactory(
        office=office, role=Role.SUPERVISOR, user__email="kepala@example.com"
    ).user
    tablet, key = Device.register(office, kind=DeviceKind.GUEST_BOOK, name="Tablet", by=supervisor)
    ticket = services.issue_ticket(office, "consultation", officer=officer)
    ticket.call(Counter.objects.get(office=office, number=2), by=officer)

    # The visitor fills the guest book on the tablet.
    visit(f"/guest-book/3324/{tablet.pk}/#key={key}")
    page.locator("#id_ticket_number").fill("B-001")
    page.locator("#id_email").fill("tablet@example.com")
    page.locator("#id_full_name").fill("Tamu Tablet")
    page.locator("#id_card_type").select_option("sim")
    page.get_by_label("Konsultasi statistik").check()
    page.locator("#id_purpose_text").fill("Konsultasi data IPM")
    for name, value in [
        ("sex", "male"),
        ("age_group", "25_34"),
        ("education", "master"),
        ("occupation", "civil_servant"),
        ("institution_category", "local_government"),
        ("purpose", "government"),
    ]:
        page.locator(f"[name={name}]").select_option(value)
    page.locator("[name=consent]").check()
    page.get_by_role("button", name="Simpan buku tamu").click()
    expect(page.get_by_role("status")).to_contain_text("Terima kasih, Tamu Tablet.")
    check_accessibility(page)
    assert Visit.objects.get().ticket == ticket

    # The home page shows today's queue.
    visit("/")
    expect(page.get_by_role("heading", name="Antrean hari ini")).to_be_visible()

    # The supervisor's pages.
    login(page, "kepala@example.com")
    for path in [
        "/office/3324/visits/",
        "/office/3324/visits/list/",
        "/office/3324/visits/figures/",
        "/office/3324/visits/close-day/",
        "/office/3324/visits/devices/",
        "/office/",
    ]:
        visit(path)
    expect(page.get_by_role("link", name="Kunjungan langsung dan antrean")).to_be_visible()
