import pytest
from django.core import mail
from django.test import Client

from complaints.choices import Channel, Severity, Status
from complaints.models import Complaint, normalise_tracking_code

URL = "/api/v1/complaints"


def test_post_creates_a_complaint_and_returns_its_tracking_code(
    client, kendal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {
                "description": "Antrean di loket perpustakaan sangat lama.",
                "service": "library",
                "contact_email": "warga@example.com",
                "language": "en",
            },
            content_type="application/json",
        )

    body = response.json()
    complaint = Complaint.objects.get()
    assert response.status_code == 201
    assert body["tracking_code"] == complaint.tracking_code
    assert normalise_tracking_code(body["tracking_code"]) == body["tracking_code"]
    assert (body["status"], body["office"], body["channel"], body["service"]) == (
        "received",
        "3324",
        "web",
        "library",
    )
    assert body["tracking_url"] == f"http://testserver/complaints/track/{complaint.tracking_code}/"
    assert (complaint.channel, complaint.contact_email, complaint.language) == (
        Channel.WEB,
        "warga@example.com",
        "en",
    )
    assert "contact_email" not in body
    assert [m.to for m in mail.outbox] == [["warga@example.com"]]


def test_post_with_only_a_description_is_anonymous(kendal):
    client = Client(enforce_csrf_checks=True)  # devices and integrations have no CSRF token

    response = client.post(
        URL, {"description": "Toilet pengunjung rusak."}, content_type="application/json"
    )

    complaint = Complaint.objects.get()
    assert response.status_code == 201
    assert (complaint.contact_email, complaint.contact_name, complaint.complainant) == (
        "",
        "",
        None,
    )


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"description": ""},
        {"description": "          pendek    "},
        {"description": "x" * 5001},
        {"description": "Cukup panjang uraiannya.", "contact_email": "bukan-email"},
        {"description": "Cukup panjang uraiannya.", "service": "bakery"},
        {"description": "Cukup panjang uraiannya.", "contact_whatsapp": "abc"},
        {"description": "Cukup panjang uraiannya.", "incident_date": "2999-01-01"},
    ],
)
def test_post_bad_input_is_422_and_creates_nothing(client, kendal, payload):
    response = client.post(URL, payload, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["detail"]
    assert Complaint.objects.count() == 0


def test_post_is_rate_limited_per_address(client, kendal, settings):
    settings.COMPLAINT_SUBMISSIONS_PER_HOUR = 1
    payload = {"description": "Antrean di loket perpustakaan sangat lama."}

    first = client.post(URL, payload, content_type="application/json")
    second = client.post(URL, payload, content_type="application/json")

    assert (first.status_code, second.status_code) == (201, 429)
    assert second.json() == {
        "detail": "Terlalu banyak permintaan. Silakan tunggu sebentar lalu coba lagi."
    }
    assert Complaint.objects.count() == 1


def test_get_shows_status_and_public_answers_only(client, make_complaint, clerk):
    complaint = make_complaint(contact_name="Rahasia Pelapor", contact_email="rahasia@example.com")
    complaint.verify(by=clerk, severity=Severity.NORMAL)
    complaint.add_note(by=clerk, body="Catatan internal")
    complaint.answer(by=clerk, body="Jawaban untuk publik")

    response = client.get(f"{URL}/{complaint.tracking_code.lower()}")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == Status.ANSWERED
    assert body["status_label"] == "Dijawab"
    assert [a["body"] for a in body["answers"]] == ["Jawaban untuk publik"]
    assert [h["status"] for h in body["history"]] == ["received", "verified", "answered"]
    text = response.content.decode()
    for secret in (
        "Catatan internal",
        "Rahasia",
        "rahasia@example.com",
        "Kurniawan",
        "clerk@example.com",
        complaint.description,
    ):
        assert secret not in text


def test_get_unknown_code_is_a_plain_404(client, kendal):
    assert client.get(f"{URL}/ABCD-EFGH-JK").status_code == 404
    response = client.get(f"{URL}/not-a-code")
    assert (response.status_code, response.json()) == (404, {"detail": "Tidak ditemukan."})


def test_get_is_rate_limited(client, kendal, settings):
    settings.COMPLAINT_LOOKUPS_PER_MINUTE = 2

    statuses = [client.get(f"{URL}/ABCD-EFGH-JK").status_code for _ in range(3)]

    assert statuses == [404, 404, 429]


def test_operations_are_in_the_openapi_schema(client, kendal):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert "post" in paths["/api/v1/complaints"]
    assert "get" in paths["/api/v1/complaints/{tracking_code}"]
