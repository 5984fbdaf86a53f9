"""Upload checks by content (catalog.pdf.inspect_pdf): what is accepted with a note for the
officer, and what is refused with a clear message."""

import io
import zlib

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import Publication
from catalog.pdf import PdfRejected, inspect_pdf
from catalog.samples import make_pdf
from tests.delivery.corpus import raw_pdf

from .conftest import pdf_upload
from .test_office_views import create_url, form_data


def _variant(change, **save):
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(make_pdf(["Jumlah penduduk", "Luas panen"]))) as pdf:
        change(pdf)
        pdf.save(out, **save)
    out.seek(0)
    return out


def _rotate(angle):
    def change(pdf):
        pdf.pages[1].obj.Rotate = angle

    return change


def test_owner_password_pdf_is_accepted_with_a_note():
    upload = _variant(
        lambda pdf: None,
        encryption=pikepdf.Encryption(
            owner="pemilik", user="", allow=pikepdf.Permissions(extract=False)
        ),
    )

    info = inspect_pdf(upload)

    assert info.page_count == 2
    assert len(info.notes) == 1 and "kata sandi pemilik" in info.notes[0]


def test_pdf_that_needs_a_password_to_open_is_refused():
    upload = _variant(lambda pdf: None, encryption=pikepdf.Encryption(owner="o", user="u"))

    with pytest.raises(PdfRejected, match="memerlukan kata sandi untuk dibuka"):
        inspect_pdf(upload)


@pytest.mark.parametrize("angle", [90, -90, 180, 270, 720])
def test_rotations_that_are_multiples_of_90_need_no_note(angle):
    assert inspect_pdf(_variant(_rotate(angle))).notes == []


@pytest.mark.parametrize("angle", [45, 91, 12.5])
def test_invalid_rotation_is_accepted_with_a_note(angle):
    info = inspect_pdf(_variant(_rotate(angle)))

    assert info.notes == [
        "Halaman 2 memiliki rotasi yang tidak sah; salinan pembaca menampilkannya tanpa rotasi."
    ]


@pytest.mark.parametrize("box", [[0, 0, 0, 0], [0, 0, 595, 0], [10, 10, 10, 842]])
def test_page_without_size_is_refused(box):
    def change(pdf):
        pdf.pages[1].obj.MediaBox = pikepdf.Array(box)

    with pytest.raises(PdfRejected, match="Halaman 2 tidak memiliki ukuran"):
        inspect_pdf(_variant(change))


def test_broken_xref_is_repaired_with_a_note():
    data = make_pdf(["Jumlah penduduk"])
    cut = data.rfind(b"startxref")
    info = inspect_pdf(io.BytesIO(data[:cut] + b"startxref\n999999\n%%EOF\n"))

    assert info.page_count == 1
    assert "telah diperbaiki" in info.notes[0] and "xref" in info.notes[0]


def _one_page(content, filters=b""):
    stream = b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(content), filters, content)
    return io.BytesIO(
        raw_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << >> >>",
                stream,
            ]
        )
    )


def test_unreadable_page_content_is_refused():
    upload = _one_page(b"this is not hexadecimal at all ~~", b"/Filter /ASCII85Decode ")

    with pytest.raises(PdfRejected, match="Isi halaman 1 rusak"):
        inspect_pdf(upload)


def test_partly_damaged_flate_content_is_kept_with_a_note():
    good = zlib.compress(b"0 0 1 rg 50 50 200 100 re f " * 200)
    upload = _one_page(good[: len(good) // 2] + b"\x00garbage" * 20, b"/Filter /FlateDecode ")

    info = inspect_pdf(upload)

    assert info.notes == [
        "Isi halaman 1 sebagian rusak; bagian yang masih terbaca dipertahankan (penampil PDF "
        "juga menampilkan hal yang sama)."
    ]


def test_officer_sees_the_notes_after_uploading(client_for, clerk, kendal):
    encrypted = _variant(
        lambda pdf: None, encryption=pikepdf.Encryption(owner="pemilik", user="")
    ).getvalue()
    response = client_for(clerk).post(
        create_url(),
        {**form_data(), "pdf": SimpleUploadedFile("terbatas.pdf", encrypted, "application/pdf")},
        follow=True,
    )

    assert response.status_code == 200
    publication = Publication.objects.get()
    shown = [str(message) for message in response.context["messages"]]
    assert shown[0].startswith("PDF ini membatasi") and shown[1] == "Publikasi telah disimpan."
    upload_event = publication.events.get(action="file_uploaded")
    assert "membatasi" in upload_event.note


def test_pdf_needing_a_password_is_refused_in_the_form(client_for, clerk, kendal):
    response = client_for(clerk).post(
        create_url(), {**form_data(), "pdf": pdf_upload(["rahasia"], encrypt_password="x")}
    )

    assert "memerlukan kata sandi" in response.content.decode()
    assert Publication.objects.count() == 0


def test_detail_page_of_an_unknown_publication_is_404(client_for, clerk, kendal):
    url = reverse("catalog:office-publication-detail", args=["3324", 999])
    assert client_for(clerk).get(url).status_code == 404
