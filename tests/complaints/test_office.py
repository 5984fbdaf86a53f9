import csv
import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from complaints.choices import Channel, EventKind, LaporClassification, Severity, Status
from complaints.models import Complaint, ComplaintPolicy
from tests.complaints.conftest import png_bytes

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def _url(name, complaint=None, *extra, office="3324"):
    args = [office] + ([complaint.tracking_code] if complaint is not None else []) + list(extra)
    return reverse(f"complaints:{name}", args=args)


@pytest.mark.parametrize("count", [1, 3])
def test_register_list_query_count_does_not_grow(
    client_for, clerk, make_complaint, count, django_assert_num_queries
):
    complaints = [make_complaint() for _ in range(count)]
    complaints[0].verify(by=clerk, severity=Severity.LIGHT).assign(by=clerk, assignee=clerk)
    client = client_for(clerk)

    # session, user, office, memberships, leave days, summary, count, page of complaints
    with django_assert_num_queries(8):
        response = client.get(_url("complaint-list"))

    assert [row["complaint"].tracking_code for row in response.context["rows"]] == [
        c.tracking_code for c in reversed(complaints)
    ]
    assert "Kurniawan Petugas" in response.content.decode()


def test_register_filters_and_highlights_overdue(client_for, supervisor, make_complaint):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=JAKARTA), tick=False):
        late = make_complaint(channel=Channel.BOX)  # due Monday 9 November
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, 0, tzinfo=JAKARTA), tick=False):
        fresh = make_complaint(channel=Channel.EMAIL)
        client = client_for(supervisor)
        overdue = client.get(_url("complaint-list"), {"due": "overdue"})
        by_channel = client.get(_url("complaint-list"), {"channel": "email"})
        everything = client.get(_url("complaint-list"))

    assert [r["complaint"] for r in overdue.context["rows"]] == [late]
    assert [r["complaint"] for r in by_channel.context["rows"]] == [fresh]
    assert [(r["complaint"], r["overdue"]) for r in everything.context["rows"]] == [
        (fresh, False),
        (late, True),
    ]
    assert 'class="overdue"' in everything.content.decode()
    assert everything.context["summary"] == {"overdue": 1, "due_soon": 0}


def test_register_filters_by_due_date(client_for, clerk, make_complaint):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=JAKARTA), tick=False):
        early = make_complaint()  # due 9 November
        make_complaint(severity=Severity.INVESTIGATION)  # due 20 November

    response = client_for(clerk).get(_url("complaint-list"), {"due_by": "2026-11-10"})

    assert [r["complaint"] for r in response.context["rows"]] == [early]


def test_admin_shows_complaints_read_only_without_identity(client_for, admin, make_complaint):
    complaint = make_complaint(contact_name="Rahasia Pelapor", contact_email="rahasia@example.com")

    response = client_for(admin).get(
        reverse("admin:complaints_complaint_change", args=[complaint.pk])
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert complaint.tracking_code in body
    assert "Rahasia Pelapor" not in body
    assert "rahasia@example.com" not in body
    assert 'name="_save"' not in body


def test_officer_registers_a_lapor_complaint_due_date_skips_weekend_and_holiday(
    client_for, clerk, kendal
):
    response = client_for(clerk).post(
        _url("complaint-register"),
        {
            "channel": Channel.LAPOR,
            "received_at": "2026-08-13T10:00",
            "lapor_number": "LPR-2026-08-0042",
            "lapor_classification": LaporClassification.COMPLAINT,
            "description": "Pelapor mengeluhkan publikasi tidak bisa diunduh.",
            "service": "library",
            "severity": Severity.LIGHT,
            "language": "id",
        },
    )

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == _url("complaint-detail", complaint)
    assert complaint.channel == Channel.LAPOR
    assert complaint.lapor_number == "LPR-2026-08-0042"
    assert complaint.created_by == clerk
    assert complaint.received_at == datetime.datetime(2026, 8, 13, 10, 0, tzinfo=JAKARTA)
    # Thursday 13 Aug + 2 working days: Friday, then Saturday, Sunday and 17 August skipped.
    assert complaint.due_date == datetime.date(2026, 8, 18)
    assert complaint.events.get().actor == clerk


def test_lapor_complaint_needs_its_number_and_classification(client_for, clerk, kendal):
    response = client_for(clerk).post(
        _url("complaint-register"),
        {
            "channel": Channel.LAPOR,
            "received_at": "2026-08-13T10:00",
            "description": "Pelapor mengeluhkan publikasi tidak bisa diunduh.",
            "severity": Severity.NORMAL,
            "language": "id",
        },
    )

    assert set(response.context["form"].errors) == {"lapor_number", "lapor_classification"}
    assert Complaint.objects.count() == 0


def test_duplicate_lapor_number_is_a_form_error(client_for, clerk, make_complaint):
    make_complaint(
        channel=Channel.LAPOR,
        lapor_number="LPR-7",
        by=clerk,
        lapor_classification=LaporClassification.ASPIRATION,
    )

    response = client_for(clerk).post(
        _url("complaint-register"),
        {
            "channel": Channel.LAPOR,
            "received_at": "2026-08-13T10:00",
            "lapor_number": "LPR-7",
            "lapor_classification": LaporClassification.COMPLAINT,
            "description": "Laporan yang sama dimasukkan dua kali.",
            "severity": Severity.NORMAL,
            "language": "id",
        },
    )

    assert response.context["form"].non_field_errors() == [
        "Pengaduan dengan nomor LAPOR! ini sudah tercatat."
    ]
    assert Complaint.objects.count() == 1


def test_future_received_date_is_refused(client_for, clerk, kendal):
    response = client_for(clerk).post(
        _url("complaint-register"),
        {
            "channel": Channel.BOX,
            "received_at": "2999-01-01T10:00",
            "description": "Isi kotak saran hari ini.",
            "severity": Severity.NORMAL,
            "language": "id",
        },
    )

    assert list(response.context["form"].errors) == ["received_at"]
    assert Complaint.objects.count() == 0


def test_detail_masks_the_identity_until_revealed_and_logs_the_reveal(
    client_for, clerk, make_complaint
):
    from history.models import AuditEvent

    complaint = make_complaint(contact_name="Rahasia Pelapor", contact_email="rahasia@example.com")
    client = client_for(clerk)

    masked = client.get(_url("complaint-detail", complaint)).content.decode()
    revealed = client.post(_url("complaint-reveal", complaint)).content.decode()

    assert "Rahasia Pelapor" not in masked and "rahasia@example.com" not in masked
    assert "R•••" in masked and "r•••@example.com" in masked
    assert complaint.description in masked
    assert "Rahasia Pelapor" in revealed and "rahasia@example.com" in revealed
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.target) == (
        clerk,
        "reveal",
        f"complaint {complaint.tracking_code}",
    )


