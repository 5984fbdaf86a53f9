import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from complaints import services
from complaints.choices import Channel


@pytest.fixture(autouse=True)
def _no_form_delay(settings):
    # The public form's time trap is tested on its own (test_public.py).
    settings.COMPLAINT_FORM_MIN_SECONDS = 0


@pytest.fixture
def make_complaint(kendal):
    def _make(**kwargs):
        kwargs.setdefault("office", kendal)
        kwargs.setdefault("channel", Channel.WEB)
        kwargs.setdefault("description", "Petugas loket tidak ada di tempat saat jam layanan.")
        return services.submit_complaint(**kwargs)

    return _make


def png_bytes(size=(4, 4), fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def png_upload():
    return SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png")


@pytest.fixture
def pdf_upload():
    return SimpleUploadedFile("bukti.pdf", pdf_bytes(), content_type="application/pdf")
