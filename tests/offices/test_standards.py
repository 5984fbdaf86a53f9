import pytest
from django.urls import reverse

from offices.choices import Service
from offices.models import ServiceStandard, StandardConflict


def _edit_url(office, service="library"):
    return reverse("offices:standard-edit", args=[office.code, service])


def _post_data(standard, **overrides):
    data = {name: getattr(standard, name) for name in ServiceStandard.CONTENT_FIELDS}
    data.update(base_version=standard.version, change_note="Revisi jam layanan")
    data.update(overrides)
    return data


def test_kendal_library_standard_is_seeded_from_the_seed(kendal):
    standard = ServiceStandard.objects.current_for(kendal, Service.LIBRARY)

    assert standard.version == 1
    assert standard.walk_in_target_minutes == 10
    assert "10 (sepuluh) menit" in standard.service_time_walk_in
    assert standard.products_online == "Pustaka softcopy berwatermark"
    assert "LAPOR" in standard.complaint_handling
    assert set(kendal.standards.values_list("service", flat=True)) == set(Service.values)


def test_public_standard_page_shows_walk_in_and_online_variants(client, kendal):
    response = client.get(reverse("offices:standard-detail", args=["3324", "library"]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Pengguna layanan mengisi buku tamu" in body
    assert "Pustaka softcopy berwatermark" in body
    assert "maksimal 10 (sepuluh) menit setelah mengisi buku tamu" in body
    assert "Sunting standar ini" not in body  # anonymous users get no edit link


def test_public_standard_page_unknown_service_is_404(client, kendal):
    response = client.get(reverse("offices:standard-detail", args=["3324", "bakery"]))

    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_standard_list_lists_the_four_services(client, kendal, django_assert_num_queries):
    with django_assert_num_queries(3):  # office, current standards, footer office
        response = client.get(reverse("offices:standard-list", args=["3324"]))

    assert [s.service for s in response.context["standards"]] == Service.values


def test_supervisor_edit_creates_a_new_version_and_keeps_the_old(client_for, supervisor, kendal):
    current = ServiceStandard.objects.current_for(kendal, "library")

    response = client_for(supervisor).post(
        _edit_url(kendal), _post_data(current, walk_in_target_minutes=5)
    )

    assert response.status_code == 302
    versions = list(
        ServiceStandard.objects.filter(office=kendal, service="library").order_by("version")
    )
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].walk_in_target_minutes == 10
    assert versions[1].walk_in_target_minutes == 5
    assert versions[1].created_by == supervisor
    assert versions[1].change_note == "Revisi jam layanan"
    assert ServiceStandard.objects.current_for(kendal, "library").pk == versions[1].pk


def test_edit_based_on_an_old_version_is_refused(client_for, supervisor, kendal):
    current = ServiceStandard.objects.current_for(kendal, "library")
    current.revise(by=supervisor, change_note="first", pledge="Janji baru")

    response = client_for(supervisor).post(_edit_url(kendal), _post_data(current, pledge="X"))

    assert response.status_code == 200
    assert "versi yang lebih baru" in response.content.decode()
    assert ServiceStandard.objects.filter(office=kendal, service="library").count() == 2


def test_edit_with_invalid_target_saves_nothing(client_for, supervisor, kendal):
    current = ServiceStandard.objects.current_for(kendal, "library")

    response = client_for(supervisor).post(
        _edit_url(kendal), _post_data(current, walk_in_target_minutes=0, change_note="")
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"walk_in_target_minutes", "change_note"}
    assert ServiceStandard.objects.filter(office=kendal, service="library").count() == 1


@pytest.mark.parametrize("who", ["anonymous", "citizen", "clerk", "outsider_officer"])
@pytest.mark.parametrize("view", ["standard-edit", "standard-history"])
def test_standard_edit_pages_refuse_non_supervisors(request, client_for, kendal, who, view):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    url = reverse(f"offices:{view}", args=[kendal.code, "library"])

    get = client_for(user).get(url)
    post = client_for(user).post(url, {})

    if user is None:
        assert get.status_code == 302 and get.url.startswith(reverse("account_login"))
        assert post.status_code == 302
    else:
        assert get.status_code == 403
        assert post.status_code == 403
        assert "Akses ditolak" in get.content.decode()
    assert ServiceStandard.objects.filter(office=kendal, service="library").count() == 1


def test_history_lists_versions_and_shows_an_old_text(client_for, supervisor, kendal):
    current = ServiceStandard.objects.current_for(kendal, "library")
    current.revise(by=supervisor, change_note="Janji diperbarui", pledge="Janji versi dua")
    url = reverse("offices:standard-history", args=[kendal.code, "library"])

    newest = client_for(supervisor).get(url)
    oldest = client_for(supervisor).get(url + "?version=1")

    assert [v.version for v in newest.context["versions"]] == [2, 1]
    assert "Janji versi dua" in newest.content.decode()
    assert "Janji versi dua" not in oldest.content.decode()
    assert "Janji diperbarui" in oldest.content.decode()


def test_revise_rejects_unknown_fields_and_stale_versions(kendal, supervisor):
    current = ServiceStandard.objects.current_for(kendal, "library")
    current.revise(by=supervisor, pledge="v2")

    with pytest.raises(StandardConflict):
        current.revise(by=supervisor, pledge="v3 from a stale copy")
    with pytest.raises(ValueError):
        ServiceStandard.objects.current_for(kendal, "library").revise(by=supervisor, office=None)