def test_contact_details_are_encrypted_in_the_database(make_complaint):
    from django.db import connection

    complaint = make_complaint(contact_name="Rahasia Pelapor", contact_email="rahasia@example.com")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_name, contact_email FROM complaints_complaint WHERE id = %s",
            [complaint.pk],
        )
        name, email = cursor.fetchone()

    assert name.startswith("enc1:") and "Rahasia" not in name
    assert email.startswith("enc1:") and "rahasia" not in email
    complaint.refresh_from_db()
    assert complaint.contact_email == "rahasia@example.com"


def test_officer_verifies_and_answers_through_the_page(client_for, clerk, make_complaint):
    complaint = make_complaint()
    client = client_for(clerk)

    client.post(
        _url("complaint-action", complaint, "verify"),
        {"severity": Severity.LIGHT, "category": "facilities", "ikm_element": "U9"},
    )
    client.post(_url("complaint-action", complaint, "answer"), {"body": "Sudah diperbaiki."})

    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED
    assert (complaint.severity, complaint.category, complaint.ikm_element) == (
        Severity.LIGHT,
        "facilities",
        "U9",
    )
    assert complaint.events.filter(kind=EventKind.STATUS, actor=clerk).count() == 2


def test_invalid_transition_shows_a_message_and_changes_nothing(client_for, clerk, make_complaint):
    complaint = make_complaint()

    response = client_for(clerk).post(_url("complaint-action", complaint, "close"), follow=True)

    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert (
        "Hanya pengaduan yang sudah dijawab yang dapat diselesaikan." in response.content.decode()
    )


def test_empty_answer_is_refused(client_for, clerk, make_complaint):
    complaint = make_complaint().verify(by=clerk, severity=Severity.NORMAL)

    client_for(clerk).post(_url("complaint-action", complaint, "answer"), {"body": ""})

    complaint.refresh_from_db()
    assert complaint.status == Status.VERIFIED
    assert complaint.messages.count() == 0


def test_actions_need_post_and_known_names(client_for, clerk, make_complaint):
    complaint = make_complaint()
    client = client_for(clerk)

    assert client.get(_url("complaint-action", complaint, "verify")).status_code == 405
    assert client.post(_url("complaint-action", complaint, "explode")).status_code == 404


def test_attachment_is_served_to_officers_only(client_for, clerk, outsider_officer, make_complaint):
    upload = SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png")
    complaint = make_complaint(attachments=[(upload, "image/png")])
    attachment = complaint.attachments.get()
    url = _url("attachment-download", complaint, attachment.pk)

    response = client_for(clerk).get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="foto.png"'
    assert b"".join(response.streaming_content) == png_bytes()
    assert client_for(outsider_officer).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302


