import pytest

from catalog.choices import AccessLevel, Visibility
from catalog.models import Publication
from catalog.services import save_publication
from tests.catalog.conftest import pdf_upload

PAGES = [
    f"Halaman {n}. Jumlah penduduk Kecamatan Weleri menurut jenis kelamin, tabel {n}."
    for n in range(1, 9)
]


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture
def make_publication(kendal, django_capture_on_commit_callbacks):
    def _make(*, access_level=AccessLevel.DOWNLOADABLE, pages=PAGES, **fields):
        fields.setdefault("title", "Kecamatan Weleri Dalam Angka 2024")
        fields.setdefault("year", 2024)
        fields.setdefault("visibility", Visibility.PUBLISHED)
        publication = Publication(office=kendal, access_level=access_level, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            save_publication(publication, by=None, pdf=pdf_upload(pages, title=fields["title"]))
        publication.refresh_from_db()
        return publication

    return _make


@pytest.fixture
def publication(make_publication):
    return make_publication()
