"""The office mailbox against a real IMAP server (Dovecot) and a real SMTP server (aiosmtpd)."""

import threading

import pytest
from django.db import connections

from channels import polling
from channels.choices import Direction, InboundKind, InboundState, MessageState
from channels.models import ChannelSettings, Conversation, InboundMessage, Message
from complaints.choices import Channel, EventKind, MessageKind, Severity, Status
from complaints.models import Complaint

from .conftest import make_mail, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db(transaction=True)

DONE = "PST-diproses"


def poll(office):
    result = polling.poll_office(office.pk)
    assert result.error == "", result.error
    return result


def test_a_message_with_an_attachment_becomes_a_complaint_and_the_answer_is_threaded(
    kendal, office_mailbox, deliver_mail, mailbox_contents, smtp_sink, supervisor
):
    deliver_mail(
        make_mail(
            subject="Pelayanan perpustakaan",
            attachments=[("bukti.png", "image", "png", png_bytes())],
            message_id="<first-1@example.com>",
        )
    )

    result = poll(kendal)

    complaint = Complaint.objects.get()
    assert result.stored and result.moved == 1
    assert complaint.channel == Channel.EMAIL
    assert complaint.contact_email == "warga@example.com"
    assert complaint.contact_name == "Budi Warga"
    assert complaint.description.startswith("Petugas perpustakaan tidak ada")
    assert [a.original_name for a in complaint.attachments.all()] == ["bukti.png"]
    assert complaint.attachments.get().content_type == "image/png"
    # Moved out of the inbox, never deleted.
    assert mailbox_contents("INBOX") == []
    assert mailbox_contents(DONE) == ["Pelayanan perpustakaan"]
    # The raw message is cleared once processed.
    inbound = InboundMessage.objects.get()
    assert (inbound.state, inbound.kind, inbound.raw) == (
        InboundState.PROCESSED,
        InboundKind.COMPLAINT,
        b"",
    )
    # The acknowledgement left by SMTP, threaded on the complainant's message.
    assert len(smtp_sink.messages) == 1
    ack = smtp_sink.messages[0]["message"]
    assert smtp_sink.messages[0]["rcpt_tos"] == ["warga@example.com"]
    assert ack["In-Reply-To"] == "<first-1@example.com>"
    assert complaint.tracking_code in ack["Subject"]
    assert ack["Subject"].startswith("Re: Pelayanan perpustakaan")
    assert "bps3324@bps.go.id" in ack["From"]

    complaint.verify(by=supervisor, severity=Severity.LIGHT)
    complaint.answer(by=supervisor, body="Mohon maaf, petugas sudah ditegur.")

    answer = smtp_sink.messages[-1]["message"]
    assert "Mohon maaf, petugas sudah ditegur." in answer.get_content()
    assert complaint.tracking_code in answer["Subject"]
    assert answer["In-Reply-To"] == "<first-1@example.com>"
    verified = smtp_sink.messages[1]["message"]
    assert answer["References"].split() == [
        "<first-1@example.com>",
        ack["Message-ID"],
        verified["Message-ID"],
    ]
    sent = Message.objects.filter(direction=Direction.OUT).order_by("id")
    assert [m.state for m in sent] == [MessageState.SENT] * 3  # received, verified, answered
    assert sent.last().external_id == answer["Message-ID"]


def test_a_reply_to_our_answer_joins_the_complaint(
    kendal, office_mailbox, deliver_mail, smtp_sink, supervisor
):
    deliver_mail(make_mail(message_id="<first-2@example.com>"))
    poll(kendal)
    complaint = Complaint.objects.get()
    complaint.verify(by=supervisor, severity=Severity.LIGHT)
    complaint.answer(by=supervisor, body="Petugas sudah ditegur.")
    answer = smtp_sink.messages[-1]["message"]

    # The complainant answers from a mail client: no code typed, only the thread headers.
    deliver_mail(
        make_mail(
            subject="Re: pertanyaan saya",
            text="Terima kasih, tetapi besok saya datang lagi.\n\n> Petugas sudah ditegur.",
            headers={"In-Reply-To": answer["Message-ID"], "References": answer["Message-ID"]},
        )
    )
    poll(kendal)

    assert Complaint.objects.count() == 1
    complaint.refresh_from_db()
    reply = complaint.messages.get(kind=MessageKind.REPLY)
    assert reply.body == "Terima kasih, tetapi besok saya datang lagi."
    assert complaint.events.filter(kind=EventKind.REPLY).count() == 1
    # An answered complaint the complainant is not satisfied with goes back to handling.
    assert complaint.status == Status.IN_PROGRESS
    assert InboundMessage.objects.filter(kind=InboundKind.REPLY).count() == 1


