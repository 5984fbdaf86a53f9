"""/healthz warns when WhatsApp answers go nowhere; the report counts messages by channel."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db.models import BinaryField
from django.db.models.functions import Cast

from channels.choices import Direction, MessageState
from channels.models import ChannelSettings, InboundMessage, Message
from offices.time import local_now
from reports.period import Period
from reports.sections import build

from .conftest import make_inbox_conversation


def test_healthz_is_degraded_with_the_logging_sender_in_production(client, db, settings):
    settings.WHATSAPP_SENDER = "log"

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["whatsapp"] == "degraded"


def test_healthz_is_degraded_without_a_connected_number(client, kendal, settings, meta_secrets):
    settings.WHATSAPP_SENDER = "cloud"

    assert client.get("/healthz").json()["checks"]["whatsapp"] == "degraded"


def test_healthz_is_ok_with_a_connected_number_and_token(client, kendal, settings, meta_secrets):
    settings.WHATSAPP_SENDER = "cloud"
    ChannelSettings.for_office(kendal)
    ChannelSettings.objects.filter(office=kendal).update(whatsapp_phone_number_id="1065")

    assert client.get("/healthz").json()["checks"]["whatsapp"] == "ok"


def test_the_report_counts_messages_by_channel(kendal):
    make_inbox_conversation(kendal)
    make_inbox_conversation(kendal, medium="email", address="warga@example.com")
    Message.objects.filter(direction=Direction.OUT, contact__medium="email").update(
        state=MessageState.SENT
    )
    period = Period.month(local_now(kendal).strftime("%Y-%m"), kendal.tzinfo)

    section = next(s for s in build(kendal, period) if s.key == "messages")

    figures = {f.key: f.value for f in section.figures}
    assert figures == {"received": 2, "inbox": 2, "sent": 2, "undelivered": 1}
    # Rows in the order of the channels: e-mail, WhatsApp, Instagram.
    assert [row[1:] for row in section.tables[0].rows] == [
        [0, 1, 1, 1, 0],
        [0, 1, 1, 1, 1],
        [0, 0, 0, 0, 0],
    ]


@pytest.fixture
def meta_secrets(settings, monkeypatch):
    settings.META_APP_SECRET = "secret"
    monkeypatch.setenv("WHATSAPP_ACCESS_TOKEN", "token")


def test_raw_messages_are_encrypted_at_rest_and_survive_a_key_rotation(kendal, settings):
    raw = "From: warga@example.com\r\nSubject: Keluhan\r\n\r\nنص عربي".encode()
    inbound = InboundMessage.objects.create(
        office=kendal, medium="email", external_id="<raw@x>", raw=raw
    )
    stored = bytes(
        InboundMessage.objects.filter(pk=inbound.pk)
        .values_list(Cast("raw", BinaryField()))
        .get()[0]
    )
    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]

    call_command("rotate_field_keys", stdout=io.StringIO())

    assert b"warga@example.com" not in stored
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # the new key alone
    assert InboundMessage.objects.get(pk=inbound.pk).raw == raw
