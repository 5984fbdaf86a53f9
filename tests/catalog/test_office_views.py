import pytest
from django.urls import reverse

from catalog.choices import EventAction, ProcessingState, Visibility
from catalog.models import Publication, PublicationEvent, Subject
from catalog.search import search

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title": "Statistik Daerah Kabupaten Kendal 2024",
        "abstract": "Ringkasan statistik daerah: penduduk, pertanian, ekonomi.",
        "year": "2024",
        "catalog_number": "1101002.3324",
        "publication_number": "33240.2405",
        "issn": "",
        "isbn": "",
        "language": "id",
        "frequency": "annual",
        "visibility": "published",
        "access_level": "downloadable",
        "hardcopy_call_number": "",
        "hardcopy_copies": "0",
    }
    data.update(overrides)
    return data


def create_url(office="3324"):
    return reverse("catalog:office-publication-create", args=[office])


def test_officer_uploads_pdf_and_it_is_processed(
    client_for, clerk, kendal, django_capture_on_commit_callbacks
):
    subject = Subject.objects.get(title="Kependudukan")
    pdf = pdf_upload(
        ["Pendahuluan", "Jumlah penduduk Kecamatan Boja tahun 2023 sebanyak 82.443 jiwa."],
        title="Statistik Daerah",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk).post(
            create_url(), {**form_data(subjects=[subject.pk]), "pdf": pdf}
        )
    publication = Publication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "catalog:office-publication-detail", args=["3324", publication.pk]
    )
    assert publication.office == kendal
    assert publication.processing_state == ProcessingState.READY
    assert (publication.page_count, publication.pages_done) == (2, 2)
    assert publication.file_size == pdf.size
    assert publication.cover.name.endswith(".webp")
    assert publication.original_pdf.name.startswith("catalog/originals/3324/")
    assert list(publication.pages.values_list("number", flat=True)) == [1, 2]
    assert "82.443" in publication.pages.get(number=2).text
    actions = list(
        PublicationEvent.objects.filter(publication=publication)
        .order_by("id")
        .values_list("action", "actor")
    )
    assert actions == [
        (EventAction.CREATED, clerk.pk),
        (EventAction.PUBLISHED, clerk.pk),
        (EventAction.FILE_UPLOADED, clerk.pk),
        (EventAction.PROCESSING_STARTED, None),
        (EventAction.PROCESSED, None),
    ]
    hit = search("penduduk boja").hits[0]
    assert hit.publication == publication
    assert [n for n, _s in hit.page_hits] == [2]
    page = client_for(clerk).get(response["Location"])
    assert "Siap" in page.content.decode() or "Ready" in page.content.decode()


