def test_office_detail_has_hours_and_counters(client, kendal):
    response = client.get("/api/v1/offices/3324")

    data = response.json()
    assert response.status_code == 200
    assert data["name"] == "BPS Kabupaten Kendal"
    assert [h["weekday"] for h in data["opening_hours"]] == [0, 1, 2, 3, 4]
    assert [c["services"] for c in data["counters"]][0] == ["library"]


def test_office_list_query_count_does_not_grow(
    client, kendal, other_office, django_assert_num_queries
):
    with django_assert_num_queries(3):  # offices, hours, counters
        response = client.get("/api/v1/offices")

    assert [o["code"] for o in response.json()] == ["3324", "3374"]


def test_unknown_office_is_404(client, db):
    response = client.get("/api/v1/offices/9999")

    assert response.status_code == 404
    assert response.json() == {"detail": "Tidak ditemukan.", "code": "not_found"}


def test_current_library_standard_reads_the_time_target(client, kendal):
    response = client.get("/api/v1/offices/3324/standards/library")

    assert response.status_code == 200
    assert response.json()["walk_in_target_minutes"] == 10
    assert response.json()["version"] == 1
