"""The import reports in the default language (Indonesian), as an officer reads it."""

import json

import pytest
from django.core.management import CommandError, call_command

from catalog.choices import EventAction, ProcessingState
from catalog.models import Publication, PublicationEvent
from catalog.samples import make_pdf
from catalog.search import search
from history.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADER = (
    "file,title,year,catalog_number,publication_number,issn,isbn,subject,abstract,"
    "release_date,language,hardcopy_call_number,hardcopy_copies\n"
)


def write_manifest(tmp_path, rows):
    path = tmp_path / "manifest.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def run(path, capsys_or_none=None):
    from io import StringIO

    out = StringIO()
    call_command("import_publications", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def manifest(tmp_path, kendal):
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "kda2024.pdf").write_bytes(
        make_pdf(["Jumlah penduduk Kabupaten Kendal 2023 sebanyak 1.064.812 jiwa."] * 2)
    )
    (tmp_path / "pdf" / "rusak.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    (tmp_path / "pdf" / "gambar.pdf").write_bytes(b"\x89PNG\r\n\x1a\n....")
    return write_manifest(
        tmp_path,
        [
            "pdf/kda2024.pdf,Kabupaten Kendal Dalam Angka 2024,2024,1102001.3324,33240.2401,"
            '0215-2525,,Kependudukan;Pendidikan,"Data pokok, lengkap.",2024-02-28,id,310 KEN,3\n',
            ",Statistik Daerah Kabupaten Kendal 2024,2024,1101002.3324,,,,,,,,R 315 STA,2\n",
            ",,2024,,,,,,,,,,\n",
            ",Tanpa Tahun,,,,,,,,,,,\n",
            ",Subjek Salah,2023,,,,,Astronomi,,,,,\n",
            "pdf/rusak.pdf,PDF Rusak,2023,,,,,,,,,,\n",
            "pdf/gambar.pdf,Bukan PDF,2023,,,,,,,,,,\n",
            "pdf/hilang.pdf,File Hilang,2023,,,,,,,,,,\n",
            ",Tanggal Salah,2023,,,,,,,31-12-2023,,,\n",
            ",Indikator Kesejahteraan Rakyat Kabupaten Kendal 2023,2023,4102004.3324,,,,,,,,,abc\n",
        ],
    )


def test_import_good_rows_and_reports_bad_ones_with_their_line(
    manifest, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        output = run(manifest)
    lines = output.strip().splitlines()
    assert lines[0] == "created 2, updated 0, skipped 0, failed 8"
    assert lines[1:] == [
        "line 4: title wajib diisi.",
        "line 5: year wajib diisi.",
        "line 6: Subjek tidak dikenal: Astronomi",
        "line 7: PDF rusak dan tidak dapat dibuka.",
        "line 8: Berkas bukan dokumen PDF.",
        "line 9: Berkas tidak ditemukan: pdf/hilang.pdf",
        "line 10: release_date bukan tanggal (TTTT-BB-HH): 31-12-2023",
        "line 11: hardcopy_copies bukan bilangan bulat: abc",
    ]
    assert Publication.objects.count() == 2
    kda = Publication.objects.get(catalog_number="1102001.3324")
    assert kda.processing_state == ProcessingState.READY
    assert kda.page_count == 2
    assert kda.pages.count() == 2
    assert sorted(kda.subjects.values_list("title", flat=True)) == ["Kependudukan", "Pendidikan"]
    assert (kda.issn, kda.hardcopy_copies, kda.hardcopy_call_number) == ("0215-2525", 3, "310 KEN")
    assert str(kda.release_date) == "2024-02-28"
    hardcopy = Publication.objects.get(catalog_number="1101002.3324")
    assert not hardcopy.original_pdf
    assert hardcopy.processing_state == ProcessingState.NONE
    assert (
        PublicationEvent.objects.filter(publication=kda, action=EventAction.IMPORTED).count() == 1
    )
    assert [h.publication.pk for h in search("penduduk kendal").hits] == [kda.pk]
    line = AuditEvent.objects.get(target="catalog.Publication import")
    assert (line.action, line.office, line.actor, line.ip_address) == (
        "state",
        kda.office,
        None,
        None,
    )
    assert line.detail == "manifest.csv: created 2, updated 0, skipped 0, failed 8"


def test_import_again_is_idempotent(manifest, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(manifest)
    with django_capture_on_commit_callbacks(execute=True):
        output = run(manifest)
    assert output.splitlines()[0] == "created 0, updated 0, skipped 2, failed 8"
    assert Publication.objects.count() == 2


def test_import_updates_changed_rows(tmp_path, kendal):
    path = write_manifest(tmp_path, [",Statistik Daerah 2024,2024,1101002.3324,,,,,,,,,1\n"])
    run(path)
    path = write_manifest(
        tmp_path, [",Statistik Daerah Kabupaten Kendal 2024,2024,1101002.3324,,,,,,,,,4\n"]
    )
    assert run(path).splitlines()[0] == "created 0, updated 1, skipped 0, failed 0"
    publication = Publication.objects.get()
    assert (publication.title, publication.hardcopy_copies) == (
        "Statistik Daerah Kabupaten Kendal 2024",
        4,
    )


def test_import_without_catalogue_number_matches_title_and_year(tmp_path, kendal):
    path = write_manifest(tmp_path, [",Profil Kemiskinan Kendal,2022,,,,,,,,,,\n"])
    run(path)
    assert run(path).splitlines()[0] == "created 0, updated 0, skipped 1, failed 0"


def test_import_refuses_a_manifest_without_required_columns(tmp_path, kendal):
    path = tmp_path / "bad.csv"
    path.write_text("judul,tahun\nA,2020\n", encoding="utf-8")
    with pytest.raises(CommandError, match="tidak memiliki kolom title, year"):
        run(path)


BPS_LIST = {
    "status": "OK",
    "data-availability": "available",
    "data": [
        {"page": 1, "pages": 1, "per_page": 10, "count": 2, "total": 2},
        [
            {
                "pub_id": "5f082ed36ac6601d2ac04e05",
                "title": "Kabupaten Kendal Dalam Angka 2023",
                "issn": "0215-2525",
                "abstract": "<p>Publikasi &amp; data <b>pokok</b> Kabupaten Kendal.</p>",
                "sch_date": "2023-02-28",
                "rl_date": "2023-02-28",
                "updt_date": None,
                "cover": "https://example.invalid/cover.jpg",
                "pdf": "https://example.invalid/download",
                "size": "13.46 MB",
            },
            {"pub_id": "aaaa", "title": "", "rl_date": "2023-01-01"},
        ],
    ],
}


def test_import_bps_web_api_list(tmp_path, kendal):
    path = tmp_path / "list.json"
    path.write_text(json.dumps(BPS_LIST), encoding="utf-8")
    output = run(path)
    assert output.splitlines() == [
        "created 1, updated 0, skipped 0, failed 1",
        "line 2: title wajib diisi.",
    ]
    publication = Publication.objects.get()
    assert publication.bps_pub_id == "5f082ed36ac6601d2ac04e05"
    assert publication.abstract == "Publikasi & data pokok Kabupaten Kendal."
    assert publication.year == 2023
    assert publication.file_size == int(13.46 * 1024 * 1024)
    assert run(path).splitlines()[0] == "created 0, updated 0, skipped 1, failed 1"


def test_import_bps_web_api_view_with_related(tmp_path, kendal):
    view = {
        "status": "OK",
        "data": {
            "pub_id": "b1",
            "title": "Statistik Hortikultura Kabupaten Kendal 2023",
            "kat_no": "5204003.3324",
            "pub_no": "33240.2305",
            "issn": "978-602-438-123-4",
            "abstract": "Produksi sayuran",
            "rl_date": "2023-09-29",
            "related": [{"pub_id": "5f082ed36ac6601d2ac04e05", "title": "KDA"}],
        },
    }
    (tmp_path / "list.json").write_text(json.dumps(BPS_LIST), encoding="utf-8")
    run(tmp_path / "list.json")
    (tmp_path / "view.json").write_text(json.dumps(view), encoding="utf-8")
    assert (
        run(tmp_path / "view.json").splitlines()[0] == "created 1, updated 0, skipped 0, failed 0"
    )
    horti = Publication.objects.get(bps_pub_id="b1")
    assert (horti.catalog_number, horti.publication_number) == ("5204003.3324", "33240.2305")
    assert (horti.issn, horti.isbn) == ("", "978-602-438-123-4")
    assert list(horti.related.values_list("bps_pub_id", flat=True)) == ["5f082ed36ac6601d2ac04e05"]


def test_import_refuses_a_non_api_json(tmp_path, kendal):
    path = tmp_path / "x.json"
    path.write_text('{"status": "Error", "message": "key"}', encoding="utf-8")
    with pytest.raises(CommandError, match="bukan respons WebAPI BPS"):
        run(path)


def test_repeated_row_in_one_manifest_updates_instead_of_duplicating(tmp_path, kendal):
    path = write_manifest(
        tmp_path,
        [
            ",Statistik Daerah 2024,2024,1101002.3324,,,,,,,,,1\n",
            ",Statistik Daerah Kabupaten Kendal 2024,2024,1101002.3324,,,,,,,,,2\n",
        ],
    )
    assert run(path).splitlines()[0] == "created 1, updated 1, skipped 0, failed 0"
    publication = Publication.objects.get()
    assert (publication.title, publication.hardcopy_copies) == (
        "Statistik Daerah Kabupaten Kendal 2024",
        2,
    )
    assert list(publication.events.order_by("id").values_list("action", flat=True)) == [
        EventAction.IMPORTED,
        EventAction.PUBLISHED,
        EventAction.IMPORTED,
    ]
