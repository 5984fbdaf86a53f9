"""WhatsApp Cloud API: the webhook through a live server (httpx), sends to a local Graph API."""

import datetime

import httpx
import pytest
from django.core import mail
from django.utils import timezone

from channels import outbound
from channels.choices import Direction, InboundKind, InboundState, MessageState
from channels.models import ChannelSettings, Contact, Conversation, InboundMessage, Message
from complaints.choices import Channel, MessageKind, Severity, Status
from complaints.models import Complaint

from .conftest import (
    PHONE_NUMBER_ID,
    VERIFY_TOKEN,
    pdf_bytes,
    png_bytes,
    post_webhook,
    wa_text,
    whatsapp_payload,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hook(live_server):
    return live_server.url + "/webhooks/meta"


def sent_to_graph(graph):
    return [body for path, body in graph.posts() if path.endswith(f"{PHONE_NUMBER_ID}/messages")]


# Handshake and signature -------------------------------------------------------------------


def test_verification_handshake_answers_the_challenge(hook, meta_secrets):
    ok = httpx.get(
        hook,
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
    )
    wrong = httpx.get(
        hook, params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}
    )
    no_mode = httpx.get(hook, params={"hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"})

    assert (ok.status_code, ok.text, ok.headers["content-type"]) == (
        200,
        "1158201444",
        "text/plain",
    )
    assert wrong.status_code == 403
    assert no_mode.status_code == 403


