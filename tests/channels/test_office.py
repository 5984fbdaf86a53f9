"""The officers' message inbox, the messages set aside and the channel settings page."""

import pytest
from django.core import mail
from django.urls import reverse

from channels.choices import ConversationStatus, Direction, InboundKind, InboundState, MessageState
from channels.models import ChannelSettings, Conversation, InboundMessage, Message
from complaints.choices import Channel
from complaints.models import Complaint
from history.models import AuditEvent

from .conftest import make_inbox_conversation, make_mail


def _url(name, **kwargs):
    return reverse(f"channels:{name}", kwargs={"code": "3324", **kwargs})


@pytest.fixture
def conversation(kendal):
    ids = make_inbox_conversation(kendal)
    return Conversation.objects.get(pk=ids["conversation"])


# Permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method", "extra"),
    [
        ("conversation-list", "get", {}),
        ("conversation-detail", "get", {"pk": "conversation"}),
        ("conversation-action", "post", {"pk": "conversation", "action": "close"}),
        ("inbound-list", "get", {}),
        ("settings", "get", {}),
        ("mailbox-check", "post", {}),
    ],
)
def test_pages_refuse_anonymous_visitors_and_other_offices(
    client_for, citizen, outsider_officer, conversation, name, method, extra
):
    kwargs = {k: conversation.pk if v == "conversation" else v for k, v in extra.items()}
    url = _url(name, **kwargs)

    anonymous = getattr(client_for(None), method)(url)
    visitor = getattr(client_for(citizen), method)(url)
    other = getattr(client_for(outsider_officer), method)(url)

    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert (visitor.status_code, other.status_code) == (403, 403)
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.OPEN


@pytest.mark.parametrize("name", ["settings", "mailbox-check"])
def test_channel_settings_are_for_supervisors_only(client_for, clerk, name):
    client = client_for(clerk)
    response = client.post(_url(name)) if name == "mailbox-check" else client.get(_url(name))

    assert response.status_code == 403


# The inbox --------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_inbox_query_count_does_not_grow(
    client_for, clerk, kendal, count, django_assert_num_queries
):
    for number in range(count):
        make_inbox_conversation(kendal, address=f"62812000000{number}", name=f"Warga {number}")
    client = client_for(clerk)

    # session, user, office, memberships, the channel settings (get_or_create: select, and a
    # savepoint, insert, release the first time), set-aside count, undelivered notices,
    # count, page of conversations
    with django_assert_num_queries(12):
        response = client.get(_url("conversation-list"))

    assert len(response.context["page"].object_list) == count
    assert response.content.decode().count("Jawaban tidak sampai") == count


@pytest.mark.parametrize("count", [1, 3])
def test_set_aside_query_count_does_not_grow(
    client_for, clerk, kendal, count, django_assert_num_queries
):
    for number in range(count):
        InboundMessage.objects.create(
            office=kendal,
            medium="email",
            external_id=f"<auto-{number}@x>",
            state=InboundState.IGNORED,
            kind=InboundKind.AUTO_REPLY,
        )
    client = client_for(clerk)

    # session, user, office, memberships, count, page
    with django_assert_num_queries(6):
        response = client.get(_url("inbound-list"))

    assert len(response.context["page"].object_list) == count


def test_contacts_are_masked_in_the_inbox(client_for, clerk, conversation):
    page = client_for(clerk).get(_url("conversation-detail", pk=conversation.pk)).content.decode()

    assert "R•••" in page
    assert "6281234567890" not in page and "Rina" not in page
    assert "Apakah ada data IPM per kecamatan?" in page


def test_an_answer_goes_back_on_the_conversations_channel(
    client_for, clerk, conversation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk).post(
            _url("conversation-action", pk=conversation.pk, action="reply"),
            {"body": "Data IPM per kecamatan ada di publikasi Kecamatan Dalam Angka."},
        )

    assert response.status_code == 302
    sent = conversation.messages.filter(direction=Direction.OUT).last()
    assert sent.body == "Data IPM per kecamatan ada di publikasi Kecamatan Dalam Angka."
    assert (sent.author, sent.template) == (clerk, "pst_message_reply")
    assert sent.state == MessageState.NOT_SENT  # the development sender in the tests
    assert AuditEvent.objects.filter(actor=clerk, detail="reply").exists()


