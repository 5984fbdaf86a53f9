"""`backup` then `restore` into an empty database and an empty storage gives back the same
records and the same files (local folder and S3 bucket)."""

import hashlib
import io
import json
import tarfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from catalog.models import Publication, PublicationPage
from catalog.search import search
from delivery.models import DeliveryRecord
from tests.catalog.conftest import pdf_upload
from tests.ops.conftest import bucket_keys
from visits import services as visit_services
from visits.models import QueueTicket

pytestmark = pytest.mark.django_db(transaction=True)


def _local_storage(settings, folder):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": folder},
        },
    }


def _stored_files(storage, folder=""):
    directories, files = storage.listdir(folder)
    found = {}
    for name in files:
        with storage.open(f"{folder}{name}", "rb") as handle:
            found[f"{folder}{name}"] = hashlib.sha256(handle.read()).hexdigest()
    for directory in directories:
        found.update(_stored_files(storage, f"{folder}{directory}/"))
    return found


def _populate(kendal, clerk, citizen, client_for, django_capture_on_commit_callbacks):
    from catalog.services import save_publication

    publication = Publication(
        office=kendal,
        title="Statistik Daerah Kecamatan Boja 2024",
        year=2024,
        visibility="published",
        access_level="downloadable",
    )
    with django_capture_on_commit_callbacks(execute=True):
        save_publication(
            publication,
            by=clerk,
            pdf=pdf_upload(
                ["Pendahuluan", "Jumlah penduduk Kecamatan Boja 82.443 jiwa."],
                title="Statistik Daerah Kecamatan Boja 2024",
            ),
        )
    client = client_for(citizen)
    response = client.post(reverse("delivery:publication-download", args=[publication.pk]))
    b"".join(response.streaming_content)
    visit_services.issue_ticket(kendal, "library", officer=clerk)
    visit_services.issue_ticket(kendal, "library", officer=clerk)


def _snapshot():
    return {
        "users": sorted(User.objects.values_list("email", "password")),
        "publications": sorted(
            Publication.objects.values_list("pk", "title", "original_pdf", "cover", "page_count")
        ),
        "pages": sorted(PublicationPage.objects.values_list("publication_id", "number", "text")),
        "deliveries": sorted(
            DeliveryRecord.objects.values_list("trace_code", "user__email", "bytes_served")
        ),
        "tickets": sorted(QueueTicket.objects.values_list("number", "sequence", "status")),
    }


def _wipe_database():
    call_command("flush", interactive=False, verbosity=0)
    assert not User.objects.exists()


def test_backup_restores_into_an_empty_database_and_folder(
    settings,
    tmp_path,
    kendal,
    clerk,
    citizen,
    client_for,
    django_capture_on_commit_callbacks,
    capsys,
):
    _local_storage(settings, tmp_path / "before")
    _populate(kendal, clerk, citizen, client_for, django_capture_on_commit_callbacks)
    before, files_before = _snapshot(), _stored_files(default_storage)
    assert len(files_before) == 3  # original, cover, prepared copy
    archive = tmp_path / "backup.tar"

    call_command("backup", output=str(archive))

    out = capsys.readouterr().out
    assert "[3/3]" in out and f"Backup written to {archive}" in out
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert {item["name"]: item["sha256"] for item in manifest["files"]} == files_before

    _wipe_database()
    _local_storage(settings, tmp_path / "after")
    call_command("restore", str(archive))

    assert _snapshot() == before
    assert _stored_files(default_storage) == files_before
    assert [hit.publication.title for hit in search("penduduk boja").hits] == [
        "Statistik Daerah Kecamatan Boja 2024"
    ]
    # The restored system works: the citizen can log in and download again.
    citizen_again = User.objects.get(email=citizen.email)
    response = client_for(citizen_again).post(
        reverse("delivery:publication-download", args=[Publication.objects.get().pk])
    )
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content)) == int(response["Content-Length"])


def test_backup_and_restore_through_an_s3_bucket(
    settings,
    tmp_path,
    s3_bucket,
    s3_client,
    s3_endpoint,
    kendal,
    clerk,
    citizen,
    client_for,
    django_capture_on_commit_callbacks,
):
    from tests.ops.conftest import s3_settings

    _populate(kendal, clerk, citizen, client_for, django_capture_on_commit_callbacks)
    before, files_before = _snapshot(), _stored_files(default_storage)
    archive = tmp_path / "backup.tar"
    call_command("backup", output=str(archive), verbosity=0)

    _wipe_database()
    s3_client.create_bucket(Bucket="pst-restored")
    settings.STORAGES = {**settings.STORAGES, "default": s3_settings(s3_endpoint, "pst-restored")}
    call_command("restore", str(archive), verbosity=0)

    assert _snapshot() == before
    assert _stored_files(default_storage) == files_before
    assert bucket_keys(s3_client, "pst-restored") == sorted(files_before)


def test_restore_refuses_a_damaged_archive_and_a_database_in_use(
    settings, tmp_path, kendal, clerk, citizen
):
    _local_storage(settings, tmp_path / "files")
    default_storage.save("catalog/originals/3324/a.pdf", pdf_upload(["Satu"]))
    archive = tmp_path / "backup.tar"
    call_command("backup", output=str(archive), verbosity=0)

    with pytest.raises(CommandError, match="already has users"):
        call_command("restore", str(archive), verbosity=0)

    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("files/"):
                data = data.replace(b"%PDF", b"%PDX", 1)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    _wipe_database()
    _local_storage(settings, tmp_path / "empty")

    with pytest.raises(CommandError, match="a.pdf: checksum mismatch"):
        call_command("restore", str(damaged), verbosity=0)
    assert not User.objects.exists()
    assert not (tmp_path / "empty").exists()
