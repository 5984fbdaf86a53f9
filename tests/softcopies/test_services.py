import datetime
import re

import pikepdf
import pytest
import time_machine
from django.core import mail

from delivery.choices import Channel as DeliveryChannel
from delivery.models import DeliveryRecord
from delivery.services import trace_file
from offices.models import LeaveDay, ServiceStandard
from softcopies import services
from softcopies.choices import Action, Kind, NotificationState, Source, Status
from softcopies.models import NUMBER_ALPHABET, Notification, RequestEvent, SoftcopyRequest

from .conftest import image_upload

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def test_number_is_readable_and_free_of_lookalikes(make_request):
    created = make_request()
    assert re.fullmatch(r"SC-\d{4}-[A-Z0-9]{4}", created.number)
    assert set(created.number[-4:]) <= set(NUMBER_ALPHABET)
    assert not set("O0I1LBS8Z2") & set(created.number[-4:])


def test_create_records_history_and_mails_the_user(make_request, citizen):
    created = make_request()
    assert created.status == Status.RECEIVED
    event = RequestEvent.objects.get(request=created)
    assert (event.action, event.status, event.actor) == (Action.CREATED, Status.RECEIVED, citizen)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["citizen@example.com"]
    assert created.number in mail.outbox[0].subject
    assert f"/account/softcopies/{created.number}/" in mail.outbox[0].body
    assert mail.outbox[0].attachments == []
    assert Notification.objects.get(request=created).state == NotificationState.SENT


def test_create_mail_in_the_users_language(make_request, citizen):
    citizen.preferred_language = "en"
    citizen.save(update_fields=["preferred_language"])
    make_request()
    assert mail.outbox[0].subject.startswith("[PST] Softcopy request")
    citizen.preferred_language = "id"
    citizen.save(update_fields=["preferred_language"])
    make_request()
    assert mail.outbox[1].subject.startswith("[PST] Permintaan softcopy")


def test_unverified_user_cannot_request_online(make_request, unverified):
    with pytest.raises(services.SoftcopyError):
        make_request(user=unverified)
    assert SoftcopyRequest.objects.count() == 0


def test_request_needs_publication_or_description(kendal, citizen):
    with pytest.raises(services.SoftcopyError):
        services.create_request(office=kendal, user=citizen, purpose="x", description="  ")


# --- due dates in working days -------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=JAKARTA), tick=False)
def test_due_date_skips_the_weekend(make_request, kendal):
    # Friday 20 November 2026 + 3 working days = Wednesday 25 November.
    _set_target(kendal, 3)
    assert make_request().due_date == datetime.date(2026, 11, 25)


@time_machine.travel(datetime.datetime(2026, 12, 23, 9, 0, tzinfo=JAKARTA), tick=False)
def test_due_date_skips_christmas_and_a_leave_day(make_request, kendal):
    # Wed 23 Dec; Thu 24 Dec is cuti bersama (office leave day), Fri 25 Dec Christmas,
    # then the weekend: Mon 28, Tue 29, Wed 30 December are the 3 working days.
    _set_target(kendal, 3)
    LeaveDay.objects.create(office=kendal, date=datetime.date(2026, 12, 24), name="Cuti bersama")
    assert make_request().due_date == datetime.date(2026, 12, 30)


@time_machine.travel(datetime.datetime(2026, 8, 14, 23, 30, tzinfo=JAKARTA), tick=False)
def test_due_date_counts_from_the_offices_local_day(make_request, kendal):
    # 23.30 WIB Friday 14 Aug (16.30 UTC); Mon 17 Aug is Independence Day: +1 → Tue 18 Aug.
    _set_target(kendal, 1)
    assert make_request().due_date == datetime.date(2026, 8, 18)


def test_overdue_is_derived_from_due_date(make_request, kendal):
    created = make_request()
    assert created.is_overdue(created.due_date) is False
    assert created.is_overdue(created.due_date + datetime.timedelta(days=1)) is True
    later = created.due_date + datetime.timedelta(days=1)
    assert list(SoftcopyRequest.objects.overdue(later)) == [created]


def _set_target(office, days):
    ServiceStandard.objects.filter(office=office, service="library").update(
        request_target_working_days=days
    )


# --- transitions ---------------------------------------------------------------------


def test_cancel_only_by_owner_while_received(make_request, citizen, clerk):
    created = make_request()
    with pytest.raises(services.SoftcopyError):
        created.cancel(by=clerk)
    created.cancel(by=citizen)
    created.refresh_from_db()
    assert created.status == Status.CANCELLED
    assert created.closed_at is not None
    second = make_request()
    second.start(by=clerk)
    with pytest.raises(services.SoftcopyError):
        second.cancel(by=citizen)
    second.refresh_from_db()
    assert second.status == Status.IN_PROGRESS


