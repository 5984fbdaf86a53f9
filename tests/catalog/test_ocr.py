"""Text recognition (OCR) of scanned PDFs, judged by real tools: OCRmyPDF + Tesseract do the
work, pdftotext reads the copies, the search finds the words (both databases)."""

import datetime
import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from catalog import ocr, ocr_progress
from catalog.choices import EventAction, RecognitionState, Visibility
from catalog.models import Publication, PublicationEvent, TextRecognition
from catalog.samples import make_pdf, make_scanned_pdf
from catalog.search import index_pages, index_publication, search
from catalog.services import save_publication
from delivery import watermark
from delivery.models import DeliveryRecord, PreparedCopy

pytestmark = pytest.mark.django_db

TITLE = "Kecamatan Weleri Dalam Angka 2024"
SCANNED_PAGES = [
    "Kata Pengantar. Publikasi ini disusun oleh BPS Kabupaten Kendal.",
    "Geografi. Kecamatan Weleri terletak di pantai utara Jawa Tengah.",
    "Penduduk. Jumlah penduduk Kecamatan Weleri pada tahun 2023 sebanyak 61.245 jiwa. "
    "Kepadatan tertinggi di Desa Penyangkringan.",
]


def _pdftotext(path, *args):
    result = subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _upload(kendal, data, *, title=TITLE, by=None, capture):
    publication = Publication(
        office=kendal, title=title, year=2024, visibility=Visibility.PUBLISHED
    )
    upload = SimpleUploadedFile("pindaian.pdf", data, "application/pdf")
    with capture(execute=True):
        save_publication(publication, by=by, pdf=upload)
    publication.refresh_from_db()
    return publication


@pytest.fixture
def scanned(kendal, django_capture_on_commit_callbacks, tmp_path):
    """A three-page scan (text as an image, noise, skew), uploaded and recognised."""
    data = make_scanned_pdf(SCANNED_PAGES, title=TITLE)
    (tmp_path / "scan.pdf").write_bytes(data)
    assert _pdftotext(tmp_path / "scan.pdf").strip() == ""  # no text layer at all
    publication = _upload(kendal, data, capture=django_capture_on_commit_callbacks)
    return publication, data


def test_scanned_pages_are_recognised_and_found_by_search_with_page_hit(scanned, tmp_path):
    publication, data = scanned

    recognition = TextRecognition.objects.get(publication=publication)
    assert recognition.state == RecognitionState.DONE
    assert (recognition.pages, recognition.page_count, recognition.pages_done) == ("1-3", 3, 3)
    assert "penduduk" in publication.pages.get(number=3).text.lower()
    # An Indonesian word that only page 3 shows, in another word form ("kepadatan": "padat").
    result = search("padat penyangkringan")
    assert [hit.publication for hit in result.hits] == [publication]
    assert [number for number, _snippet in result.hits[0].page_hits][0] == 3
    assert "<mark>" in result.hits[0].page_hits[0][1]
    hit = search("jumlah penduduk weleri").hits[0]
    assert hit.publication == publication and hit.page_hits[0][0] == 3
    # The original is kept exactly as uploaded, without text; the readable copy has text.
    with publication.original_pdf.open("rb") as handle:
        assert handle.read() == data
    readable = tmp_path / "readable.pdf"
    with recognition.file.open("rb") as handle:
        readable.write_bytes(handle.read())
    assert "Penyangkringan" in _pdftotext(readable, "-f", "3", "-l", "3")
    actions = list(
        PublicationEvent.objects.filter(publication=publication)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-3:] == [EventAction.PROCESSED, EventAction.OCR_STARTED, EventAction.OCR_DONE]


def test_readers_copy_has_the_text_layer_the_stamp_and_the_trace(
    scanned, client_for, citizen, tmp_path
):
    publication, _data = scanned

    response = client_for(citizen).post(
        reverse("delivery:publication-download", args=[publication.pk])
    )

    assert response.status_code == 200
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(b"".join(response.streaming_content))
    record = DeliveryRecord.objects.get()
    assert PreparedCopy.objects.get().source_name == publication.text_recognition.file.name
    assert subprocess.run(["qpdf", "--check", str(copy)], capture_output=True).returncode == 0
    page3 = _pdftotext(copy, "-f", "3", "-l", "3")
    assert "Penyangkringan" in page3 and "penduduk" in page3.lower()
    text = _pdftotext(copy)
    assert text.count("Citra Warga <citizen@example.com>") >= 3
    assert f"Kode jejak {record.trace_code}" in text
    assert watermark.find_trace_codes(copy) == {record.trace_code}


def test_pages_with_text_are_skipped_and_only_scans_recognised(
    kendal, django_capture_on_commit_callbacks, tmp_path
):
    typed = make_pdf(["Halaman berteks. Statistik nelayan Kabupaten Kendal."], title=TITLE)
    scan = make_scanned_pdf(["Tabel produksi ikan tangkap menurut kecamatan."], title=TITLE)
    joined = tmp_path / "joined.pdf"
    for name, data in (("typed.pdf", typed), ("scan.pdf", scan)):
        (tmp_path / name).write_bytes(data)
    subprocess.run(
        ["qpdf", "--empty", "--pages", tmp_path / "typed.pdf", tmp_path / "scan.pdf", "--", joined],
        check=True,
    )

    publication = _upload(kendal, joined.read_bytes(), capture=django_capture_on_commit_callbacks)

    recognition = TextRecognition.objects.get(publication=publication)
    assert (recognition.state, recognition.pages) == (RecognitionState.DONE, "2")
    assert publication.pages.get(number=1).text.startswith(TITLE)
    assert "tangkap" in publication.pages.get(number=2).text.lower()
    assert [number for number, _s in search("tangkap ").hits[0].page_hits] == [2]


