import datetime
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent, User
from complaints.services import submit_complaint
from core.fields import EncryptedMixin
from history.models import AuditEvent
from privacy import services
from privacy.models import Breach, DataRequest, PrivacySettings
from tests.accounts.test_signup import VALID

ROOT = Path(__file__).resolve().parents[2]


def _find_everywhere(needle):
    """Every (model, field) whose stored text contains ``needle`` (encrypted fields excluded)."""
    hits = []
    text_fields = (models.CharField, models.TextField, models.JSONField)
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, text_fields) or isinstance(field, EncryptedMixin):
                continue
            if model._base_manager.filter(**{f"{field.attname}__icontains": needle}).exists():
                hits.append(f"{model._meta.label}.{field.name}")
    return hits


def test_notice_names_fields_periods_and_the_officer(client, kendal):
    PrivacySettings.objects.create(
        office=kendal, dpo_name="Dewi PPID", dpo_email="ppid@example.go.id"
    )

    body = client.get(reverse("privacy:notice")).content.decode()

    for expected in [
        "Dewi PPID",
        "ppid@example.go.id",
        "730 hari",
        "365 hari",
        "Nomor kartu identitas",
        "3 × 24 jam",
    ]:
        assert expected.lower() in body.lower(), expected


def test_signup_records_consent_and_version(client, kendal, django_capture_on_commit_callbacks):
    client.post(reverse("account_signup"), VALID)

    consent = Consent.objects.get(user__email="peneliti@example.com")
    assert (consent.purpose, consent.notice_version, consent.guardian_consent) == (
        "account",
        "2026-11",
        False,
    )


def test_signup_without_consent_creates_nothing(client, kendal):
    response = client.post(reverse("account_signup"), {**VALID, "consent": ""})

    assert "consent" in response.context["form"].errors
    assert User.objects.count() == 0


def test_minor_needs_guardian_consent(client, kendal):
    minor = {**VALID, "age_group": "under_18", "occupation": "student"}

    refused = client.post(reverse("account_signup"), minor)
    accepted = client.post(reverse("account_signup"), {**minor, "guardian_consent": "on"})

    assert "guardian_consent" in refused.context["form"].errors
    assert accepted.status_code == 302
    user = User.objects.get()
    assert user.is_minor is True
    assert Consent.objects.get(user=user).guardian_consent is True


def test_no_model_or_form_holds_identity_numbers_or_photos():
    forbidden = re.compile(
        r"(^|_)(nik|ktp_number|id_number|identity_number|card_number|nomor_ktp|photo|foto|selfie|passport_number)($|_)"
    )
    offenders = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, (models.ImageField,)) or forbidden.search(field.name):
                offenders.append(f"{model._meta.label}.{field.name}")
    assert offenders == []
    forms_text = "\n".join(p.read_text() for p in ROOT.glob("*/forms.py"))
    assert not re.search(r"ImageField|\bnik\b|card_number|photo", forms_text)


def test_export_contains_profile_consents_and_downloads(client_for, citizen):
    Consent.objects.create(user=citizen, purpose="account")

    response = client_for(citizen).get(reverse("privacy:my-data-json"))

    data = response.json()
    assert response["Content-Disposition"] == 'attachment; filename="data-saya.json"'
    assert data["profile"]["email"] == "citizen@example.com"
    assert data["consents"][0]["notice_version"] == "2026-11"
    assert data["reads_and_downloads"] == []


