"""Notices on WhatsApp for people who opted in (a separate, withdrawable consent), each with
an e-mail fallback: queue ticket near the front, softcopy delivered, complaint answered,
survey invitation."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.choices import ConsentPurpose
from accounts.models import Consent
from channels.choices import Direction, MessageState, NoticeKind
from channels.models import Message, TicketWatch
from complaints.choices import Severity
from feedback import services as feedback_services
from feedback.choices import SurveyChannel
from offices.models import Counter
from offices.time import local_day
from privacy.services import withdraw_consent
from softcopies import services as softcopy_services
from softcopies.choices import Source
from softcopies.models import Notification
from tests.softcopies.conftest import image_upload
from visits import services as visit_services

from .conftest import PHONE_NUMBER_ID


@pytest.fixture
def opted_in(citizen):
    citizen.phone = "0812 1111 2222"
    citizen.save(update_fields=["phone"])
    Consent.objects.create(user=citizen, purpose=ConsentPurpose.WHATSAPP_NOTICES)
    return citizen


def templates_sent(graph):
    return [
        body["template"]
        for path, body in graph.posts()
        if path.endswith(f"{PHONE_NUMBER_ID}/messages") and body.get("type") == "template"
    ]


def params(template):
    return [p["text"] for p in template["components"][0]["parameters"]]


# The consent ------------------------------------------------------------------------------


def test_whatsapp_notices_need_a_phone_number(client_for, citizen):
    client = client_for(citizen)

    response = client.post(reverse("privacy:consent-give", args=["whatsapp_notices"]), follow=True)

    assert not Consent.objects.filter(user=citizen, purpose="whatsapp_notices").exists()
    assert "nomor WhatsApp" in response.content.decode()


def test_whatsapp_notices_are_given_shown_and_withdrawn_in_my_data(client_for, citizen):
    citizen.phone = "0812 1111 2222"
    citizen.save(update_fields=["phone"])
    client = client_for(citizen)

    client.post(reverse("privacy:consent-give", args=["whatsapp_notices"]))
    consent = Consent.objects.get(user=citizen, purpose="whatsapp_notices")
    listed = client.get(reverse("privacy:consent-list")).content.decode()
    shown = client.get(reverse("privacy:my-data")).content.decode()
    client.post(reverse("privacy:consent-withdraw", args=[consent.pk]))

    assert "Pemberitahuan lewat WhatsApp" in listed
    assert "Pemberitahuan lewat WhatsApp" in shown
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_withdrawing_the_account_withdraws_whatsapp_notices_too(opted_in):
    Consent.objects.create(user=opted_in, purpose=ConsentPurpose.ACCOUNT)

    withdraw_consent(opted_in, ConsentPurpose.ACCOUNT)

    assert not Consent.objects.active().filter(user=opted_in).exists()


# Softcopy delivered ----------------------------------------------------------------------


def test_a_delivered_softcopy_is_announced_on_whatsapp_instead_of_by_email(
    opted_in,
    cloud,
    make_request,
    hardcopy_book,
    clerk,
    django_capture_on_commit_callbacks,
):
    created = make_request(hardcopy_book, pages="12-13")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        softcopy_services.deliver(
            created, by=clerk, source=Source.UPLOAD, uploads=[image_upload("a.png")]
        )

    [template] = templates_sent(cloud)
    assert template["name"] == "pst_softcopy_ready"
    assert params(template)[:2] == ["BPS Kabupaten Kendal", created.number]
    assert mail.outbox == []
    assert not Notification.objects.filter(request=created, subject__icontains="siap").exists()
    notice = Message.objects.get(notice_kind=NoticeKind.SOFTCOPY_DELIVERED)
    assert (notice.state, notice.contact.address) == (MessageState.SENT, "6281211112222")


def test_when_whatsapp_cannot_deliver_the_email_goes(
    opted_in,
    cloud,
    make_request,
    hardcopy_book,
    clerk,
    django_capture_on_commit_callbacks,
):
    created = make_request(hardcopy_book, pages="12-13")
    mail.outbox.clear()
    cloud.fail_next(400, 131026)

    with django_capture_on_commit_callbacks(execute=True):
        softcopy_services.deliver(
            created, by=clerk, source=Source.UPLOAD, uploads=[image_upload("a.png")]
        )

    notice = Message.objects.get(notice_kind=NoticeKind.SOFTCOPY_DELIVERED)
    assert notice.state == MessageState.FAILED and notice.fallback_sent_at is not None
    assert [m.to for m in mail.outbox] == [[opted_in.email]]
    assert created.number in mail.outbox[0].subject


def test_without_the_consent_the_email_goes_as_before(
    citizen,
    cloud,
    make_request,
    hardcopy_book,
    clerk,
    django_capture_on_commit_callbacks,
):
    citizen.phone = "0812 1111 2222"
    citizen.save(update_fields=["phone"])
    created = make_request(hardcopy_book, pages="12-13")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        softcopy_services.deliver(
            created, by=clerk, source=Source.UPLOAD, uploads=[image_upload("a.png")]
        )

    assert templates_sent(cloud) == []
    assert [m.to for m in mail.outbox] == [[citizen.email]]


# Survey invitation -----------------------------------------------------------------------


def _invitation(kendal, user):
    return feedback_services.invite(
        office=kendal,
        service="library",
        channel=SurveyChannel.DOWNLOAD,
        user=user,
        session_day=local_day(kendal),
    )


def test_a_survey_invitation_goes_on_whatsapp(
    opted_in, kendal, cloud, django_capture_on_commit_callbacks
):
    invitation = _invitation(kendal, opted_in)

    with django_capture_on_commit_callbacks(execute=True):
        sent = feedback_services.email_invitation(invitation)

    assert sent is True
    [template] = templates_sent(cloud)
    assert template["name"] == "pst_survey_invitation"
    assert params(template)[1].endswith(invitation.token + "/")
    assert mail.outbox == []


def test_a_failed_survey_notice_is_not_emailed_without_the_survey_email_consent(
    opted_in, kendal, cloud, django_capture_on_commit_callbacks
):
    cloud.fail_next(400, 131026)
    invitation = _invitation(kendal, opted_in)

    with django_capture_on_commit_callbacks(execute=True):
        feedback_services.email_invitation(invitation)

    assert Message.objects.get().state == MessageState.FAILED
    assert mail.outbox == []


# Complaint answered ----------------------------------------------------------------------


def test_a_web_complainant_who_opted_in_hears_the_answer_on_whatsapp(
    opted_in, cloud, make_web_complaint, supervisor, django_capture_on_commit_callbacks
):
    complaint = make_web_complaint(complainant=opted_in, contact_email=opted_in.email)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        complaint.verify(by=supervisor, severity=Severity.LIGHT)
        complaint.answer(by=supervisor, body="Ruang baca kini berpendingin.")

    [template] = templates_sent(cloud)
    assert template["name"] == "pst_complaint_update"
    assert params(template)[:2] == [complaint.tracking_code, "Ruang baca kini berpendingin."]
    # The "verified" notice went by e-mail; the answer by WhatsApp only.
    assert len(mail.outbox) == 1 and "diverifikasi" in mail.outbox[0].subject.lower()


def test_a_number_left_on_the_web_form_is_answered_on_whatsapp_and_can_reply(
    cloud, make_web_complaint, django_capture_on_commit_callbacks, kendal
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = make_web_complaint(contact_whatsapp="0812 3456 7890")

    [template] = templates_sent(cloud)
    assert params(template)[0] == complaint.tracking_code
    sent = Message.objects.get(direction=Direction.OUT)
    assert sent.contact.address == "6281234567890"
    assert sent.conversation.complaint == complaint


# Queue ticket near the front -------------------------------------------------------------


@pytest.fixture
def library_counter(kendal):
    return Counter.objects.get(office=kendal, number=1)


def test_a_watched_ticket_is_told_once_when_three_numbers_are_left(
    opted_in,
    kendal,
    clerk,
    cloud,
    library_counter,
    client_for,
    django_capture_on_commit_callbacks,
):
    tickets = [visit_services.issue_ticket(kendal, "library", officer=clerk) for _ in range(6)]
    mine = tickets[5]
    client = client_for(opted_in)

    page = client.get(reverse("visits:ticket-status", args=[mine.pk])).content.decode()
    assert reverse("channels:ticket-watch", args=[mine.pk]) in page
    client.post(reverse("channels:ticket-watch", args=[mine.pk]))
    assert TicketWatch.objects.get().notified_at is None  # 5 before me: not yet

    with django_capture_on_commit_callbacks(execute=True):
        tickets[0].call(library_counter, by=clerk)
    assert templates_sent(cloud) == []  # 4 before me
    with django_capture_on_commit_callbacks(execute=True):
        tickets[1].call(library_counter, by=clerk)
        tickets[2].call(library_counter, by=clerk)

    [template] = templates_sent(cloud)
    assert template["name"] == "pst_ticket_near"
    assert params(template) == [mine.number, "BPS Kabupaten Kendal", "2"]
    assert TicketWatch.objects.get().notified_at is not None


def test_only_an_opted_in_visitor_may_watch_a_ticket(citizen, kendal, clerk, client_for):
    ticket = visit_services.issue_ticket(kendal, "library", officer=clerk)

    response = client_for(citizen).post(reverse("channels:ticket-watch", args=[ticket.pk]))
    anonymous = client_for(None).post(reverse("channels:ticket-watch", args=[ticket.pk]))

    assert response.status_code == 302 and TicketWatch.objects.count() == 0
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