def _export_complaints(make_complaint, clerk):
    complaint = make_complaint(
        contact_name="Rahasia Pelapor",
        contact_email="rahasia@example.com",
        contact_whatsapp="0812 0000 1111",
        description="Saya, Rahasia Pelapor, kecewa dengan layanan.",
    )
    make_complaint(
        channel=Channel.LAPOR,
        by=clerk,
        lapor_number="=HYPERLINK(1)",
        lapor_classification=LaporClassification.COMPLAINT,
    )
    return complaint


def test_csv_export_has_no_identity(client_for, clerk, make_complaint):
    complaint = _export_complaints(make_complaint, clerk)

    response = client_for(clerk).get(_url("complaint-export", None, "csv"))

    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0][:3] == ["Kode pelacakan", "Saluran", "Nomor LAPOR!"]
    assert len(rows) == 3
    assert rows[2][0] == complaint.tracking_code
    assert rows[1][2] == "'=HYPERLINK(1)"
    for secret in ("Rahasia", "rahasia@example.com", "0812", "kecewa"):
        assert secret not in text


def test_xlsx_export_has_no_identity(client_for, clerk, make_complaint):
    complaint = _export_complaints(make_complaint, clerk)

    response = client_for(clerk).get(_url("complaint-export", None, "xlsx"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Kode pelacakan"
    assert [row[0] for row in values[1:]] == [
        Complaint.objects.get(channel=Channel.LAPOR).tracking_code,
        complaint.tracking_code,
    ]
    flat = " ".join(str(v) for row in values for v in row if v is not None)
    for secret in ("Rahasia", "rahasia@example.com", "0812", "kecewa"):
        assert secret not in flat
    assert values[1][2] == "'=HYPERLINK(1)"


def test_export_respects_the_filters(client_for, clerk, make_complaint):
    make_complaint(channel=Channel.BOX)
    email = make_complaint(channel=Channel.EMAIL)

    response = client_for(clerk).get(_url("complaint-export", None, "csv"), {"channel": "email"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [email.tracking_code]


def test_supervisor_edits_the_settlement_targets(client_for, supervisor, kendal):
    response = client_for(supervisor).post(
        _url("policy-edit"),
        {
            "light_days": 3,
            "normal_days": 7,
            "investigation_days": 14,
            "audit_days": 60,
            "reminder_days": 2,
            "auto_close_days": 10,
        },
    )

    policy = ComplaintPolicy.objects.get(office=kendal)
    assert response.status_code == 302
    assert (policy.light_days, policy.normal_days, policy.reminder_days) == (3, 7, 2)


def test_settlement_target_over_60_days_is_refused(client_for, supervisor, kendal):
    response = client_for(supervisor).post(
        _url("policy-edit"),
        {
            "light_days": 2,
            "normal_days": 5,
            "investigation_days": 14,
            "audit_days": 61,
            "reminder_days": 1,
            "auto_close_days": 10,
        },
    )

    assert list(response.context["form"].errors) == ["audit_days"]
    assert ComplaintPolicy.for_office(kendal).audit_days == 60


OFFICER_PAGES = [
    ("complaint-list", False, ()),
    ("complaint-register", False, ()),
    ("complaint-export", False, ("csv",)),
    ("complaint-detail", True, ()),
    ("complaint-action", True, ("verify",)),
]


@pytest.mark.parametrize("who", ["anonymous", "citizen", "outsider_officer"])
@pytest.mark.parametrize(("name", "with_complaint", "extra"), OFFICER_PAGES)
def test_officer_pages_refuse_others(
    request, client_for, make_complaint, who, name, with_complaint, extra
):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    complaint = make_complaint()
    url = _url(name, complaint if with_complaint else None, *extra)
    client = client_for(user)

    get = client.get(url)
    post = client.post(url, {"severity": "light", "description": "x" * 20, "channel": "box"})

    complaint.refresh_from_db()
    expected = 302 if user is None else 403
    assert (get.status_code, post.status_code) == (expected, expected)
    assert complaint.status == Status.RECEIVED
    assert Complaint.objects.count() == 1
    assert "rahasia" not in get.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "citizen", "clerk", "outsider_officer"])
def test_policy_page_refuses_non_supervisors(request, client_for, kendal, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)

    response = client_for(user).post(_url("policy-edit"), {"light_days": 1})

    assert response.status_code == (302 if user is None else 403)
    assert not ComplaintPolicy.objects.filter(office=kendal, light_days=1).exists()


def test_export_is_recorded_in_the_audit_log(client_for, supervisor, make_complaint):
    from history.models import AuditEvent

    make_complaint()

    client_for(supervisor).get(_url("complaint-export", None, "csv") + "?status=received")

    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.target) == (
        supervisor,
        "export",
        "complaint register (csv)",
    )
    assert event.detail == "status=received"
