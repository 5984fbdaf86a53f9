"""Search word maps (catalog.search.maps): exact after every kind of write, stale after a bulk
write until rebuilt, and the same answers as the full-text index (both databases)."""

import pytest
from django.db import connection

from catalog.choices import Visibility
from catalog.models import Publication
from catalog.search import get_backend, index_publications, maps, refresh_maps, search
from catalog.search.facets import id_map
from catalog.services import save_publication

pytestmark = pytest.mark.django_db


def stored_maps():
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, word, ids, docs FROM catalog_search_map")
        rows = cursor.fetchall()
    found = {}
    for kind, word, data, docs in rows:
        mask = maps.decode(data)
        assert mask.bit_count() == docs
        if mask:
            found[(kind, word)] = mask
    return found


@pytest.fixture
def shelf(make_publication):
    make_publication(
        title="Statistik Nelayan Kabupaten Kendal 2023",
        abstract="Rumah tangga nelayan dan produksi ikan.",
        subjects=["Perikanan"],
    )
    make_publication(
        title="Statistik Perikanan Kendal 2022",
        year=2022,
        abstract="Produksi ikan tangkap menurut kecamatan.",
        pages=["Ringkasan.", "Jumlah nelayan di pesisir Weleri."],
    )
    kda = make_publication(
        title="Kabupaten Kendal Dalam Angka 2023",
        year=2023,
        abstract="Data kependudukan dan pertanian.",
    )
    refresh_maps(force=True, min_docs=1)
    return kda


def test_maps_stay_exact_through_edits_uploads_and_unpublishing(shelf, make_publication):
    kda = shelf
    kda.title = "Kabupaten Kendal Dalam Angka Edisi Nelayan 2023"
    kda.abstract = "Data pertanian."
    save_publication(kda, by=None)
    make_publication(title="Statistik Nelayan Kendal 2024", pages=["Produksi ikan tangkap."])
    unpublished = Publication.objects.get(title="Statistik Perikanan Kendal 2022")
    unpublished.visibility = Visibility.DRAFT
    save_publication(unpublished, by=None)

    maintained = stored_maps()
    refresh_maps(force=True, min_docs=1)

    # Every map the writers kept equals the map rebuilt from the index (new words have none
    # until a rebuild, and are found through the index meanwhile).
    rebuilt = stored_maps()
    assert all(rebuilt.get(key, 0) == mask for key, mask in maintained.items())
    assert ("r", "duduk") not in rebuilt  # no publication has it in its record any more
    nelayan = rebuilt[("s", "nelayan")]
    assert {pk for pk in range(nelayan.bit_length()) if nelayan >> pk & 1} == set(
        Publication.objects.filter(title__contains="Nelayan").values_list("pk", flat=True)
    )


def test_bulk_write_makes_maps_stale_until_rebuilt_and_search_stays_right(shelf, kendal):
    assert maps.ready()
    before = [hit.publication.title for hit in search("nelayan ").hits]
    new = Publication.objects.bulk_create(
        [
            Publication(
                office=kendal,
                title=f"Profil Nelayan Desa {n}",
                year=2020,
                visibility=Visibility.PUBLISHED,
            )
            for n in range(maps.MAINTAIN_MAX + 1)
        ]
    )
    if new[0].pk is None:
        new = list(Publication.objects.filter(title__startswith="Profil Nelayan"))
    index_publications(new)

    assert not maps.ready()
    stale = search("nelayan ")
    assert stale.count == len(before) + len(new)
    assert refresh_maps(min_docs=1) > 0 and maps.ready()
    assert search("nelayan ").count == stale.count
    assert [hit.publication.title for hit in search("nelayan ").hits] == [
        hit.publication.title for hit in stale.hits
    ]


@pytest.mark.parametrize(
    "text",
    ["nelayan ", "nelay", "ikan tangkap", "kendal 2023", "weleri ", "kab kend", "2022 ", "zzz"],
)
def test_maps_and_index_give_the_same_answers(shelf, text):
    with_maps = search(text)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_search_map_state SET ready = %s", [False])
    with_index = search(text)

    assert with_maps.count == with_index.count
    assert [h.publication.pk for h in with_maps.hits] == [h.publication.pk for h in with_index.hits]
    assert [h.page_hits for h in with_maps.hits] == [h.page_hits for h in with_index.hits]
    assert with_maps.facets == with_index.facets


def test_small_catalogue_needs_no_maps(make_publication):
    make_publication(title="Statistik Daerah Kendal")
    assert refresh_maps() is None
    assert not maps.ready()


def test_every_rebuilt_map_is_what_the_index_says(shelf):
    backend = get_backend()
    stored = stored_maps()
    assert {kind for kind, _word in stored} == {"a", "r", "s"}
    for (kind, word), mask in stored.items():
        assert mask == id_map(backend.kind_ids(kind, None, words=[word])), (kind, word)
    # A word of a page only is in the "everything" map, not in the record's.
    assert ("a", "pesisir") in stored and ("r", "pesisir") not in stored
