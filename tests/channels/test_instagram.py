"""Instagram direct messages through the same Meta webhook and signature check."""

import datetime

import pytest
from django.utils import timezone

from channels.choices import Direction, MessageState
from channels.models import Contact, InboundMessage, Message
from complaints.choices import Channel, Severity
from complaints.models import Complaint

from .conftest import IG_ACCOUNT_ID, instagram_payload, png_bytes, post_webhook

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hook(live_server):
    return live_server.url + "/webhooks/meta"


def sent_to_instagram(graph):
    return [body for path, body in graph.posts() if path.endswith(f"{IG_ACCOUNT_ID}/messages")]


def test_a_direct_message_becomes_a_social_media_complaint_answered_on_instagram(
    hook, cloud, supervisor
):
    response = post_webhook(
        hook, instagram_payload(text="Admin, kenapa website BPS Kendal tidak bisa dibuka?")
    )

    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.SOCIAL_MEDIA
    assert complaint.description == "Admin, kenapa website BPS Kendal tidak bisa dibuka?"
    assert (complaint.contact_email, complaint.contact_whatsapp) == ("", "")
    [ack] = sent_to_instagram(cloud)
    assert ack["recipient"] == {"id": "1254459154682919"}
    assert complaint.tracking_code in ack["message"]["text"]

    complaint.verify(by=supervisor, severity=Severity.LIGHT)
    complaint.answer(by=supervisor, body="Sudah diperbaiki, silakan coba lagi.")

    answer = sent_to_instagram(cloud)[-1]
    assert "Sudah diperbaiki, silakan coba lagi." in answer["message"]["text"]
    assert len(answer["message"]["text"]) <= 1000
    assert Message.objects.filter(direction=Direction.OUT).last().external_id.startswith("mid.")


def test_unsigned_instagram_posts_are_refused(hook, cloud):
    response = post_webhook(hook, instagram_payload(text="Halo"), signed=False)

    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


def test_our_own_messages_echoed_back_are_ignored(hook, cloud):
    response = post_webhook(hook, instagram_payload(text="Terima kasih", echo=True))

    assert response.json()["messages"] == 0
    assert InboundMessage.objects.count() == 0


def test_an_image_attachment_is_kept(hook, cloud):
    cloud.media["foto1"] = png_bytes()

    post_webhook(
        hook,
        instagram_payload(
            text="Ini fotonya",
            attachments=[{"type": "image", "payload": {"url": cloud.cdn_url("foto1")}}],
        ),
    )

    complaint = Complaint.objects.get()
    assert [a.content_type for a in complaint.attachments.all()] == ["image/png"]


def test_an_answer_after_24_hours_is_not_sent_and_says_why(hook, cloud, supervisor):
    post_webhook(hook, instagram_payload(text="Ruang baca tutup jam 12."))
    complaint = Complaint.objects.get()
    Contact.objects.update(last_inbound_at=timezone.now() - datetime.timedelta(hours=30))
    before = len(sent_to_instagram(cloud))

    complaint.verify(by=supervisor, severity=Severity.LIGHT)

    assert len(sent_to_instagram(cloud)) == before
    message = Message.objects.filter(direction=Direction.OUT).last()
    assert (message.state, message.error_code) == (MessageState.FAILED, "window")
    assert "24 hours" in message.error


def test_a_replayed_instagram_message_is_taken_once(hook, cloud):
    payload = instagram_payload(text="Jam buka PST?", mid="mid.REPLAY")

    post_webhook(hook, payload)
    second = post_webhook(hook, payload)

    assert second.json()["duplicates"] == 1
    assert Complaint.objects.count() == 1