def test_original_is_private_and_open_original_reads_it(
    client_for, clerk, kendal, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from catalog.services import open_original

    with django_capture_on_commit_callbacks(execute=True):
        client_for(clerk).post(create_url(), {**form_data(), "pdf": pdf_upload(["Isi"])})
    publication = Publication.objects.get()
    with pytest.raises(NotImplementedError):
        default_storage.url(publication.original_pdf.name)
    with open_original(publication) as handle:
        assert handle.read(5) == b"%PDF-"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (("laporan.pdf", b"GIF89a not a pdf at all", "application/pdf"), "bukan dokumen PDF"),
        (("rusak.pdf", b"%PDF-1.7\n1 0 obj << >> garbage", "application/pdf"), "rusak"),
        (("kosong.pdf", b"", "application/pdf"), "kosong"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    client_for, clerk, kendal, upload, message, _private_storage
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(clerk).post(
        create_url(), {**form_data(), "pdf": SimpleUploadedFile(*upload)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Publication.objects.count() == 0
    assert not _private_storage.exists() or not any(_private_storage.rglob("*.pdf"))


def test_encrypted_pdf_is_refused(client_for, clerk, kendal):
    response = client_for(clerk).post(
        create_url(), {**form_data(), "pdf": pdf_upload(["rahasia"], encrypt_password="x")}
    )
    assert "memerlukan kata sandi" in response.content.decode()
    assert Publication.objects.count() == 0


def test_pdf_over_the_size_limit_is_refused(client_for, clerk, kendal, settings):
    settings.CATALOG_MAX_UPLOAD_MB = 1
    big = pdf_upload(["x " * 100] * 1)
    big.file.seek(0, 2)
    big.file.write(b"\n%" + b"0" * (1024 * 1024 + 10))
    big.file.seek(0)
    big.size = big.file.tell()
    response = client_for(clerk).post(create_url(), {**form_data(), "pdf": big})
    assert "lebih besar dari 1 MB" in response.content.decode()
    assert Publication.objects.count() == 0


def test_duplicate_catalogue_number_in_the_same_year_is_refused(
    client_for, clerk, make_publication
):
    make_publication(title="Statistik Daerah 2024", catalog_number="1101002.3324", year=2024)
    response = client_for(clerk).post(create_url(), form_data())
    assert response.status_code == 200
    assert Publication.objects.count() == 1


def test_edit_and_unpublish_records_history(client_for, clerk, make_publication):
    publication = make_publication(title="Statistik Daerah 2024")
    url = reverse("catalog:office-publication-edit", args=["3324", publication.pk])
    response = client_for(clerk).post(
        url, form_data(title="Statistik Daerah 2024 (revisi)", visibility="draft")
    )
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.title == "Statistik Daerah 2024 (revisi)"
    assert publication.visibility == Visibility.DRAFT
    assert list(publication.events.order_by("-id").values_list("action", flat=True)[:2]) == [
        EventAction.UNPUBLISHED,
        EventAction.UPDATED,
    ]
    assert search("revisi").count == 0


def test_failed_processing_is_shown_and_can_be_retried(
    client_for, clerk, make_publication, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    publication = make_publication(title="Rusak Setelah Unggah", pages=["Halaman satu"])
    with default_storage.open(publication.original_pdf.name, "wb") as handle:
        handle.write(b"%PDF-1.4 broken now")
    Publication.objects.filter(pk=publication.pk).update(processing_state=ProcessingState.FAILED)
    url = reverse("catalog:office-publication-retry", args=["3324", publication.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk).post(url)
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.processing_state == ProcessingState.FAILED
    assert publication.processing_error != ""
    assert publication.events.filter(action=EventAction.PROCESSING_FAILED).count() == 1
    detail = client_for(clerk).get(
        reverse("catalog:office-publication-detail", args=["3324", publication.pk])
    )
    assert "Gagal" in detail.content.decode()


def test_retry_refused_while_processing(client_for, clerk, make_publication):
    publication = make_publication(title="Sedang Diproses", pages=["satu"])
    Publication.objects.filter(pk=publication.pk).update(
        processing_state=ProcessingState.PROCESSING
    )
    url = reverse("catalog:office-publication-retry", args=["3324", publication.pk])
    response = client_for(clerk).post(url, follow=True)
    assert "sedang diproses" in response.content.decode()


def test_progress_fragment_for_htmx(client_for, clerk, make_publication):
    publication = make_publication(title="Besar", pages=["satu", "dua", "tiga", "empat"])
    Publication.objects.filter(pk=publication.pk).update(
        processing_state=ProcessingState.PROCESSING, pages_done=1
    )
    url = reverse("catalog:office-publication-detail", args=["3324", publication.pk])
    response = client_for(clerk).get(url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="processing"')
    assert 'hx-trigger="every 2s"' in body
    assert 'value="25"' in body


OFFICE_URLS = [
    ("catalog:office-publication-list", False, "get"),
    ("catalog:office-publication-create", False, "get"),
    ("catalog:office-publication-detail", True, "get"),
    ("catalog:office-publication-edit", True, "get"),
    ("catalog:office-publication-retry", True, "post"),
]


@pytest.mark.parametrize(("name", "with_pk", "method"), OFFICE_URLS)
def test_office_pages_refuse_others(
    client_for, citizen, outsider_officer, make_publication, name, with_pk, method
):
    publication = make_publication(title="Publikasi")
    args = ["3324", publication.pk] if with_pk else ["3324"]
    url = reverse(name, args=args)
    anonymous = getattr(client_for(None), method)(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert getattr(client_for(citizen), method)(url).status_code == 403
    assert getattr(client_for(outsider_officer), method)(url).status_code == 403


def test_officer_cannot_reach_another_office_publication(
    client_for, outsider_officer, make_publication, other_office
):
    publication = make_publication(title="Publikasi Kendal")
    url = reverse("catalog:office-publication-detail", args=[other_office.code, publication.pk])
    assert client_for(outsider_officer).get(url).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_office_list_queries(client_for, clerk, make_publication, django_assert_num_queries, count):
    for index in range(count):
        make_publication(title=f"Publikasi {index}", catalog_number=f"110200{index}.3324")
    client = client_for(clerk)
    url = reverse("catalog:office-publication-list", args=["3324"])
    # session, user, office, membership, count, page
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count("/office/3324/catalog/") >= count
