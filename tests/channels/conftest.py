import hashlib
import hmac
import io
import json
import uuid
from email.message import EmailMessage

import httpx
import pytest
from django.core.files.base import ContentFile
from imap_tools import MailBoxUnencrypted
from PIL import Image
from pypdf import PdfWriter

from channels.choices import Direction, InboundState, MailSecurity, MessageState, SmtpSecurity
from channels.models import (
    ChannelSettings,
    Contact,
    Conversation,
    InboundMessage,
    Message,
    MessageAttachment,
)
from complaints import services
from complaints.choices import Channel
from tests.softcopies.conftest import hardcopy_book, make_request  # noqa: F401 - fixtures

from .servers import PASSWORD, Dovecot, GraphServer, SmtpSink

APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
PHONE_NUMBER_ID = "106540352242922"
IG_ACCOUNT_ID = "17841400000000001"


@pytest.fixture(scope="session")
def dovecot():
    server = Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def graph(settings):
    server = GraphServer().start()
    settings.WHATSAPP_API_URL = server.url
    settings.INSTAGRAM_API_URL = server.url
    yield server
    server.stop()


@pytest.fixture
def meta_secrets(settings, monkeypatch):
    settings.META_APP_SECRET = APP_SECRET
    settings.META_VERIFY_TOKEN = VERIFY_TOKEN
    monkeypatch.setenv("WHATSAPP_ACCESS_TOKEN", GraphServer.TOKEN)
    monkeypatch.setenv("INSTAGRAM_ACCESS_TOKEN", GraphServer.TOKEN)


@pytest.fixture
def cloud(settings, graph, meta_secrets, kendal):
    """WhatsApp and Instagram through the local Graph API server, for office 3324."""
    settings.WHATSAPP_SENDER = "cloud"
    row = ChannelSettings.for_office(kendal)
    row.whatsapp_phone_number_id = PHONE_NUMBER_ID
    row.whatsapp_display_number = "0896 3324 3324"
    row.instagram_account_id = IG_ACCOUNT_ID
    row.save()
    return graph


@pytest.fixture
def mailbox_user():
    # Dovecot takes any user name with the test password: one fresh mailbox per test.
    return f"kendal{uuid.uuid4().hex[:10]}"


@pytest.fixture
def office_mailbox(kendal, dovecot, smtp_sink, mailbox_user, monkeypatch):
    """Office 3324's mailbox on the test Dovecot, answers through the test SMTP server."""
    monkeypatch.setenv("MAILBOX_PASSWORD_3324", PASSWORD)
    row = ChannelSettings.for_office(kendal)
    row.mail_address = "bps3324@bps.go.id"
    row.imap_host = "127.0.0.1"
    row.imap_port = dovecot.port
    row.imap_security = MailSecurity.NONE
    row.imap_user = mailbox_user
    row.smtp_host = "127.0.0.1"
    row.smtp_port = smtp_sink.port
    row.smtp_security = SmtpSecurity.NONE
    row.save()
    return row


def imap_session(dovecot, user):
    return MailBoxUnencrypted("127.0.0.1", dovecot.port, timeout=10).login(user, PASSWORD)


@pytest.fixture
def deliver_mail(dovecot, mailbox_user):
    """Put a message in the office's INBOX (IMAP APPEND), as an MTA would deliver it."""

    def _deliver(message, folder="INBOX"):
        raw = message.as_bytes() if hasattr(message, "as_bytes") else message
        with imap_session(dovecot, mailbox_user) as mailbox:
            mailbox.append(raw, folder)
        return raw

    return _deliver


@pytest.fixture
def mailbox_contents(dovecot, mailbox_user):
    def _contents(folder):
        with imap_session(dovecot, mailbox_user) as mailbox:
            if not mailbox.folder.exists(folder):
                return []
            mailbox.folder.set(folder)
            return [m.subject for m in mailbox.fetch(mark_seen=False)]

    return _contents


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_mail(
    *,
    sender="warga@example.com",
    name="Budi Warga",
    to="bps3324@bps.go.id",
    subject="Pelayanan perpustakaan",
    text="Petugas perpustakaan tidak ada di meja layanan pukul 10.00.",
    html=None,
    message_id=None,
    headers=None,
    attachments=(),
):
    message = EmailMessage()
    message["From"] = f"{name} <{sender}>" if name else sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or f"<{uuid.uuid4().hex}@example.com>"
    message["Date"] = "Tue, 01 Dec 2026 09:00:00 +0700"
    for key, value in (headers or {}).items():
        message[key] = value
    if text is not None:
        message.set_content(text)
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    for filename, maintype, subtype, payload in attachments:
        message.add_attachment(payload, maintype=maintype, subtype=subtype, filename=filename)
    return message


