import pytest
from django.urls import reverse

from catalog.choices import Visibility
from catalog.search import refresh_maps

pytestmark = pytest.mark.django_db

LIST_URL = "/publications/"


def test_url_names_are_the_contract():
    assert reverse("catalog:publication-list") == "/publications/"
    assert reverse("catalog:publication-detail", args=[7]) == "/publications/7/"


def test_search_page_shows_snippet_page_hit_and_facets(client, make_publication):
    publication = make_publication(
        title="Kecamatan Weleri Dalam Angka 2024",
        pages=["Pengantar", "Jumlah penduduk Kecamatan Weleri tahun 2023 sebanyak 61.245 jiwa."],
        subjects=["Kependudukan"],
    )
    response = client.get(LIST_URL, {"q": "jumlah penduduk weleri"})
    body = response.content.decode()
    assert response.status_code == 200
    assert f'href="/publications/{publication.pk}/"' in body
    assert "<mark>penduduk</mark>" in body.lower()
    # A hit inside the PDF opens the reader at its page.
    assert f'href="/publications/{publication.pk}/read/?page=2"' in body
    assert 'Kependudukan</a> <span class="count">(1)</span>' in body


def test_htmx_search_returns_only_the_results(client, make_publication):
    make_publication(title="Statistik Hortikultura Kabupaten Kendal 2023")
    response = client.get(LIST_URL, {"q": "hortikul"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert "Statistik Hortikultura Kabupaten Kendal 2023" in body


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"; DROP TABLE x; --', "year": "abc", "subject": "-1", "page": "999999"},
        {"q": "x" * 10000, "office": "<script>"},
        {"q": "(((", "availability": "teleport", "sort": "random"},
    ],
)
def test_bad_parameters_never_error(client, make_publication, params):
    make_publication(title="Kabupaten Kendal Dalam Angka 2024")
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


@pytest.mark.parametrize("count", [1, 3])
def test_search_page_queries(client, make_publication, django_assert_num_queries, count):
    for index in range(count):
        make_publication(
            title=f"Statistik Penduduk {index}",
            catalog_number=f"11{index}.3324",
            pages=[f"Penduduk halaman {index}"],
            subjects=["Kependudukan"],
        )
    from django.db import connection

    # office (footer), catalogue generation, facet map reload (publications, offices,
    # subjects of publications, subjects: the catalogue just changed), word maps ready?,
    # matching ids, their relevance order, publications, page hits, page texts, the search
    # log (reports.SearchLog). SQLite also expands the typed word from its vocabulary (1).
    expected = 13 + (1 if connection.vendor == "sqlite" else 0)
    with django_assert_num_queries(expected):
        response = client.get(LIST_URL, {"q": "penduduk"})
    assert response.content.decode().count('class="result"') == count


@pytest.mark.parametrize("count", [1, 3])
def test_search_page_queries_with_word_maps(
    client, make_publication, django_assert_num_queries, count
):
    for index in range(count):
        make_publication(
            title=f"Statistik Penduduk {index}",
            catalog_number=f"11{index}.3324",
            pages=[f"Penduduk halaman {index}"],
        )
    refresh_maps(force=True, min_docs=1)
    # office, catalogue generation, facet map reload (4), word maps ready?, the typed word's
    # expansions (vocabulary), their maps, relevance order, publications, page hits, page
    # texts, the search log.
    with django_assert_num_queries(14):
        response = client.get(LIST_URL, {"q": "penduduk"})
    assert response.content.decode().count('class="result"') == count


def test_detail_page_shows_holdings_and_related(client, make_publication):
    older = make_publication(title="Kabupaten Kendal Dalam Angka 2023", year=2023)
    publication = make_publication(
        title="Kabupaten Kendal Dalam Angka 2024",
        catalog_number="1102001.3324",
        hardcopy_copies=3,
        hardcopy_call_number="310 KEN k",
        subjects=["Kependudukan"],
        pages=["Isi"],
    )
    publication.related.add(older)
    body = client.get(publication.get_absolute_url()).content.decode()
    assert "1102001.3324" in body
    assert "310 KEN k" in body
    assert f'href="/publications/{older.pk}/"' in body
    assert f'src="/publications/{publication.pk}/cover.webp"' in body
    # Read and (watermarked) download controls of the delivery app, for a downloadable item.
    assert f'href="/publications/{publication.pk}/read/"' in body
    assert f'action="/publications/{publication.pk}/download/"' in body


def test_draft_is_hidden_from_the_public(client_for, citizen, clerk, make_publication):
    draft = make_publication(title="Draf", visibility=Visibility.DRAFT, pages=["satu"])
    assert client_for(None).get(draft.get_absolute_url()).status_code == 404
    assert client_for(citizen).get(draft.get_absolute_url()).status_code == 404
    cover = reverse("catalog:publication-cover", args=[draft.pk])
    assert client_for(None).get(cover).status_code == 404
    assert client_for(clerk).get(draft.get_absolute_url()).status_code == 200
    own = client_for(clerk).get(cover)
    assert own["Content-Type"] == "image/webp"
    assert own["Cache-Control"] == "private, no-store"
    own.close()


def test_cover_is_served_by_the_view(client, make_publication):
    publication = make_publication(title="Bersampul", pages=["satu"])
    response = client.get(reverse("catalog:publication-cover", args=[publication.pk]))
    assert response["Content-Type"] == "image/webp"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"


def test_cover_missing_is_404(client, make_publication):
    publication = make_publication(title="Tanpa Sampul")
    assert (
        client.get(reverse("catalog:publication-cover", args=[publication.pk])).status_code == 404
    )


def test_home_page_search_box_points_to_the_catalogue(client, kendal):
    body = client.get("/").content.decode()
    assert 'action="/publications/"' in body
