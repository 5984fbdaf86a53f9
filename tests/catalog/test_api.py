import pytest

from catalog.choices import Visibility

pytestmark = pytest.mark.django_db


def test_api_search_returns_count_results_and_facets(client, make_publication):
    publication = make_publication(
        title="Kecamatan Weleri Dalam Angka 2024",
        catalog_number="1102001.3324120",
        pages=["Pengantar", "Jumlah penduduk Kecamatan Weleri 61.245 jiwa."],
        subjects=["Kependudukan"],
    )
    make_publication(title="Statistik Hortikultura 2023", year=2023)
    response = client.get("/api/v1/publications", {"q": "penduduk weleri"})
    data = response.json()
    assert data["count"] == 1
    result = data["results"][0]
    assert result["id"] == publication.pk
    assert result["url"] == f"http://testserver/publications/{publication.pk}/"
    # Page 2 has every word; page 1 only the running title ("Weleri"), so it comes second.
    assert [hit["page"] for hit in result["page_hits"]] == [2, 1]
    assert "<mark>" in result["page_hits"][0]["snippet"]
    assert data["facets"]["subject"][0]["label"] == "Kependudukan"
    assert data["facets"]["year"] == [{"value": 2024, "label": "2024", "count": 1}]


def test_api_filters_by_year_office_and_subject(client, make_publication):
    from catalog.models import Subject

    make_publication(title="A 2024", subjects=["Kependudukan"])
    make_publication(title="B 2023", year=2023)
    subject = Subject.objects.get(title="Kependudukan")
    assert client.get("/api/v1/publications", {"year": 2023}).json()["count"] == 1
    assert client.get("/api/v1/publications", {"office": "3324"}).json()["count"] == 2
    assert client.get("/api/v1/publications", {"office": "9999"}).json()["count"] == 0
    assert client.get("/api/v1/publications", {"subject": subject.pk}).json()["count"] == 1


@pytest.mark.parametrize("q", ['"unterminated', "a AND OR NOT (", "'; select 1; --", "語"])
def test_api_odd_queries_are_fine(client, make_publication, q):
    make_publication(title="A")
    response = client.get("/api/v1/publications", {"q": q})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_api_rejects_bad_parameter_types(client, kendal):
    response = client.get("/api/v1/publications", {"year": "abc"})
    assert response.status_code == 422


def test_api_detail(client, make_publication):
    publication = make_publication(
        title="Kabupaten Kendal Dalam Angka 2024",
        catalog_number="1102001.3324",
        hardcopy_copies=2,
        subjects=["Kependudukan"],
    )
    data = client.get(f"/api/v1/publications/{publication.pk}").json()
    assert data["catalog_number"] == "1102001.3324"
    assert data["hardcopy"] == {"copies": 2, "call_number": "", "reading_room_only": True}
    assert data["subjects"][0]["category"] == "Sosial dan Kependudukan"
    assert data["has_softcopy"] is False


def test_api_detail_hides_drafts_even_from_officers(client_for, clerk, make_publication):
    draft = make_publication(title="Draf", visibility=Visibility.DRAFT)
    assert client_for(None).get(f"/api/v1/publications/{draft.pk}").status_code == 404
    assert client_for(clerk).get(f"/api/v1/publications/{draft.pk}").status_code == 404
    assert client_for(None).get("/api/v1/publications/999999").status_code == 404


def test_api_is_in_the_openapi_schema(client, kendal):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/publications" in paths
    assert "/api/v1/publications/{publication_id}" in paths