def test_pdf_with_text_on_every_page_is_not_recognised(make_publication):
    publication = make_publication(title="Statistik Daerah", pages=["Teks biasa.", "Teks lagi."])

    assert not TextRecognition.objects.filter(publication=publication).exists()
    assert ocr.softcopy_name(publication) == publication.original_pdf.name


def test_failure_is_shown_to_the_officer_who_can_run_it_again(
    kendal, clerk, client_for, settings, django_capture_on_commit_callbacks
):
    settings.CATALOG_OCR_LANGUAGES = "xxx"  # a language the server does not have
    data = make_scanned_pdf(["Tabel produksi padi."], title="Statistik Pertanian")
    publication = _upload(
        kendal, data, title="Statistik Pertanian", capture=django_capture_on_commit_callbacks
    )
    recognition = TextRecognition.objects.get(publication=publication)
    assert recognition.state == RecognitionState.FAILED
    assert recognition.error == (
        "Pengenalan teks gagal (kode 3): "
        "Pengenalan teks belum terpasang di server (tesseract, bahasa)."
    )
    detail = reverse("catalog:office-publication-detail", args=["3324", publication.pk])
    page = client_for(clerk).get(detail).content.decode()
    assert recognition.error in page.replace("&#x27;", "'")
    assert reverse("catalog:office-publication-ocr-retry", args=["3324", publication.pk]) in page
    assert ocr.softcopy_name(publication) == publication.original_pdf.name

    settings.CATALOG_OCR_LANGUAGES = "ind+eng"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk).post(
            reverse("catalog:office-publication-ocr-retry", args=["3324", publication.pk])
        )

    assert response.status_code == 302 and response["Location"] == detail
    recognition = TextRecognition.objects.get(publication=publication)
    assert recognition.state == RecognitionState.DONE
    assert "padi" in publication.pages.get(number=1).text.lower()
    assert PublicationEvent.objects.filter(
        publication=publication, action=EventAction.OCR_STARTED, actor=clerk
    ).exists()


def test_retry_without_a_failure_says_so(scanned, clerk, client_for):
    publication, _data = scanned
    url = reverse("catalog:office-publication-ocr-retry", args=["3324", publication.pk])

    response = client_for(clerk).post(url, follow=True)

    assert "Tidak ada pengenalan teks yang gagal" in response.content.decode()
    assert TextRecognition.objects.get(publication=publication).state == RecognitionState.DONE


@pytest.mark.parametrize("who", ["citizen", "outsider_officer"])
def test_retry_is_refused_to_others(request, scanned, client_for, who):
    publication, _data = scanned
    url = reverse("catalog:office-publication-ocr-retry", args=["3324", publication.pk])

    response = client_for(request.getfixturevalue(who)).post(url)

    assert response.status_code == 403
    assert TextRecognition.objects.get(publication=publication).state == RecognitionState.DONE


def test_command_recognises_existing_publications_with_dry_run_first(
    kendal, django_capture_on_commit_callbacks, settings
):
    data = make_scanned_pdf(["Luas panen padi sawah menurut kecamatan."], title="Statistik Padi")
    publication = _upload(
        kendal, data, title="Statistik Padi", capture=django_capture_on_commit_callbacks
    )
    # As processed before text recognition existed: no recognition, no page text.
    TextRecognition.objects.all().delete()
    publication.pages.update(text="")
    index_pages(publication.pk, publication.pages.all())
    index_publication(publication)
    assert search("sawah ").count == 0

    out = io.StringIO()
    call_command("ocr_publications", "--dry-run", "--office", "3324", stdout=out)
    assert out.getvalue().splitlines() == [
        f"would recognise {publication.pk} Statistik Padi: 1 pages (1)",
        "would recognise 1, failed 0, skipped 0",
    ]
    assert not TextRecognition.objects.exists()

    out = io.StringIO()
    call_command("ocr_publications", stdout=out)
    assert out.getvalue().splitlines()[-1] == "recognised 1, failed 0, skipped 0"
    assert TextRecognition.objects.get().state == RecognitionState.DONE
    assert [hit.publication for hit in search("sawah ").hits] == [publication]

    out = io.StringIO()
    call_command("ocr_publications", stdout=out)
    assert out.getvalue().splitlines()[-1] == "recognised 0, failed 0, skipped 0"


def test_progress_plugin_speaks_the_marker_the_parent_reads():
    assert ocr_progress.MARKER == ocr.MARKER


def test_a_requeued_job_leaves_a_running_recognition_alone_until_abandoned(scanned):
    publication, _data = scanned
    recognition = TextRecognition.objects.get(publication=publication)
    TextRecognition.objects.filter(pk=recognition.pk).update(
        state=RecognitionState.RUNNING, started_at=timezone.now(), pages_done=1
    )

    assert ocr.recognise_publication(publication.pk) == "running"
    assert TextRecognition.objects.get(pk=recognition.pk).pages_done == 1

    long_ago = timezone.now() - TextRecognition.time_limit(3) - datetime.timedelta(seconds=1)
    TextRecognition.objects.filter(pk=recognition.pk).update(started_at=long_ago)
    assert ocr.recognise_publication(publication.pk) == RecognitionState.DONE
