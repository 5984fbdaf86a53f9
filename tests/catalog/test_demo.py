import pytest
from django.core.management import call_command

from catalog.choices import ProcessingState
from catalog.models import Publication, Subject
from catalog.search import search

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_searchable_kendal_publications(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    publications = Publication.objects.filter(office__code="3324")
    assert publications.count() == 8
    assert Subject.objects.filter(category__title="Pertanian dan Pertambangan").count() == 6
    with_pdf = publications.exclude(original_pdf="")
    assert with_pdf.count() == 4
    assert set(with_pdf.values_list("processing_state", flat=True)) == {ProcessingState.READY}
    assert publications.filter(original_pdf="", hardcopy_copies__gt=0).count() == 4
    result = search("jumlah penduduk kecamatan weleri")
    assert result.hits[0].publication.title == "Kecamatan Weleri Dalam Angka 2024"
    assert result.hits[0].page_hits[0][0] == 3
    call_command("seed_demo", stdout=None)
    assert Publication.objects.count() == 8
