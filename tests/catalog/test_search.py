"""Search relevance: Indonesian word forms, exact numbers, page hits, safe input (both DBs)."""

import pytest

from catalog.choices import Visibility
from catalog.search import refresh_maps, search

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["index", "maps"])
def catalogue(request, make_publication):
    """Every test runs twice: the full-text index answers, then the word maps (built here
    for the words of two or more publications; the rest still goes to the index)."""
    books = _catalogue(make_publication)
    if request.param == "maps":
        refresh_maps(force=True, min_docs=2)
    return books


def _catalogue(make_publication):
    weleri = make_publication(
        title="Kecamatan Weleri Dalam Angka 2024",
        catalog_number="1102001.3324120",
        publication_number="33240.2412",
        abstract=(
            "Publikasi ini menyajikan data geografi, pemerintahan dan sosial "
            "Kecamatan Weleri, Kabupaten Kendal."
        ),
        subjects=["Kependudukan"],
        pages=[
            "Kata Pengantar. Publikasi Kecamatan Weleri Dalam Angka 2024 disusun oleh BPS.",
            "Geografi. Kecamatan Weleri terletak di pantai utara Jawa Tengah.",
            "Penduduk. Jumlah penduduk Kecamatan Weleri pada tahun 2023 sebanyak 61.245 jiwa.",
        ],
    )
    horti = make_publication(
        title="Statistik Hortikultura Kabupaten Kendal 2023",
        year=2023,
        catalog_number="5204003.3324",
        issn="2088-1234",
        abstract="Produksi sayuran dan buah-buahan di Kabupaten Kendal.",
        subjects=["Hortikultura"],
        pages=["Pertanian hortikultura: produksi cabai dan bawang merah menurut kecamatan."],
    )
    kda = make_publication(
        title="Kabupaten Kendal Dalam Angka 2023",
        year=2023,
        catalog_number="1102001.3324",
        abstract="Data kependudukan, pendidikan, pertanian dan ekonomi Kabupaten Kendal.",
        subjects=["Kependudukan", "Pendidikan"],
        hardcopy_copies=2,
        hardcopy_call_number="310 KEN k",
    )
    draft = make_publication(
        title="Rancangan Statistik Penduduk Kendal", visibility=Visibility.DRAFT
    )
    return {"weleri": weleri, "horti": horti, "kda": kda, "draft": draft}


def titles(result):
    return [hit.publication.title for hit in result.hits]


def test_word_forms_match_kependudukan_finds_penduduk(catalogue):
    result = search("kependudukan ")
    assert set(titles(result)) == {
        "Kecamatan Weleri Dalam Angka 2024",
        "Kabupaten Kendal Dalam Angka 2023",
    }
    assert result.count == 2


def test_word_forms_match_pertanian_finds_tani(catalogue):
    result = search("tani ")
    assert set(titles(result)) == {
        "Statistik Hortikultura Kabupaten Kendal 2023",
        "Kabupaten Kendal Dalam Angka 2023",
    }


def test_full_question_ranks_the_right_publication_first_with_its_page(catalogue):
    result = search("jumlah penduduk kecamatan weleri")
    assert titles(result) == ["Kecamatan Weleri Dalam Angka 2024"]
    hit = result.hits[0]
    assert [number for number, _text in hit.page_hits][0] == 3
    assert "<mark>penduduk</mark>" in hit.page_hits[0][1].lower()
    assert "<mark>" in hit.snippet


def test_drafts_are_never_found(catalogue):
    assert "Rancangan Statistik Penduduk Kendal" not in titles(search("penduduk"))
    assert search("rancangan").count == 0


def test_catalogue_number_matches_exactly_and_first(catalogue):
    result = search("1102001.3324")
    assert titles(result)[0] == "Kabupaten Kendal Dalam Angka 2023"


def test_issn_matches_exactly(catalogue):
    assert titles(search("2088-1234")) == ["Statistik Hortikultura Kabupaten Kendal 2023"]
    assert titles(search("2088 1234 ")) == ["Statistik Hortikultura Kabupaten Kendal 2023"]


def test_prefix_while_typing(catalogue):
    assert titles(search("hortikul")) == ["Statistik Hortikultura Kabupaten Kendal 2023"]
    assert titles(search("kepend")) == titles(search("kependudukan"))
    # With a trailing space the word is complete: no prefix matching.
    assert search("hortikul ").count == 0


def test_year_word_and_subject_facets(catalogue):
    result = search("kependudukan 2023")
    # KDA 2023 matches in its record; the Weleri book only in its PDF ("tahun 2023"), so later.
    assert titles(result) == [
        "Kabupaten Kendal Dalam Angka 2023",
        "Kecamatan Weleri Dalam Angka 2024",
    ]
    facets = search("kendal").facets
    assert {f["label"]: f["count"] for f in facets["year"]} == {"2023": 2, "2024": 1}
    subjects = {f["label"]: f["count"] for f in facets["subject"]}
    assert subjects == {"Kependudukan": 2, "Hortikultura": 1, "Pendidikan": 1}
    availability = {f["value"]: f["count"] for f in facets["availability"]}
    assert availability == {"softcopy": 2, "hardcopy": 1}
    assert [(f["value"], f["count"]) for f in facets["office"]] == [("3324", 3)]


def test_filters(catalogue):
    assert titles(search("kendal", year=2024)) == ["Kecamatan Weleri Dalam Angka 2024"]
    assert titles(search("", availability="hardcopy")) == ["Kabupaten Kendal Dalam Angka 2023"]
    pendidikan = catalogue["kda"].subjects.get(title="Pendidikan")
    assert titles(search("", subject=pendidikan.pk)) == ["Kabupaten Kendal Dalam Angka 2023"]
    assert search("kendal", office="3374").count == 0


def test_sort_newest(catalogue):
    result = search("kendal", sort="newest")
    assert titles(result)[0] == "Kecamatan Weleri Dalam Angka 2024"


@pytest.mark.parametrize(
    "text",
    [
        '"penduduk',
        'penduduk" OR 1=1; DROP TABLE catalog_publication; --',
        "NEAR(penduduk weleri) AND -kendal*",
        "title:penduduk ^ * ( ) : { }",
        "' | & ! <-> :* \\",
        "a" * 5000,
        "统计 人口 " * 50,
        "статистика",
        "",
        "   ",
        "***",
        "and or not",
    ],
)
def test_hostile_or_odd_input_never_errors(catalogue, text):
    result = search(text)
    assert result.count == len(result.hits) or result.count > len(result.hits) >= 0
    assert isinstance(result.facets["year"], list)


def test_quotes_and_operators_still_find_words(catalogue):
    assert titles(search('"weleri" AND (penduduk)')) == ["Kecamatan Weleri Dalam Angka 2024"]


def test_reindex_after_edit_and_unpublish(catalogue, make_publication):
    from catalog.services import save_publication

    kda = catalogue["kda"]
    kda.title = "Kabupaten Kendal Dalam Angka Edisi Revisi 2023"
    save_publication(kda, by=None)
    assert titles(search("revisi")) == ["Kabupaten Kendal Dalam Angka Edisi Revisi 2023"]
    kda.visibility = Visibility.DRAFT
    save_publication(kda, by=None)
    assert search("revisi").count == 0
