import datetime

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.choices import Channel, Severity, Status
from complaints.forms import form_token
from complaints.models import Complaint, ComplaintAttachment
from tests.complaints.conftest import pdf_bytes, png_bytes

CREATE = "/complaints/new/"


def _form(**overrides):
    data = {
        "description": "AC ruang baca mati sejak pagi, ruangan sangat panas.",
        "service": "library",
        "incident_date": "2026-11-20",
        "contact_name": "",
        "contact_email": "",
        "contact_whatsapp": "",
        "website": "",
        "started": form_token(),
    }
    data.update(overrides)
    return data


def test_form_page_has_honeypot_hidden_by_css_and_a_time_token(client, kendal):
    body = client.get(CREATE).content.decode()

    assert 'class="hp-field" aria-hidden="true"' in body
    assert 'name="website"' in body
    assert 'name="started"' in body
    assert "style=" not in body


def test_anonymous_complaint_gets_a_tracking_code(
    client, kendal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CREATE, _form())

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == f"/complaints/track/{complaint.tracking_code}/"
    assert (complaint.channel, complaint.status, complaint.service) == (
        Channel.WEB,
        Status.RECEIVED,
        "library",
    )
    assert complaint.office == kendal
    assert complaint.complainant is None
    assert complaint.incident_date == datetime.date(2026, 11, 20)
    assert (complaint.contact_name, complaint.contact_email) == ("", "")
    assert mail.outbox == []
    page = client.get(response.url).content.decode()
    assert complaint.tracking_code in page
    assert "Diterima" in page


def test_signed_in_complaint_is_listed_under_my_complaints(client_for, citizen, kendal):
    client = client_for(citizen)
    client.post(CREATE, _form(contact_email="citizen@example.com"))

    complaint = Complaint.objects.get()
    assert complaint.complainant == citizen
    page = client.get(reverse("complaints:complaint-mine")).content.decode()
    assert complaint.tracking_code in page