def test_handshake_is_refused_without_a_configured_token(hook, settings):
    settings.META_VERIFY_TOKEN = ""

    response = httpx.get(
        hook, params={"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}
    )

    assert response.status_code == 403


def test_unsigned_and_wrongly_signed_posts_are_refused(hook, cloud):
    payload = whatsapp_payload(messages=[wa_text("Pengaduan palsu")])

    unsigned = post_webhook(hook, payload, signed=False)
    forged = post_webhook(hook, payload, secret="not-the-app-secret")

    assert (unsigned.status_code, forged.status_code) == (403, 403)
    assert InboundMessage.objects.count() == 0
    assert Complaint.objects.count() == 0


def test_a_body_changed_after_signing_is_refused(hook, cloud):
    body = b'{"object":"whatsapp_business_account","entry":[]}'
    from .conftest import sign

    response = httpx.post(
        hook,
        content=body.replace(b"[]", b"[{}]"),
        headers={"X-Hub-Signature-256": sign(body), "Content-Type": "application/json"},
    )

    assert response.status_code == 403


# Incoming messages -------------------------------------------------------------------------


def test_a_text_message_becomes_a_complaint_answered_on_whatsapp(hook, cloud, supervisor):
    response = post_webhook(
        hook,
        whatsapp_payload(
            messages=[wa_text("Antrean di PST lama sekali, sudah 1 jam.", wamid="wamid.IN1")],
            name="Siti Aminah",
        ),
    )

    assert response.status_code == 200
    assert response.json()["messages"] == 1
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.WHATSAPP
    assert complaint.contact_whatsapp == "+6281234567890"
    assert complaint.contact_name == "Siti Aminah"
    assert complaint.description == "Antrean di PST lama sekali, sudah 1 jam."
    # The acknowledgement went as free text (they wrote a moment ago: the window is open).
    [ack] = sent_to_graph(cloud)
    assert ack["type"] == "text" and ack["to"] == "6281234567890"
    assert complaint.tracking_code in ack["text"]["body"]
    assert Message.objects.get(direction=Direction.OUT).external_id == "wamid.TEST1"

    complaint.verify(by=supervisor, severity=Severity.LIGHT)
    complaint.answer(by=supervisor, body="Mohon maaf, loket kedua sudah dibuka.")

    answer = sent_to_graph(cloud)[-1]
    assert answer["type"] == "text"
    assert "Mohon maaf, loket kedua sudah dibuka." in answer["text"]["body"]


def test_a_replayed_webhook_is_taken_once(hook, cloud):
    payload = whatsapp_payload(messages=[wa_text("Buku tidak tersedia", wamid="wamid.SAME")])

    first = post_webhook(hook, payload)
    second = post_webhook(hook, payload)

    assert first.json()["messages"] == 1
    assert (second.json()["messages"], second.json()["duplicates"]) == (0, 1)
    assert Complaint.objects.count() == 1
    assert InboundMessage.objects.count() == 1


def test_image_and_document_messages_bring_their_files(hook, cloud):
    cloud.media["MEDIA-IMG"] = png_bytes()
    cloud.media["MEDIA-PDF"] = pdf_bytes()
    messages = [
        {
            "from": "6281234567890",
            "id": "wamid.IMG",
            "timestamp": "1764554400",
            "type": "image",
            "image": {
                "caption": "Foto antrean",
                "mime_type": "image/png",
                "sha256": "x",
                "id": "MEDIA-IMG",
            },
        },
        {
            "from": "6281234567890",
            "id": "wamid.DOC",
            "timestamp": "1764554460",
            "type": "document",
            "document": {
                "filename": "surat.pdf",
                "mime_type": "application/pdf",
                "sha256": "x",
                "id": "MEDIA-PDF",
            },
        },
    ]

    post_webhook(hook, whatsapp_payload(messages=messages))

    complaint = Complaint.objects.get()
    assert complaint.description == "Foto antrean"
    assert sorted(a.content_type for a in complaint.attachments.all()) == [
        "application/pdf",
        "image/png",
    ]
    # The media were fetched with the token: first the URL, then the file.
    gets = [path for method, path, _b, h in cloud.requests if method == "GET"]
    assert gets[:2] == ["/v23.0/MEDIA-IMG", "/download/MEDIA-IMG"]


def test_a_second_message_from_the_same_number_joins_the_open_complaint(hook, cloud):
    post_webhook(hook, whatsapp_payload(messages=[wa_text("Ruang baca panas.")]))
    post_webhook(hook, whatsapp_payload(messages=[wa_text("AC-nya juga bocor.")]))

    complaint = Complaint.objects.get()
    assert complaint.messages.get(kind=MessageKind.REPLY).body == "AC-nya juga bocor."


def test_a_code_in_the_text_joins_that_complaint_from_another_number(
    hook, cloud, make_web_complaint
):
    complaint = make_web_complaint()

    post_webhook(
        hook,
        whatsapp_payload(
            messages=[wa_text(f"Kode {complaint.tracking_code}: ada tambahan", sender="628999")]
        ),
    )

    assert Complaint.objects.count() == 1
    assert complaint.messages.get(kind=MessageKind.REPLY).body.endswith("ada tambahan")


def test_messages_in_other_scripts_arrive_intact(hook, cloud):
    text = "لم أجد البيانات 我找不到数据 😊"

    response = post_webhook(hook, whatsapp_payload(messages=[wa_text(text)], name="李明"))

    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert (complaint.description, complaint.contact_name) == (text, "李明")


def test_a_message_for_an_unknown_number_is_acknowledged_and_not_processed(hook, cloud):
    response = post_webhook(
        hook, whatsapp_payload(messages=[wa_text("Halo")], phone_number_id="999999999")
    )

    assert response.status_code == 200
    assert response.json()["unknown"] == 1
    assert Complaint.objects.count() == 0
    inbound = InboundMessage.objects.get()
    assert (inbound.office, inbound.kind, inbound.raw) == (None, InboundKind.UNKNOWN_NUMBER, b"")


def test_the_inbox_route_keeps_questions_out_of_the_register(hook, cloud, kendal):
    ChannelSettings.objects.filter(office=kendal).update(whatsapp_route="inbox")

    post_webhook(hook, whatsapp_payload(messages=[wa_text("Ada data IPM 2023?")]))

    assert Complaint.objects.count() == 0
    conversation = Conversation.objects.get()
    assert conversation.complaint is None
    assert sent_to_graph(cloud) == []  # no automatic answer for inbox messages


# Sending: the 24-hour window, errors, retries ------------------------------------------------


def _complaint_by_whatsapp(hook):
    post_webhook(hook, whatsapp_payload(messages=[wa_text("Loket tutup lebih awal.")]))
    return Complaint.objects.get()


def test_outside_the_window_the_approved_template_goes(hook, cloud, supervisor):
    complaint = _complaint_by_whatsapp(hook)
    Contact.objects.update(last_inbound_at=timezone.now() - datetime.timedelta(hours=25))

    complaint.verify(by=supervisor, severity=Severity.LIGHT)

    template = sent_to_graph(cloud)[-1]
    assert template["type"] == "template"
    assert template["template"]["name"] == "pst_complaint_update"
    assert template["template"]["language"] == {"code": "id"}
    params = [p["text"] for p in template["template"]["components"][0]["parameters"]]
    assert params[0] == complaint.tracking_code
    assert params[2] == complaint.tracking_url
    assert "\n" not in params[1]


def test_a_window_closed_answer_131047_is_resent_as_the_template(hook, cloud, supervisor):
    complaint = _complaint_by_whatsapp(hook)
    cloud.fail_next(400, 131047)

    complaint.verify(by=supervisor, severity=Severity.LIGHT)

    last_two = sent_to_graph(cloud)[-2:]
    assert [m["type"] for m in last_two] == ["text", "template"]
    assert Message.objects.filter(direction=Direction.OUT).last().state == MessageState.SENT


def test_a_rate_limit_is_retried_with_backoff(hook, cloud, supervisor):
    complaint = _complaint_by_whatsapp(hook)
    cloud.fail_next(429, 130429, {"Retry-After": "120"})

    complaint.verify(by=supervisor, severity=Severity.LIGHT)

    message = Message.objects.filter(direction=Direction.OUT).last()
    assert message.state == MessageState.RETRYING
    assert message.error_code == "130429"
    wait = (message.next_attempt_at - timezone.now()).total_seconds()
    assert 110 < wait <= 120  # the longer of the backoff (1 min) and Retry-After (2 min)

    assert outbound.send_due() == {}  # not due yet
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbound.send_due() == {MessageState.SENT: 1}
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.SENT, 2)


