"""Private files in an S3-compatible bucket (moto over HTTP): private objects, ranged reads
while stamping and streaming, and a clear refusal when the store is unreachable."""

import subprocess

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from catalog.choices import AccessLevel, Visibility
from catalog.models import Publication
from catalog.services import save_publication
from core.s3 import S3RangeReader
from core.storage import StorageUnavailable, open_stream
from delivery import watermark
from delivery.models import DeliveryRecord, PreparedCopy
from delivery.views.public import copy_url
from tests.catalog.conftest import pdf_upload
from tests.catalog.test_office_views import form_data
from tests.delivery.conftest import PAGES
from tests.ops.conftest import bucket_keys, free_port, s3_settings


@pytest.fixture
def s3_publication(kendal, s3_bucket, django_capture_on_commit_callbacks):
    publication = Publication(
        office=kendal,
        title="Kecamatan Weleri Dalam Angka 2024",
        year=2024,
        visibility=Visibility.PUBLISHED,
        access_level=AccessLevel.DOWNLOADABLE,
    )
    with django_capture_on_commit_callbacks(execute=True):
        save_publication(
            publication, by=None, pdf=pdf_upload(PAGES, title="Kecamatan Weleri Dalam Angka 2024")
        )
    publication.refresh_from_db()
    return publication


def _body(response):
    return b"".join(response.streaming_content)


def test_uploads_land_in_the_bucket_privately_and_have_no_url(s3_publication, s3_client, s3_bucket):
    keys = bucket_keys(s3_client, s3_bucket)

    assert s3_publication.original_pdf.name in keys
    assert s3_publication.cover.name in keys
    acl = s3_client.get_object_acl(Bucket=s3_bucket, Key=s3_publication.original_pdf.name)
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in acl["Grants"])
    with pytest.raises(NotImplementedError):
        default_storage.url(s3_publication.original_pdf.name)


def test_download_from_the_bucket_is_stamped_and_read_by_ranges(
    client_for, citizen, s3_publication, s3_client, s3_bucket, tmp_path
):
    client = client_for(citizen)

    response = client.post(reverse("delivery:publication-download", args=[s3_publication.pk]))

    assert response.status_code == 200
    body = _body(response)
    record = DeliveryRecord.objects.get()
    assert len(body) == int(response["Content-Length"]) == PreparedCopy.objects.get().size
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(body)
    assert subprocess.run(["qpdf", "--check", str(copy)], capture_output=True).returncode == 0
    text = subprocess.run(["pdftotext", str(copy), "-"], capture_output=True, text=True).stdout
    assert f"Kode jejak {record.trace_code}" in text
    assert watermark.find_trace_codes(copy) == {record.trace_code}
    record.refresh_from_db()
    assert record.bytes_served == len(body)
    prepared = PreparedCopy.objects.get()
    assert prepared.file.name in bucket_keys(s3_client, s3_bucket)

    part = client.get(copy_url(record), headers={"Range": "bytes=100-299"})

    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-299/{len(body)}"
    # The same record's copy: the range is exactly that slice of the whole download.
    assert _body(part) == body[100:300]


def test_ranged_reader_fetches_only_what_is_asked(s3_publication):
    name = s3_publication.original_pdf.name
    with default_storage.open(name, "rb") as whole_file:
        whole = whole_file.read()

    reader = open_stream(name)

    assert isinstance(reader, S3RangeReader)
    assert reader.size == len(whole)
    reader.seek(10)
    assert reader.read(20) == whole[10:30]
    assert reader.tell() == 30
    reader.seek(-5, 2)
    assert reader.read() == whole[-5:]
    assert reader.read(10) == b""


@pytest.fixture
def unreachable_store(settings, s3_publication):
    """The publication is stored, then the object store goes away."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_settings(f"http://127.0.0.1:{free_port()}", "gone", connect_timeout=1),
    }


def test_download_when_the_store_is_unreachable_says_so_and_records_nothing(
    client_for, citizen, s3_publication, unreachable_store, mailoutbox
):
    response = client_for(citizen).post(
        reverse("delivery:publication-download", args=[s3_publication.pk])
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "tidak dapat dihubungi" in response.content.decode()
    assert DeliveryRecord.objects.count() == 0
    assert PreparedCopy.objects.count() == 0
    # The original is not damaged: the officers get no "re-upload the PDF" alert.
    assert mailoutbox == []


def test_reading_a_prepared_copy_when_the_store_goes_away_sends_no_partial_file(
    client_for, citizen, s3_publication, settings
):
    client = client_for(citizen)
    client.post(reverse("delivery:publication-download", args=[s3_publication.pk]))
    record = DeliveryRecord.objects.get()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_settings(f"http://127.0.0.1:{free_port()}", "gone", connect_timeout=1),
    }

    response = client.get(copy_url(record))

    assert response.status_code == 503
    assert "tidak dapat dihubungi" in response.content.decode()
    assert not response.streaming


def test_upload_when_the_store_is_unreachable_says_so_and_saves_nothing(
    client_for, clerk, kendal, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_settings(f"http://127.0.0.1:{free_port()}", "gone", connect_timeout=1),
    }
    pdf = pdf_upload(["Halaman satu"], title="Statistik Daerah Kendal 2025")

    response = client_for(clerk).post(
        reverse("catalog:office-publication-create", args=["3324"]), {**form_data(), "pdf": pdf}
    )

    assert response.status_code == 503
    assert "tidak dapat dihubungi" in response.content.decode()
    assert Publication.objects.count() == 0


def test_storage_errors_are_storage_unavailable(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_settings(f"http://127.0.0.1:{free_port()}", "gone", connect_timeout=1),
    }
    with pytest.raises(StorageUnavailable):
        default_storage.exists("anything.pdf")
    with pytest.raises(StorageUnavailable):
        open_stream("anything.pdf")
