import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.choices import AccessLevel, Visibility
from catalog.models import Publication
from softcopies import services
from tests.delivery.conftest import PAGES, _private_storage, make_publication  # noqa: F401


@pytest.fixture
def hardcopy_book(kendal):
    """A printed-only book: no PDF in the catalogue."""
    return Publication.objects.create(
        office=kendal,
        title="Kabupaten Kendal Dalam Angka 1998",
        year=1998,
        visibility=Visibility.PUBLISHED,
        access_level=AccessLevel.ON_REQUEST,
        hardcopy_copies=1,
        hardcopy_call_number="310 KEN 1998",
    )


@pytest.fixture
def on_request_publication(make_publication):  # noqa: F811
    return make_publication(access_level=AccessLevel.ON_REQUEST, title="Statistik Daerah Kendal")


def image_upload(name, *, colour="white", fmt="PNG", size=(600, 800), text_pixel=None):
    image = Image.new("RGB", size, colour)
    if text_pixel:
        image.putpixel(text_pixel, (0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, fmt, dpi=(150, 150))
    content_type = "image/png" if fmt == "PNG" else "image/jpeg"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


@pytest.fixture
def make_request(kendal, citizen, django_capture_on_commit_callbacks):
    def _make(publication=None, *, user=None, description="", pages="12-13", **kwargs):
        if publication is None and not description:
            description = "Tabel curah hujan Kendal 1990"
        with django_capture_on_commit_callbacks(execute=True):
            return services.create_request(
                office=kendal,
                user=user or citizen,
                publication=publication,
                description=description,
                pages=pages,
                purpose=kwargs.pop("purpose", "Skripsi tentang curah hujan"),
                **kwargs,
            )

    return _make