def test_deletion_link_erases_the_person_everywhere_and_cannot_be_reused(
    client_for, citizen, kendal, django_capture_on_commit_callbacks
):
    from complaints.models import Complaint

    submit_complaint(
        office=kendal,
        channel="web",
        complainant=citizen,
        description="Ruang baca panas sekali di siang hari.",
        contact_name="Citra Warga",
        contact_email="citizen@example.com",
    )
    client = client_for(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:deletion-request"))
    link = re.search(r"http://testserver(/account/privacy/delete/\S+/)", mail.outbox[0].body)[1]

    confirm_page = client.get(link)
    done = client.post(link)
    again = client.get(link)

    assert confirm_page.status_code == 200
    assert "Akun dihapus" in done.content.decode()
    assert again.status_code == 400
    citizen.refresh_from_db()
    assert citizen.is_active is False and citizen.email == f"deleted-{citizen.pk}@pseudonym.invalid"
    mail.outbox.clear()
    assert _find_everywhere("citizen@example.com") == []
    assert _find_everywhere("Citra Warga") == []
    complaint = Complaint.objects.get()
    assert (complaint.contact_name, complaint.contact_email) == ("", "")
    assert AuditEvent.objects.filter(action="deletion", target=f"user {citizen.pk}").count() == 1


def test_audit_log_is_append_only(kendal, clerk):
    event = AuditEvent.objects.create(actor=clerk, office=kendal, action="export", target="x")

    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(target="y")
    assert AuditEvent.objects.get().target == "x"


@pytest.mark.django_db
def test_retention_pseudonymises_expired_data_and_keeps_counts(
    kendal, citizen, django_assert_num_queries
):
    from complaints.models import Complaint

    old_complaint = submit_complaint(
        office=kendal,
        channel="web",
        description="Lama sekali, ruang baca tutup.",
        contact_name="Pelapor Lama",
        contact_email="lama@example.com",
    )
    fresh = submit_complaint(
        office=kendal,
        channel="web",
        description="Baru saja, antrean lama.",
        contact_name="Pelapor Baru",
    )
    Complaint.objects.filter(pk=old_complaint.pk).update(closed_at=timezone.now())
    Complaint.objects.filter(pk=fresh.pk).update(
        closed_at=timezone.now() + datetime.timedelta(days=300)
    )
    later = timezone.now() + datetime.timedelta(days=400)

    with time_machine.travel(later):
        preview = services.apply_retention(dry_run=True)
        old_complaint.refresh_from_db()
        assert old_complaint.contact_name == "Pelapor Lama"
        result = services.apply_retention()

    assert (
        preview
        == result
        == {"download_logs": 0, "complaint_identities": 1, "guest_book_entries": 0}
    )
    old_complaint.refresh_from_db()
    fresh.refresh_from_db()
    assert (old_complaint.contact_name, old_complaint.contact_email) == ("", "")
    assert old_complaint.description == "Lama sekali, ruang baca tutup."
    assert fresh.contact_name == "Pelapor Baru"
    assert Complaint.objects.count() == 2
    assert AuditEvent.objects.filter(action="retention").count() == 1


def test_data_request_clock_and_closing(client_for, clerk, kendal):
    client = client_for(clerk)
    client.post(
        reverse("privacy:office-requests", args=["3324"]),
        {
            "requester": "Pak Budi, 0812 1234 5678",
            "kind": "deletion",
            "description": "Hapus buku tamu",
            "received_at": "2026-11-20T09:00",
        },
    )
    item = DataRequest.objects.get()

    assert item.due_at - item.received_at == datetime.timedelta(hours=72)
    assert item.is_overdue is True
    client.post(
        reverse("privacy:office-request-close", args=["3324", item.pk]),
        {"status": "done", "outcome": "Data dihapus."},
    )
    item.refresh_from_db()
    assert (item.status, item.closed_by) == ("done", clerk)
    again = client.post(
        reverse("privacy:office-request-close", args=["3324", item.pk]),
        {"status": "refused", "outcome": "x"},
        follow=True,
    )
    assert "sudah ditutup" in again.content.decode()


def test_breach_register_starts_the_72_hour_clock(client_for, supervisor, kendal):
    client_for(supervisor).post(
        reverse("privacy:office-breaches", args=["3324"]),
        {
            "found_at": "2026-11-23T10:00",
            "description": "Laptop hilang",
            "data_concerned": "buku tamu",
            "people_affected": 40,
            "actions": "Kata sandi diganti",
        },
    )

    breach = Breach.objects.get()
    assert breach.notify_by - breach.found_at == datetime.timedelta(hours=72)
    assert AuditEvent.objects.get().action == "breach"


@pytest.mark.parametrize("who", ["anonymous", "citizen", "clerk", "outsider_officer"])
@pytest.mark.parametrize("name", ["office-audit", "office-settings", "office-breaches"])
def test_supervisor_pages_refuse_others(request, client_for, kendal, who, name):
    user = None if who == "anonymous" else request.getfixturevalue(who)

    response = client_for(user).get(reverse(f"privacy:{name}", args=["3324"]))

    assert response.status_code == (302 if user is None else 403)


@pytest.mark.parametrize("who", ["anonymous", "citizen", "outsider_officer"])
def test_request_register_refuses_non_officers(request, client_for, kendal, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)

    response = client_for(user).get(reverse("privacy:office-requests", args=["3324"]))

    assert response.status_code == (302 if user is None else 403)


def test_settings_change_is_audited(client_for, supervisor, kendal):
    client_for(supervisor).post(
        reverse("privacy:office-settings", args=["3324"]),
        {
            "dpo_name": "PPID Kendal",
            "dpo_email": "ppid@example.go.id",
            "dpo_phone": "",
            "guest_book_days": 365,
            "download_log_days": 180,
            "complaint_identity_days": 365,
        },
    )

    assert PrivacySettings.objects.get(office=kendal).download_log_days == 180
    event = AuditEvent.objects.get()
    assert (event.action, event.actor) == ("settings", supervisor)
    assert "download_log_days" in event.detail


def test_key_rotation_keeps_old_data_readable(settings, make_key=None):
    from cryptography.fernet import Fernet

    from core import fields

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    token = fields.encrypt("0812 3456 7890")
    settings.FIELD_ENCRYPTION_KEYS = [new, old]

    assert fields.decrypt(token) == "0812 3456 7890"
    rotated = fields.rotate(token)
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert fields.decrypt(rotated) == "0812 3456 7890"


def test_missing_or_bad_encryption_key_stops_start_up():
    base = {"PATH": "/usr/bin:/bin", "DEBUG": "false", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "x"}
    for keys, message in [
        (None, "FIELD_ENCRYPTION_KEYS must be set"),
        ("not-a-key", "FIELD_ENCRYPTION_KEYS must hold Fernet keys"),
    ]:
        env = dict(base)
        if keys:
            env["FIELD_ENCRYPTION_KEYS"] = keys
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode != 0
        assert message in result.stderr


def test_rotate_command_rewrites_with_the_newest_key(settings, kendal):
    from cryptography.fernet import Fernet
    from django.core.management import call_command
    from django.db import connection

    from complaints.models import Complaint

    complaint = submit_complaint(
        office=kendal,
        channel="web",
        description="Loker rusak dan tidak bisa dikunci.",
        contact_email="pelapor@example.com",
    )
    old = list(settings.FIELD_ENCRYPTION_KEYS)
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, *old]

    call_command("rotate_field_keys", verbosity=0)

    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert Complaint.objects.get(pk=complaint.pk).contact_email == "pelapor@example.com"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_email FROM complaints_complaint WHERE id = %s", [complaint.pk]
        )
        assert cursor.fetchone()[0].startswith("enc1:")