def test_my_complaints_needs_login(client):
    response = client.get(reverse("complaints:complaint-mine"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "pendek"}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"contact_email": "bukan-email"}, "contact_email"),
        ({"contact_whatsapp": "telepon saya"}, "contact_whatsapp"),
        ({"incident_date": "2999-01-01"}, "incident_date"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(client, kendal, overrides, field):
    response = client.post(CREATE, _form(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Complaint.objects.count() == 0


def test_honeypot_filled_is_refused(client, kendal):
    response = client.post(CREATE, _form(website="http://spam.example"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Pengaduan Anda tidak dapat dikirim."]
    assert Complaint.objects.count() == 0


def test_form_sent_too_quickly_is_refused_then_accepted_later(client, kendal, settings):
    settings.COMPLAINT_FORM_MIN_SECONDS = 3
    start = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        data = _form()
        too_fast = client.post(CREATE, data)
    with time_machine.travel(start + datetime.timedelta(seconds=5), tick=False):
        later = client.post(CREATE, data)

    assert too_fast.status_code == 200
    assert "terlalu cepat" in too_fast.content.decode()
    assert later.status_code == 302
    assert Complaint.objects.count() == 1


def test_forged_or_expired_time_token_is_refused(client, kendal):
    forged = client.post(CREATE, _form(started="123"))
    with time_machine.travel(datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=2)):
        old = form_token()
    expired = client.post(CREATE, _form(started=old))

    assert forged.status_code == expired.status_code == 200
    assert "terlalu lama" in expired.content.decode()
    assert Complaint.objects.count() == 0


def test_submissions_are_rate_limited_per_address(client, kendal, settings):
    settings.COMPLAINT_SUBMISSIONS_PER_HOUR = 2

    statuses = [client.post(CREATE, _form()).status_code for _ in range(3)]
    other = client.post(CREATE, _form(), REMOTE_ADDR="10.0.0.9")

    assert statuses == [302, 302, 429]
    assert other.status_code == 302
    assert Complaint.objects.count() == 3


def test_image_and_pdf_attachments_are_stored_privately(client, kendal):
    files = [
        SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png"),
        SimpleUploadedFile("foto.jpg", png_bytes(fmt="JPEG"), content_type="image/jpeg"),
        SimpleUploadedFile("foto.webp", png_bytes(fmt="WEBP"), content_type="image/webp"),
        SimpleUploadedFile("bukti.pdf", pdf_bytes(), content_type="application/pdf"),
    ]

    response = client.post(CREATE, _form(attachments=files))

    assert response.status_code == 302
    attachments = list(ComplaintAttachment.objects.order_by("id"))
    assert [(a.original_name, a.content_type) for a in attachments] == [
        ("foto.png", "image/png"),
        ("foto.jpg", "image/jpeg"),
        ("foto.webp", "image/webp"),
        ("bukti.pdf", "application/pdf"),
    ]
    assert all(a.file.name.startswith("complaints/3324/") for a in attachments)
    with pytest.raises(NotImplementedError):
        attachments[0].file.url  # noqa: B018 - private storage has no URL


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.png", b"MZ\x90\x00 not an image at all"),
        ("fake.pdf", b"%PDF-1.7 but broken"),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("truncated.png", png_bytes()[:30]),
    ],
)
def test_attachments_that_are_not_images_or_pdf_are_refused(client, kendal, name, content):
    upload = SimpleUploadedFile(name, content, content_type="image/png")

    response = client.post(CREATE, _form(attachments=[upload]))

    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == [
        f"{name} bukan gambar PNG, JPEG, atau WebP maupun dokumen PDF."
    ]
    assert Complaint.objects.count() == 0


def test_oversize_attachment_is_refused(client, kendal, settings):
    settings.COMPLAINT_MAX_ATTACHMENT_MB = 1
    big = SimpleUploadedFile("besar.pdf", pdf_bytes() + b"\n" * (1024 * 1024), "application/pdf")

    response = client.post(CREATE, _form(attachments=[big]))

    assert response.context["form"].errors["attachments"] == ["besar.pdf lebih besar dari 1 MB."]
    assert Complaint.objects.count() == 0


def test_tracking_page_shows_answers_but_not_notes_names_or_identity(client, make_complaint, clerk):
    complaint = make_complaint(contact_name="Rahasia Pelapor", contact_email="rahasia@example.com")
    complaint.verify(by=clerk, severity=Severity.NORMAL)
    complaint.add_note(by=clerk, body="Catatan internal sangat rahasia")
    complaint.answer(by=clerk, body="Terima kasih, AC sudah diperbaiki.")

    body = client.get(f"/complaints/track/{complaint.tracking_code}/").content.decode()

    assert "Terima kasih, AC sudah diperbaiki." in body
    assert "Dijawab" in body
    for secret in (
        "Catatan internal",
        "Kurniawan",
        "clerk@example.com",
        "Rahasia Pelapor",
        "rahasia@example.com",
        complaint.description,
    ):
        assert secret not in body


def test_unknown_or_malformed_tracking_code_is_404(client, kendal):
    assert client.get("/complaints/track/ABCD-EFGH-JK/").status_code == 404
    assert client.get("/complaints/track/nonsense/").status_code == 404


def test_lowercase_code_redirects_to_the_canonical_page(client, make_complaint):
    complaint = make_complaint()

    response = client.get(f"/complaints/track/{complaint.tracking_code.lower()}/")

    assert response.status_code == 302
    assert response.url == f"/complaints/track/{complaint.tracking_code}/"


def test_lookup_form_leads_to_the_complaint_or_says_unknown(client, make_complaint):
    complaint = make_complaint()
    url = reverse("complaints:complaint-lookup")

    found = client.get(url, {"code": complaint.tracking_code.replace("-", " ")})
    missing = client.get(url, {"code": "ABCD-EFGH-JK"})

    assert found.status_code == 302
    assert found.url == f"/complaints/track/{complaint.tracking_code}/"
    assert missing.status_code == 200
    assert missing.context["form"].errors["code"] == [
        "Tidak ada pengaduan dengan kode pelacakan ini. Periksa kembali kodenya."
    ]


def test_lookups_are_rate_limited(client, make_complaint, settings):
    settings.COMPLAINT_LOOKUPS_PER_MINUTE = 3
    complaint = make_complaint()
    url = f"/complaints/track/{complaint.tracking_code}/"

    statuses = [client.get(url).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_complainant_confirms_and_closes_an_answered_complaint(
    client, make_complaint, clerk, django_capture_on_commit_callbacks
):
    complaint = make_complaint(contact_email="warga@example.com")
    complaint.verify(by=clerk, severity=Severity.NORMAL)
    complaint.answer(by=clerk, body="Sudah diperbaiki.")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/complaints/track/{complaint.tracking_code}/confirm/")

    complaint.refresh_from_db()
    assert response.status_code == 302
    assert complaint.status == Status.CLOSED
    assert complaint.confirmed_by_complainant is True
    assert complaint.events.last().actor is None
    assert [m.to for m in mail.outbox] == [["warga@example.com"]]


def test_confirming_an_unanswered_complaint_changes_nothing(client, make_complaint):
    complaint = make_complaint()

    response = client.post(f"/complaints/track/{complaint.tracking_code}/confirm/", follow=True)

    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert "Hanya pengaduan yang sudah dijawab" in response.content.decode()


def test_contact_page_links_to_the_complaint_form_and_tracking(client, kendal):
    body = client.get(reverse("offices:contact")).content.decode()

    assert 'href="/complaints/new/"' in body
    assert 'href="/complaints/track/"' in body


@pytest.mark.parametrize("count", [1, 3])
def test_my_complaints_query_count_does_not_grow(
    client_for, citizen, make_complaint, count, django_assert_num_queries
):
    for _ in range(count):
        make_complaint(complainant=citizen)
    client = client_for(citizen)

    # session, user, count, page of complaints with their offices; the layout's site office
    # and back-office link
    with django_assert_num_queries(6):
        response = client.get(reverse("complaints:complaint-mine"))

    assert len(response.context["page"].object_list) == count