def test_a_tracking_code_in_the_subject_joins_the_complaint(
    kendal, office_mailbox, deliver_mail, make_web_complaint
):
    complaint = make_web_complaint()
    code = complaint.tracking_code.lower().replace("-", " ")

    deliver_mail(make_mail(subject=f"Tambahan untuk pengaduan {code}", text="Fotonya terlampir."))
    poll(kendal)

    assert Complaint.objects.count() == 1
    assert complaint.messages.get(kind=MessageKind.REPLY).body == "Fotonya terlampir."


def test_a_bounce_is_not_a_complaint_and_marks_our_message_undelivered(
    kendal, office_mailbox, deliver_mail, smtp_sink
):
    deliver_mail(make_mail(sender="salah@example.org", message_id="<first-3@example.com>"))
    poll(kendal)
    ack = Message.objects.get(direction=Direction.OUT)
    bounce = (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
        "To: bps3324@bps.go.id\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <bounce-1@mx.example.org>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        "Final-Recipient: rfc822; salah@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {ack.external_id}\r\nSubject: x\r\n\r\n--B--\r\n"
    ).encode()

    deliver_mail(bounce)
    poll(kendal)

    assert Complaint.objects.count() == 1
    inbound = InboundMessage.objects.get(external_id="<bounce-1@mx.example.org>")
    assert (inbound.state, inbound.kind) == (InboundState.IGNORED, InboundKind.BOUNCE)
    ack.refresh_from_db()
    assert ack.state == MessageState.FAILED
    assert "5.1.1" in ack.error


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        ({"Auto-Submitted": "auto-replied"}, InboundKind.AUTO_REPLY),
        ({"X-Autoreply": "yes"}, InboundKind.AUTO_REPLY),
        ({"List-Id": "<berita.example.org>"}, InboundKind.LIST),
        ({"Precedence": "bulk"}, InboundKind.LIST),
    ],
)
def test_automatic_and_list_mail_is_set_aside(
    kendal, office_mailbox, deliver_mail, smtp_sink, headers, kind
):
    deliver_mail(make_mail(subject="Out of office", headers=headers))

    poll(kendal)

    assert Complaint.objects.count() == 0
    assert Conversation.objects.count() == 0
    inbound = InboundMessage.objects.get()
    assert (inbound.state, inbound.kind) == (InboundState.IGNORED, kind)
    assert smtp_sink.messages == []  # never answered: no mail loops


def test_two_pollers_at_once_process_each_message_once(
    kendal, office_mailbox, deliver_mail, mailbox_contents
):
    for number in range(6):
        deliver_mail(
            make_mail(
                subject=f"Keluhan {number}",
                text=f"Keluhan nomor {number}: antrean macet.",
                message_id=f"<two-{number}@example.com>",
            )
        )
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(polling.poll_office(kendal.pk))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert [r.error for r in results] == ["", ""]
    assert Complaint.objects.count() == 6
    assert sorted(Complaint.objects.values_list("description", flat=True)) == [
        f"Keluhan nomor {n}: antrean macet." for n in range(6)
    ]
    assert InboundMessage.objects.count() == 6
    assert sum(len(r.stored) for r in results) == 6
    assert mailbox_contents("INBOX") == []
    assert sorted(mailbox_contents(DONE)) == [f"Keluhan {n}" for n in range(6)]


def test_a_message_seen_again_is_not_processed_twice(
    kendal, office_mailbox, deliver_mail, dovecot, mailbox_user
):
    message = make_mail(message_id="<again@example.com>")
    deliver_mail(message)
    poll(kendal)
    # The same message is back in the inbox (a move that failed, a second copy).
    deliver_mail(message)

    result = poll(kendal)

    assert result.duplicates == 1 and result.stored == []
    assert Complaint.objects.count() == 1


def test_html_only_mail_with_scripts_is_stored_as_text(kendal, office_mailbox, deliver_mail):
    html = (
        "<html><head><style>p{color:red}</style><script>alert('x')</script></head>"
        "<body><p>Buku <b>Kendal Dalam Angka</b> tidak ada di rak.</p>"
        "<script>document.location='https://evil.example'</script>"
        '<p onclick="steal()">Mohon dicek.</p></body></html>'
    )
    deliver_mail(make_mail(text=None, html=html))

    poll(kendal)

    description = Complaint.objects.get().description
    assert description == "Buku Kendal Dalam Angka tidak ada di rak.\n\nMohon dicek."
    assert "script" not in description and "alert" not in description and "<" not in description