def test_start_takes_the_request(make_request, clerk):
    created = make_request()
    created.start(by=clerk)
    created.refresh_from_db()
    assert (created.status, created.assignee) == (Status.IN_PROGRESS, clerk)
    assert list(created.events.values_list("action", "actor")) == [
        (Action.CREATED, created.user_id),
        (Action.STARTED, clerk.pk),
    ]


def test_assign_only_to_officers_of_the_office(make_request, clerk, supervisor, outsider_officer):
    created = make_request()
    with pytest.raises(services.SoftcopyError):
        created.assign(to=outsider_officer, by=clerk)
    created.assign(to=supervisor, by=clerk)
    created.refresh_from_db()
    assert created.assignee == supervisor


def test_reject_needs_reason_and_tells_the_user(
    make_request, clerk, django_capture_on_commit_callbacks
):
    created = make_request()
    with pytest.raises(services.SoftcopyError):
        services.reject(created, reason=" ", by=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(created, reason="Publikasi ini tidak ada di perpustakaan.", by=clerk)
    created.refresh_from_db()
    assert created.status == Status.REJECTED
    assert created.rejection_reason == "Publikasi ini tidak ada di perpustakaan."
    assert mail.outbox[-1].to == ["citizen@example.com"]
    assert "Publikasi ini tidak ada di perpustakaan." in mail.outbox[-1].body


def test_internal_note_is_not_in_public_history(make_request, clerk):
    created = make_request()
    services.add_note(created, text="Cek gudang lantai 2", by=clerk)
    created.assign(to=clerk, by=clerk)
    assert [e.action for e in created.public_events()] == [Action.CREATED]
    assert created.internal_notes.get().text == "Cek gudang lantai 2"


# --- fulfilment ----------------------------------------------------------------------


def test_deliver_page_range_of_the_catalogue_pdf(
    make_request, on_request_publication, clerk, django_capture_on_commit_callbacks
):
    created = make_request(on_request_publication, pages="2-3")
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver(created, by=clerk, source=Source.PAGES, page_range="2-3, 5")
    created.refresh_from_db()
    assert created.status == Status.DELIVERED
    assert created.fulfilment.delivered_file.page_count == 3
    assert created.fulfilment.page_range == "2-3, 5"
    assert mail.outbox[-1].subject.endswith("siap") or created.number in mail.outbox[-1].subject
    assert mail.outbox[-1].attachments == []


def test_deliver_page_range_outside_the_document_saves_nothing(
    make_request, on_request_publication, clerk
):
    created = make_request(on_request_publication)
    with pytest.raises(services.SoftcopyError, match="8"):
        services.deliver(created, by=clerk, source=Source.PAGES, page_range="7-9")
    created.refresh_from_db()
    assert created.status == Status.RECEIVED
    assert not hasattr(created, "fulfilment") or created.fulfilment is None


def test_deliver_two_scanned_images_then_download_is_stamped_and_traceable(
    make_request, hardcopy_book, clerk, citizen, tmp_path, django_capture_on_commit_callbacks
):
    created = make_request(hardcopy_book, pages="12-13")
    scans = [image_upload("scan-1.png"), image_upload("scan-2.jpg", fmt="JPEG")]
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver(created, by=clerk, source=Source.UPLOAD, uploads=scans)
    created.refresh_from_db()
    assert created.fulfilment.delivered_file.page_count == 2
    record = services.start_download(created, citizen)
    assert (record.channel, record.delivered_file, record.publication) == (
        DeliveryChannel.DELIVERED,
        created.fulfilment.delivered_file,
        hardcopy_book,
    )
    assert record.delivered_by == clerk
    from delivery.services import stream_copy

    path = tmp_path / "copy.pdf"
    path.write_bytes(b"".join(stream_copy(record)))
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 2
    codes, records = trace_file(path)
    assert codes == {record.trace_code}
    assert records == [record]
    created.refresh_from_db()
    assert created.status == Status.CLOSED
    assert created.events.last().action == Action.CLOSED


def test_download_refused_for_someone_else(make_request, hardcopy_book, clerk, unverified):
    created = make_request(hardcopy_book)
    services.deliver(created, by=clerk, source=Source.UPLOAD, uploads=[image_upload("a.png")])
    with pytest.raises(services.SoftcopyError):
        services.start_download(created, unverified)
    assert DeliveryRecord.objects.count() == 0


@pytest.mark.parametrize(
    "upload",
    [
        image_upload("gif.png", fmt="GIF"),
        __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
            "fake.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
        ),
        __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
            "broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, content_type="image/png"
        ),
        __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
            "broken.pdf", b"%PDF-1.4\n garbage", content_type="application/pdf"
        ),
    ],
    ids=["gif", "not-a-pdf", "corrupt-png", "corrupt-pdf"],
)
def test_bad_uploads_are_refused_and_nothing_saved(make_request, hardcopy_book, clerk, upload):
    created = make_request(hardcopy_book)
    with pytest.raises(services.SoftcopyError):
        services.deliver(created, by=clerk, source=Source.UPLOAD, uploads=[upload])
    created.refresh_from_db()
    assert created.status == Status.RECEIVED
    assert DeliveryRecord.objects.count() == 0
    from delivery.models import DeliveredFile

    assert DeliveredFile.objects.count() == 0