def test_a_final_failure_is_shown_and_the_email_goes_instead(
    hook, cloud, supervisor, client_for, kendal
):
    complaint = _complaint_by_whatsapp(hook)
    Complaint.objects.filter(pk=complaint.pk).update(contact_email="siti@example.com")
    complaint.refresh_from_db()
    cloud.fail_next(400, 131026)  # message undeliverable
    mail.outbox.clear()

    complaint.verify(by=supervisor, severity=Severity.LIGHT)

    message = Message.objects.filter(direction=Direction.OUT).last()
    assert (message.state, message.error_code) == (MessageState.FAILED, "131026")
    assert [m.to for m in mail.outbox] == [["siti@example.com"]]
    assert complaint.tracking_code in mail.outbox[0].subject
    page = client_for(supervisor).get(complaint.get_absolute_url()).content.decode()
    assert "131026" in page
    assert "Kirim ulang" in page or "Send again" in page

    retried = client_for(supervisor).post(f"/office/3324/messages/sent/{message.pk}/retry/")

    assert retried.status_code == 302
    message.refresh_from_db()
    assert message.state == MessageState.SENT


def test_delivery_statuses_never_go_backwards_and_replays_change_nothing(hook, cloud):
    _complaint_by_whatsapp(hook)
    wamid = Message.objects.get(direction=Direction.OUT).external_id

    def status(name, ts):
        return {"id": wamid, "status": name, "timestamp": ts, "recipient_id": "6281234567890"}

    post_webhook(hook, whatsapp_payload(statuses=[status("read", "1764554500")]))
    post_webhook(hook, whatsapp_payload(statuses=[status("delivered", "1764554490")]))
    post_webhook(hook, whatsapp_payload(statuses=[status("read", "1764554500")]))

    message = Message.objects.get(direction=Direction.OUT)
    assert message.state == MessageState.READ
    assert message.read_at == datetime.datetime.fromtimestamp(1764554500, tz=datetime.UTC)
    assert message.delivered_at == message.read_at  # read implies delivered


def test_an_asynchronous_131047_failure_resends_the_template(hook, cloud):
    _complaint_by_whatsapp(hook)
    ack = Message.objects.get(direction=Direction.OUT)
    failed = {
        "id": ack.external_id,
        "status": "failed",
        "timestamp": "1764554500",
        "recipient_id": "6281234567890",
        "errors": [
            {
                "code": 131047,
                "title": "Re-engagement message",
                "message": "Re-engagement message",
                "error_data": {
                    "details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number."
                },
            }
        ],
    }

    post_webhook(hook, whatsapp_payload(statuses=[failed]))

    ack.refresh_from_db()
    assert ack.state == MessageState.SENT and ack.use_template
    assert sent_to_graph(cloud)[-1]["type"] == "template"


def test_the_logging_sender_sends_nothing_and_falls_back_to_email(
    hook, cloud, settings, supervisor
):
    settings.WHATSAPP_SENDER = "log"
    complaint = _complaint_by_whatsapp(hook)

    assert sent_to_graph(cloud) == []
    assert Message.objects.get(direction=Direction.OUT).state == MessageState.NOT_SENT
    assert complaint.status == Status.RECEIVED


def test_an_unreachable_graph_api_keeps_the_message_for_a_retry(hook, cloud, settings):
    settings.WHATSAPP_API_URL = "http://127.0.0.1:9/v23.0"  # nothing listens there

    _complaint_by_whatsapp(hook)

    message = Message.objects.get(direction=Direction.OUT)
    assert (message.state, message.error_code) == (MessageState.RETRYING, "network")
    assert message.next_attempt_at is not None
    assert InboundMessage.objects.get().state == InboundState.PROCESSED
