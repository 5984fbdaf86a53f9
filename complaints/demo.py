"""Demo complaints for ``manage.py seed_demo`` (only when the office has none yet)."""

import datetime

from django.utils import timezone

from accounts.models import User
from offices.choices import Service

from . import services
from .choices import Category, Channel, IkmElement, LaporClassification, Severity
from .models import Complaint, ComplaintPolicy


def seed(office, *, stdout):
    ComplaintPolicy.for_office(office)
    if Complaint.objects.filter(office=office).exists():
        return
    officer = User.objects.filter(email="officer@example.com").first()
    now = timezone.now()
    services.submit_complaint(
        office=office,
        channel=Channel.WEB,
        service=Service.LIBRARY,
        description="Ruang baca terlalu panas siang hari, AC tidak menyala.",
        contact_email="warga@example.com",
    )
    lapor = services.submit_complaint(
        office=office,
        channel=Channel.LAPOR,
        by=officer,
        lapor_number="LPR-2026-000123",
        lapor_classification=LaporClassification.COMPLAINT,
        service=Service.LIBRARY,
        description="Permintaan softcopy publikasi belum dikirim setelah satu minggu.",
        received_at=now - datetime.timedelta(days=10),
    )
    if officer is not None:
        lapor.verify(
            by=officer,
            severity=Severity.LIGHT,
            category=Category.DATA,
            ikm_element=IkmElement.U3,
        )
        lapor.add_note(by=officer, body="Cek log pengiriman softcopy.")
    services.submit_complaint(
        office=office,
        channel=Channel.BOX,
        by=officer,
        service=Service.CONSULTATION,
        description="Antrean konsultasi lama, petugas hanya satu orang.",
        received_at=now - datetime.timedelta(days=2),
    )
    stdout.write("Complaints: 3 demo complaints.")