def sign(body, secret=APP_SECRET):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def whatsapp_payload(*, messages=(), statuses=(), phone_number_id=PHONE_NUMBER_ID, name="Siti"):
    """A webhook body as in Meta's documented examples (entry[].changes[].value)."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6289633243324", "phone_number_id": phone_number_id},
    }
    if messages:
        value["contacts"] = [
            {"profile": {"name": name}, "wa_id": m["from"]} for m in messages if "from" in m
        ]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }


def wa_text(body, *, sender="6281234567890", wamid=None, timestamp="1764554400"):
    return {
        "from": sender,
        "id": wamid or f"wamid.{uuid.uuid4().hex}",
        "timestamp": timestamp,
        "type": "text",
        "text": {"body": body},
    }


def instagram_payload(*, sender="1254459154682919", text="", mid=None, attachments=(), echo=False):
    message = {"mid": mid or f"aWdfZAG1faXRlbToxOklHTWVzc2FnZAU{uuid.uuid4().hex}", "text": text}
    if attachments:
        message["attachments"] = list(attachments)
    if echo:
        message["is_echo"] = True
    return {
        "object": "instagram",
        "entry": [
            {
                "id": IG_ACCOUNT_ID,
                "time": 1764554400,
                "messaging": [
                    {
                        "sender": {"id": IG_ACCOUNT_ID if echo else sender},
                        "recipient": {"id": sender if echo else IG_ACCOUNT_ID},
                        "timestamp": 1764554400123,
                        "message": message,
                    }
                ],
            }
        ],
    }


def post_webhook(client_or_url, payload, *, signed=True, secret=APP_SECRET):
    """POST a payload the way Meta does (raw JSON, signed); returns the response."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    if signed:
        headers["X-Hub-Signature-256"] = sign(body, secret)
    return httpx.post(client_or_url, content=body, headers=headers, timeout=30)


@pytest.fixture
def make_web_complaint(kendal):
    def _make(**kwargs):
        kwargs.setdefault("office", kendal)
        kwargs.setdefault("channel", Channel.WEB)
        kwargs.setdefault("description", "Ruang baca terlalu panas pada siang hari.")
        return services.submit_complaint(**kwargs)

    return _make


def make_inbox_conversation(office, *, medium="whatsapp", address="6281234567890", name="Rina"):
    """An inbox conversation with a received message and its attachment, an undelivered
    answer, and an inbound message whose processing failed; returns their ids."""
    contact = Contact.get_or_create_for(office, medium, address, name=name)
    conversation = Conversation.objects.create(
        office=office, contact=contact, medium=medium, subject="Data IPM"
    )
    received = Message.objects.create(
        office=office,
        contact=contact,
        conversation=conversation,
        direction=Direction.IN,
        state=MessageState.RECEIVED,
        body="Apakah ada data IPM per kecamatan?",
        external_id=f"wamid.{conversation.pk}",
    )
    attachment = MessageAttachment.objects.create(
        message=received,
        file=ContentFile(png_bytes(), name="tabel.png"),
        original_name="tabel.png",
        content_type="image/png",
        size=100,
    )
    failed = Message.objects.create(
        office=office,
        contact=contact,
        conversation=conversation,
        direction=Direction.OUT,
        state=MessageState.FAILED,
        body="Ada, silakan lihat di website.",
        error="131026: undeliverable",
        error_code="131026",
    )
    inbound = InboundMessage.objects.create(
        office=office,
        medium="email",
        external_id=f"<failed-{conversation.pk}@example.com>",
        raw=b"Subject: x\r\n\r\nbody",
        state=InboundState.FAILED,
        error="OperationalError: database is locked",
    )
    return {
        "conversation": conversation.pk,
        "message_attachment": attachment.pk,
        "failed_message": failed.pk,
        "failed_inbound": inbound.pk,
    }
