import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.choices import Visibility
from catalog.models import Publication, Subject
from catalog.samples import make_pdf
from catalog.services import save_publication


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    return tmp_path / "private"


def pdf_upload(pages, *, title="", name="publikasi.pdf", **kwargs):
    return SimpleUploadedFile(name, make_pdf(pages, title=title, **kwargs), "application/pdf")


@pytest.fixture
def make_publication(kendal, django_capture_on_commit_callbacks):
    """``make_publication(title=..., pages=[...], subjects=["Kependudukan"], ...)``: saved,
    published by default, PDF processed (the task runs at once under tests)."""

    def _make(*, pages=None, subjects=(), by=None, office=None, **fields):
        fields.setdefault("year", 2024)
        fields.setdefault("visibility", Visibility.PUBLISHED)
        publication = Publication(office=office or kendal, **fields)
        upload = pdf_upload(pages, title=fields["title"]) if pages else None
        with django_capture_on_commit_callbacks(execute=True):
            save_publication(
                publication,
                by=by,
                subjects=list(Subject.objects.filter(title__in=subjects)),
                pdf=upload,
            )
        publication.refresh_from_db()
        return publication

    return _make


def as_file(data):
    return io.BytesIO(data)