def test_an_email_answer_is_threaded(client_for, clerk, kendal, django_capture_on_commit_callbacks):
    ids = make_inbox_conversation(kendal, medium="email", address="warga@example.com")
    conversation = Conversation.objects.get(pk=ids["conversation"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client_for(clerk).post(
            _url("conversation-action", pk=conversation.pk, action="reply"), {"body": "Sudah ada."}
        )

    [sent] = mail.outbox
    assert sent.to == ["warga@example.com"]
    assert sent.subject == "Re: Data IPM"
    assert sent.extra_headers["In-Reply-To"] == f"wamid.{conversation.pk}"


def test_an_empty_answer_is_refused(client_for, clerk, conversation):
    before = Message.objects.count()

    client_for(clerk).post(
        _url("conversation-action", pk=conversation.pk, action="reply"), {"body": ""}
    )

    assert Message.objects.count() == before


def test_a_conversation_becomes_a_complaint(
    client_for, clerk, conversation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk).post(
            _url("conversation-action", pk=conversation.pk, action="convert"),
            {"severity": "normal", "service": "library"},
        )

    complaint = Complaint.objects.get()
    assert response["Location"] == complaint.get_absolute_url()
    assert complaint.channel == Channel.WHATSAPP
    assert complaint.description == "Apakah ada data IPM per kecamatan?"
    assert complaint.contact_whatsapp == "+6281234567890"
    assert (complaint.service, complaint.created_by) == ("library", clerk)
    assert [a.original_name for a in complaint.attachments.all()] == ["tabel.png"]
    conversation.refresh_from_db()
    assert conversation.complaint == complaint
    # The tracking code went to them on the same channel.
    notice = conversation.messages.filter(direction=Direction.OUT).last()
    assert complaint.tracking_code in notice.body


def test_close_and_reopen(client_for, clerk, conversation):
    client = client_for(clerk)

    client.post(_url("conversation-action", pk=conversation.pk, action="close"))
    conversation.refresh_from_db()
    closed = (conversation.status, conversation.closed_by)
    client.post(_url("conversation-action", pk=conversation.pk, action="reopen"))
    conversation.refresh_from_db()

    assert closed == (ConversationStatus.CLOSED, clerk)
    assert (conversation.status, conversation.closed_by) == (ConversationStatus.OPEN, None)


def test_an_undelivered_answer_can_be_sent_again(
    client_for, clerk, conversation, django_capture_on_commit_callbacks
):
    failed = conversation.messages.get(state=MessageState.FAILED)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(clerk).post(_url("message-retry", pk=failed.pk))

    failed.refresh_from_db()
    assert (failed.state, failed.error) == (MessageState.NOT_SENT, "")


def test_automatic_looking_mail_can_be_taken_in_by_an_officer(client_for, clerk, kendal):
    raw = make_mail(
        subject="Keluhan", headers={"Precedence": "bulk"}, text="Ini keluhan sungguhan."
    ).as_bytes()
    inbound = InboundMessage.objects.create(
        office=kendal,
        medium="email",
        external_id="<bulk@example.com>",
        raw=raw,
        state=InboundState.IGNORED,
        kind=InboundKind.LIST,
    )

    client_for(clerk).post(_url("inbound-action", pk=inbound.pk, action="as-person"))

    inbound.refresh_from_db()
    assert (inbound.state, inbound.kind) == (InboundState.PROCESSED, InboundKind.COMPLAINT)
    assert Complaint.objects.get().description == "Ini keluhan sungguhan."


def test_a_bounce_cannot_be_taken_in(client_for, clerk, kendal):
    inbound = InboundMessage.objects.create(
        office=kendal,
        medium="email",
        external_id="<b@x>",
        state=InboundState.IGNORED,
        kind=InboundKind.BOUNCE,
    )

    response = client_for(clerk).post(_url("inbound-action", pk=inbound.pk, action="as-person"))

    assert response.status_code == 404


# Settings ---------------------------------------------------------------------------------


def test_settings_warn_when_whatsapp_answers_go_nowhere(client_for, supervisor):
    page = client_for(supervisor).get(_url("settings")).content.decode()

    assert "WHATSAPP_SENDER" in page


def test_supervisor_saves_the_settings_and_it_is_audited(client_for, supervisor, kendal):
    data = {
        "email_route": "inbox",
        "whatsapp_route": "complaint",
        "instagram_route": "complaint",
        "mail_address": "bps3324@bps.go.id",
        "imap_host": "imap.bps.go.id",
        "imap_port": 993,
        "imap_security": "ssl",
        "imap_user": "bps3324",
        "imap_folder": "INBOX",
        "imap_done_folder": "PST-diproses",
        "smtp_host": "",
        "smtp_port": 587,
        "smtp_security": "starttls",
        "smtp_user": "",
        "whatsapp_phone_number_id": "106540352242922",
        "whatsapp_display_number": "0896 3324 3324",
        "instagram_account_id": "",
    }

    response = client_for(supervisor).post(_url("settings"), data)

    assert response.status_code == 302
    row = ChannelSettings.objects.get(office=kendal)
    assert (row.email_route, row.imap_host, row.whatsapp_phone_number_id) == (
        "inbox",
        "imap.bps.go.id",
        "106540352242922",
    )
    assert AuditEvent.objects.filter(action="settings", actor=supervisor).exists()


def test_bad_settings_are_refused_and_what_was_typed_stays(client_for, supervisor, kendal):
    response = client_for(supervisor).post(
        _url("settings"),
        {
            "email_route": "complaint",
            "whatsapp_route": "complaint",
            "instagram_route": "complaint",
            "imap_host": "imap.bps.go.id",
            "imap_port": 993,
            "imap_security": "ssl",
            "imap_folder": "INBOX",
            "imap_done_folder": "INBOX",
            "smtp_port": 587,
            "smtp_security": "starttls",
            "whatsapp_phone_number_id": "+62 896",
            "instagram_account_id": "",
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"__all__", "imap_done_folder", "whatsapp_phone_number_id"}
    assert 'value="imap.bps.go.id"' in response.content.decode()
    assert ChannelSettings.objects.get(office=kendal).imap_host == ""


def test_check_now_with_an_unreachable_server_shows_the_error(client_for, supervisor, kendal):
    row = ChannelSettings.for_office(kendal)
    row.imap_host, row.imap_port, row.imap_security = "127.0.0.1", 1, "none"
    row.imap_user, row.mail_address = "bps3324", "bps3324@bps.go.id"
    row.save()
    client = client_for(supervisor)

    client.post(_url("mailbox-check"))
    page = client.get(_url("settings")).content.decode()

    assert "ConnectionRefusedError" in page
