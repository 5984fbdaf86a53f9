"""Demo softcopy requests for visitor@example.com (idempotent): one received, one of a
printed-only book in progress, so the officer's queue and "Kiriman saya" show something."""

from accounts.models import User
from catalog.models import Publication

from . import services
from .models import SoftcopyRequest


def seed(office, *, stdout):
    visitor = User.objects.filter(email="visitor@example.com").first()
    officer = User.objects.filter(email="officer@example.com").first()
    if visitor is None or officer is None:
        return
    if SoftcopyRequest.objects.filter(office=office, user=visitor).exists():
        stdout.write("  Softcopy requests: already there")
        return
    printed = Publication.objects.filter(office=office, original_pdf="").order_by("pk").first()
    on_request = Publication.objects.filter(office=office, access_level="on_request").first()
    if on_request is not None:
        services.create_request(
            office=office,
            user=visitor,
            publication=on_request,
            pages="Bab 2",
            purpose="Bahan skripsi tentang hortikultura",
        )
    if printed is not None:
        started = services.create_request(
            office=office,
            user=visitor,
            publication=printed,
            pages="12-13",
            purpose="Penelitian sejarah statistik daerah",
        )
        started.start(by=officer)
    services.create_request(
        office=office,
        user=visitor,
        description="Tabel curah hujan Kabupaten Kendal 1995-2000",
        purpose="Riset iklim",
    )
    stdout.write(f"  Softcopy requests: {SoftcopyRequest.objects.filter(user=visitor).count()}")
