"""Ranking tiers (catalog.search.ranking): the same order whether a tier is ranked by
relevance (small) or listed newest first (too large for relevance), on both databases."""

import pytest

from catalog.search import backends, ranking, refresh_maps, search

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["index", "maps"])
def shelf(request, make_publication):
    """Every test runs with the full-text index, then with the word maps (maps.py)."""
    _shelf(make_publication)
    if request.param == "maps":
        refresh_maps(force=True, min_docs=2)


def _shelf(make_publication):
    for year in (2021, 2023, 2022):
        make_publication(title=f"Statistik Nelayan Kabupaten Kendal {year}", year=year)
    for year in (2024, 2020):
        make_publication(
            title=f"Statistik Perikanan Kendal {year}",
            year=year,
            abstract="Produksi ikan tangkap dan jumlah nelayan menurut kecamatan.",
        )
    make_publication(
        title="Buku Saku Kendal 2019",
        year=2019,
        pages=["Ringkasan.", "Rumah tangga nelayan di pesisir Kendal."],
    )


def titles(result):
    return [hit.publication.title for hit in result.hits]


def test_title_matches_come_before_abstract_then_pdf_only_matches(shelf):
    result = search("nelayan ")
    assert result.count == 6
    found = titles(result)
    assert set(found[:3]) == {f"Statistik Nelayan Kabupaten Kendal {y}" for y in (2021, 2022, 2023)}
    assert set(found[3:5]) == {"Statistik Perikanan Kendal 2024", "Statistik Perikanan Kendal 2020"}
    assert found[5] == "Buku Saku Kendal 2019"
    assert result.hits[5].page_hits[0][0] == 2


@pytest.mark.parametrize("cap", [0, 2])
def test_tiers_too_large_for_relevance_are_newest_first(monkeypatch, shelf, cap):
    monkeypatch.setattr(ranking, "RANK_CAP", cap)
    found = titles(search("nelayan "))
    assert found[:3] == [f"Statistik Nelayan Kabupaten Kendal {y}" for y in (2023, 2022, 2021)]
    assert set(found[3:5]) == {"Statistik Perikanan Kendal 2024", "Statistik Perikanan Kendal 2020"}
    assert found[5] == "Buku Saku Kendal 2019"


@pytest.mark.parametrize("cap", [0, 1000])
def test_result_pages_follow_each_other_without_overlap(monkeypatch, shelf, cap):
    monkeypatch.setattr(ranking, "RANK_CAP", cap)
    whole = titles(search("nelayan "))
    pages = [titles(search("nelayan ", page=n, page_size=2)) for n in (1, 2, 3)]
    assert [t for page in pages for t in page] == whole


def test_filters_apply_inside_every_tier(monkeypatch, shelf):
    monkeypatch.setattr(ranking, "RANK_CAP", 0)
    assert titles(search("nelayan ", year=2020)) == ["Statistik Perikanan Kendal 2020"]
    assert titles(search("nelayan ", availability="softcopy")) == ["Buku Saku Kendal 2019"]


def test_typed_word_finds_the_same_without_vocabulary_expansion(monkeypatch, shelf):
    expanded = titles(search("nelay"))
    monkeypatch.setattr(backends, "EXPAND_MAX", 0)
    assert titles(search("nelay")) == expanded
    assert len(expanded) == 6


@pytest.mark.parametrize("among_max", [0, 10_000])
def test_large_tiers_give_the_same_order_checked_among_the_filtered(monkeypatch, shelf, among_max):
    monkeypatch.setattr(ranking, "RANK_CAP", 0)
    monkeypatch.setattr(ranking, "AMONG_MAX", among_max)
    found = titles(search("nelayan "))
    assert found == [
        *(f"Statistik Nelayan Kabupaten Kendal {y}" for y in (2023, 2022, 2021)),
        "Statistik Perikanan Kendal 2024",
        "Statistik Perikanan Kendal 2020",
        "Buku Saku Kendal 2019",
    ]
    assert titles(search("nelayan ", year=2022)) == ["Statistik Nelayan Kabupaten Kendal 2022"]