def test_oversize_upload_refused(make_request, hardcopy_book, clerk, settings):
    settings.SOFTCOPY_MAX_UPLOAD_MB = 1
    created = make_request(hardcopy_book)
    big = image_upload("big.png")
    big.size = 2 * 1024 * 1024
    with pytest.raises(services.SoftcopyError, match="1 MB"):
        services.deliver(created, by=clerk, source=Source.UPLOAD, uploads=[big])


@pytest.mark.parametrize("final", [Status.REJECTED, Status.CANCELLED, Status.CLOSED])
def test_delivery_to_a_finished_request_refused(make_request, hardcopy_book, clerk, final):
    created = make_request(hardcopy_book)
    SoftcopyRequest.objects.filter(pk=created.pk).update(status=final)
    created.refresh_from_db()
    with pytest.raises(services.SoftcopyError):
        services.deliver(created, by=clerk, source=Source.UPLOAD, uploads=[image_upload("a.png")])


def test_whole_pdf_refused_for_a_hardcopy_only_book(make_request, hardcopy_book, clerk):
    created = make_request(hardcopy_book)
    with pytest.raises(services.SoftcopyError):
        services.deliver(created, by=clerk, source=Source.WHOLE)


def test_scan_job_on_a_visit_counts_pages_in_the_visit(
    kendal, citizen, clerk, hardcopy_book, django_capture_on_commit_callbacks
):
    from visits.choices import ServiceItemKind
    from visits.models import ServiceRecord

    visit = _served_visit(kendal, citizen, clerk)
    job = services.create_request(
        office=kendal,
        user=citizen,
        publication=hardcopy_book,
        pages="5-7",
        purpose="Scan on site",
        kind=Kind.SCAN,
        visit=visit,
        by=clerk,
    )
    assert mail.outbox == []  # a scan job is delivered on the spot, no "received" mail
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver(
            job,
            by=clerk,
            source=Source.UPLOAD,
            uploads=[image_upload("p5.png"), image_upload("p6.png"), image_upload("p7.png")],
        )
    record = ServiceRecord.objects.get(visit=visit)
    assert (record.kind, record.quantity, record.officer) == (
        ServiceItemKind.PAGES_SCANNED,
        3,
        clerk,
    )
    assert record.item.startswith(job.number)
    assert mail.outbox[0].to == ["citizen@example.com"]


def test_softcopy_request_on_a_visit_is_a_service_given(kendal, citizen, clerk, hardcopy_book):
    from visits.choices import ServiceItemKind
    from visits.models import ServiceRecord

    visit = _served_visit(kendal, citizen, clerk)
    created = services.create_request(
        office=kendal,
        user=citizen,
        publication=hardcopy_book,
        purpose="Riset",
        visit=visit,
        by=clerk,
    )
    assert created.channel == "on_site"
    assert created.created_by == clerk
    record = ServiceRecord.objects.get(visit=visit)
    assert (record.kind, record.quantity) == (ServiceItemKind.SOFTCOPY_REQUEST, 1)


def _served_visit(office, user, officer):
    from django.utils import timezone

    from visits.models import Visit

    now = timezone.now()
    return Visit.objects.create(
        office=office,
        visitor=user,
        day=timezone.localdate(now, office.tzinfo),
        service="library",
        target_minutes=10,
        guest_book_at=now,
        service_started_at=now,
        served_by=officer,
    )


# --- notifications kept until sent ---------------------------------------------------


def test_failed_send_keeps_the_change_and_is_retried(make_request, settings):
    settings.EMAIL_BACKEND = "tests.softcopies.failing_backend.EmailBackend"
    created = make_request()
    created.refresh_from_db()
    assert created.status == Status.RECEIVED
    notification = Notification.objects.get(request=created)
    assert (notification.state, notification.attempts) == (NotificationState.FAILED, 1)
    assert "SMTP down" in notification.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core.management import call_command

    call_command("send_pending_notifications")
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (NotificationState.SENT, 2)
    assert mail.outbox[0].to == ["citizen@example.com"]


def test_close_stale_requests(make_request, hardcopy_book, clerk):
    created = make_request(hardcopy_book)
    services.deliver(created, by=clerk, source=Source.UPLOAD, uploads=[image_upload("a.png")])
    created.refresh_from_db()
    assert (
        services.close_stale(days=14, now=created.delivered_at + datetime.timedelta(days=13)) == 0
    )
    assert (
        services.close_stale(days=14, now=created.delivered_at + datetime.timedelta(days=15)) == 1
    )
    created.refresh_from_db()
    assert created.status == Status.CLOSED
    assert created.events.last().action == Action.CLOSED
