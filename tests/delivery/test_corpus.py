"""Real PDFs from many producers, imported and downloaded as a visitor, judged by qpdf and
poppler (tests/delivery/corpus.py). The corpus is built once per test session (~10 s);
each file then takes about half a second (import, processing, preparation, judging).
"""

import io

import httpx
import pytest
from django.core.files import File
from django.core.management import call_command
from django.urls import reverse

from accounts.models import ApiToken
from catalog.choices import AccessLevel, EventAction, Visibility
from catalog.models import Publication
from catalog.pdf import inspect_pdf
from catalog.services import save_publication
from delivery.models import DeliveryRecord, PreparedCopy

from . import corpus


@pytest.fixture(scope="session")
def corpus_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    return {item.name: item for item in corpus.build_corpus(folder)}


def _import(office, item):
    publication = Publication(
        office=office,
        title=f"Korpus {item.name}",
        year=2024,
        visibility=Visibility.PUBLISHED,
        access_level=AccessLevel.DOWNLOADABLE,
    )
    with open(item.path, "rb") as handle:
        save_publication(publication, by=None, pdf=File(handle, name=f"{item.name}.pdf"))
    return publication


def _judged(item, copy, record, folder):
    problems = corpus.judge(
        item.path, copy, code=record.trace_code, reader=record.user.full_name, folder=folder
    )
    out = io.StringIO()
    call_command("trace_pdf", str(copy), stdout=out)
    if f"{record.user.full_name} <{record.user.email}>" not in out.getvalue():
        problems.append(f"trace_pdf does not name the reader: {out.getvalue()!r}")
    return problems


@pytest.mark.parametrize("name", corpus.NAMES)
def test_every_corpus_pdf_downloads_as_a_stamped_copy_that_holds(
    name, corpus_files, kendal, citizen, client_for, django_capture_on_commit_callbacks, tmp_path
):
    item = corpus_files[name]
    with django_capture_on_commit_callbacks(execute=True):
        publication = _import(kendal, item)

    response = client_for(citizen).post(
        reverse("delivery:publication-download", args=[publication.pk])
    )

    assert response.status_code == 200, response.content[:300]
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(b"".join(response.streaming_content))
    record = DeliveryRecord.objects.get()
    assert _judged(item, copy, record, tmp_path) == []
    prepared = PreparedCopy.objects.get(publication=publication)
    assert publication.events.filter(action=EventAction.COPIES_PREPARED).exists()
    if item.note:  # repaired, rotation normalised, CropBox dropped: the officer is told
        assert prepared.notes
        with open(item.path, "rb") as handle:
            notes = inspect_pdf(File(handle)).notes
        upload = publication.events.get(action=EventAction.FILE_UPLOADED).note
        assert all(note in upload for note in notes)
        assert item.note == "CropBox" or notes  # an empty CropBox is only seen at preparation


# One file per producer, through a live server and a real HTTP client.
LIVE = [
    "rl-rotate-mixed",
    "gs-autorotated",
    "im-tiny-3.84pt",
    "lo-html-links",
    "cairo-from-rotated",
    "skia-html",
    "qpdf-owner-aes256",
    "hand-inherited-arrays-empty",
]


@pytest.fixture
def live(live_server, settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        yield client


def test_one_file_per_producer_downloads_through_a_live_server(
    live, corpus_files, kendal, citizen, tmp_path
):
    _token, raw = ApiToken.issue(citizen, name="corpus")
    failures = {}
    for name in LIVE:
        item = corpus_files[name]
        publication = _import(kendal, item)

        response = live.get(
            f"/api/v1/publications/{publication.pk}/download",
            headers={"Authorization": f"Bearer {raw}"},
        )

        assert response.status_code == 200, (name, response.text[:300])
        assert response.headers["content-type"] == "application/pdf"
        copy = tmp_path / f"{name}.pdf"
        copy.write_bytes(response.content)
        record = DeliveryRecord.objects.get(publication=publication)
        assert int(response.headers["content-length"]) == copy.stat().st_size
        problems = _judged(item, copy, record, tmp_path)
        if problems:
            failures[name] = problems
    assert failures == {}
