"""Delivered scans get a text layer (catalog.ocr), judged by pdftotext and the trace."""

import io
import subprocess

import pypdfium2 as pdfium
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.samples import make_scanned_pdf
from delivery.services import stream_copy, trace_file
from softcopies import services
from softcopies.choices import Action, Source

pytestmark = pytest.mark.django_db


def scanned_png(name, text):
    """A scanner's PNG of a page showing ``text`` (noise, skew), as an officer uploads it."""
    document = pdfium.PdfDocument(make_scanned_pdf([text], title="Kendal Dalam Angka 1998"))
    page = document[0]
    image = page.render(scale=200 / 72).to_pil()
    page.close()
    document.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(200, 200))
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_delivered_scan_gets_a_text_layer_and_keeps_stamp_and_trace(
    make_request, hardcopy_book, clerk, citizen, tmp_path, django_capture_on_commit_callbacks
):
    created = make_request(hardcopy_book, pages="12")
    scan = scanned_png("scan-12.png", "Tabel 4.2. Curah hujan Kecamatan Weleri menurut bulan.")
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver(created, by=clerk, source=Source.UPLOAD, uploads=[scan])
    created.refresh_from_db()

    delivered = created.fulfilment.delivered_file
    assert delivered.file.name.endswith("-ocr.pdf")
    assert created.events.filter(action=Action.TEXT_RECOGNISED).count() == 1
    assert not default_storage.exists(f"softcopies/3324/scans/{created.number}.pdf")
    record = services.start_download(created, citizen)
    path = tmp_path / "copy.pdf"
    path.write_bytes(b"".join(stream_copy(record)))
    assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Curah hujan" in text and "Weleri" in text
    assert f"Kode jejak {record.trace_code}" in text
    codes, records = trace_file(path)
    assert codes == {record.trace_code} and records == [record]