def test_unknown_attachment_types_are_refused_and_noted(kendal, office_mailbox, deliver_mail):
    deliver_mail(
        make_mail(
            attachments=[
                ("program.exe", "application", "octet-stream", b"MZ\x90\x00" + b"\x00" * 100),
                ("palsu.pdf", "application", "pdf", b"not a pdf at all"),
                ("surat.pdf", "application", "pdf", pdf_bytes()),
            ]
        )
    )

    poll(kendal)

    complaint = Complaint.objects.get()
    assert [a.original_name for a in complaint.attachments.all()] == ["surat.pdf"]
    note = complaint.messages.get(kind=MessageKind.NOTE).body
    assert "program.exe" in note and "palsu.pdf" in note


def test_an_oversized_mail_is_refused_but_kept_in_the_mailbox(
    kendal, office_mailbox, deliver_mail, mailbox_contents, settings
):
    settings.CHANNELS_MAX_MAIL_MB = 1
    deliver_mail(
        make_mail(
            subject="Lampiran besar",
            attachments=[("besar.pdf", "application", "pdf", b"%PDF-" + b"x" * 1_200_000)],
        )
    )

    result = poll(kendal)

    assert result.too_large == 1
    assert Complaint.objects.count() == 0
    inbound = InboundMessage.objects.get()
    assert (inbound.state, inbound.kind) == (InboundState.REJECTED, InboundKind.TOO_LARGE)
    assert mailbox_contents(DONE) == ["Lampiran besar"]


def test_malformed_mail_is_refused_and_shown(
    kendal, office_mailbox, deliver_mail, mailbox_contents
):
    deliver_mail(b"\x00\x01garbage without headers\r\n\r\n\xff\xfe")

    poll(kendal)

    assert Complaint.objects.count() == 0
    inbound = InboundMessage.objects.get()
    assert (inbound.state, inbound.kind) == (InboundState.REJECTED, InboundKind.MALFORMED)
    assert inbound.raw != b""  # kept: it was not processed
    assert len(mailbox_contents(DONE)) == 1  # and the mail itself stays in the mailbox


def test_messages_in_other_scripts_arrive_intact(kendal, office_mailbox, deliver_mail, smtp_sink):
    deliver_mail(
        make_mail(
            name="محمد",
            subject="شكوى بخصوص الخدمة 投诉",
            text="لم أتمكن من العثور على الكتاب.\n我找不到这本书。",
        )
    )

    poll(kendal)

    complaint = Complaint.objects.get()
    assert complaint.description == "لم أتمكن من العثور على الكتاب.\n我找不到这本书。"
    assert complaint.contact_name == "محمد"
    assert "شكوى بخصوص الخدمة 投诉" in smtp_sink.messages[0]["message"]["Subject"]


def test_an_unreachable_mailbox_gives_a_clear_state_and_loses_nothing(kendal, office_mailbox):
    office_mailbox.imap_port = 1  # nothing listens there
    office_mailbox.save()

    result = polling.poll_office(kendal.pk)

    assert "ConnectionRefusedError" in result.error
    row = ChannelSettings.objects.get(office=kendal)
    assert row.last_poll_error == result.error
    assert row.last_poll_ok_at is None and row.last_poll_at is not None


def test_a_wrong_password_is_reported(kendal, office_mailbox, monkeypatch):
    monkeypatch.setenv("MAILBOX_PASSWORD_3324", "wrong")

    result = polling.poll_office(kendal.pk)

    assert result.error == "login refused (user name or password)"


def test_new_mail_goes_to_the_inbox_when_the_office_says_so(kendal, office_mailbox, deliver_mail):
    office_mailbox.email_route = "inbox"
    office_mailbox.save()
    deliver_mail(
        make_mail(
            subject="Data PDRB 2023",
            text="Apakah ada data PDRB per kecamatan?",
            attachments=[("tabel.png", "image", "png", png_bytes())],
        )
    )

    poll(kendal)

    assert Complaint.objects.count() == 0
    conversation = Conversation.objects.get()
    assert (conversation.complaint, conversation.subject) == (None, "Data PDRB 2023")
    message = conversation.messages.get()
    assert message.body == "Apakah ada data PDRB per kecamatan?"
    assert [a.original_name for a in message.attachments.all()] == ["tabel.png"]
