import pytest
from django.core import mail
from django.urls import reverse

from delivery.models import DeliveredFile, DeliveryRecord
from delivery.services import trace_file
from softcopies import services
from softcopies.choices import Action, Source, Status
from softcopies.models import InternalNote, SoftcopyRequest
from tests.factories import UserFactory

from .conftest import image_upload

pytestmark = pytest.mark.django_db


def _deliver(created, clerk):
    services.deliver(created, by=clerk, source=Source.UPLOAD, uploads=[image_upload("a.png")])
    created.refresh_from_db()
    return created


# --- "Kiriman saya" and the requester's pages ---------------------------------------


def test_list_needs_login(client_for):
    response = client_for(None).get(reverse("softcopies:request-list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_list_shows_only_own_requests(client_for, make_request, citizen):
    mine = make_request()
    make_request(user=UserFactory(email="other@example.com"))
    response = client_for(citizen).get(reverse("softcopies:request-list"))
    assert [item.number for item in response.context["page_obj"]] == [mine.number]


@pytest.mark.parametrize("count", [1, 3])
def test_list_queries_do_not_grow(
    client_for, make_request, citizen, hardcopy_book, clerk, count, django_assert_num_queries
):
    for _ in range(count):
        _deliver(make_request(hardcopy_book), clerk)
    client = client_for(citizen)
    # session, user, count, page of requests (with their files), site office, staff check
    with django_assert_num_queries(6):
        response = client.get(reverse("softcopies:request-list"))
    assert len(response.context["page_obj"]) == count
    assert response.content.decode().count("Unduh SC-") == count


def test_create_online_request(client_for, citizen, hardcopy_book):
    client = client_for(citizen)
    page = client.get(reverse("softcopies:request-create") + f"?publication={hardcopy_book.pk}")
    assert page.context["form"].initial["publication"] == hardcopy_book
    response = client.post(
        reverse("softcopies:request-create"),
        {
            "publication": hardcopy_book.pk,
            "pages": "12-13",
            "file_format": "pdf",
            "purpose": "Penelitian",
        },
    )
    created = SoftcopyRequest.objects.get()
    assert response["Location"] == created.get_absolute_url()
    assert (created.user, created.publication, created.pages, created.channel) == (
        citizen,
        hardcopy_book,
        "12-13",
        "online",
    )


def test_create_refused_for_unverified_user(client_for, unverified, hardcopy_book):
    response = client_for(unverified).post(
        reverse("softcopies:request-create"),
        {"publication": hardcopy_book.pk, "file_format": "pdf", "purpose": "Penelitian"},
    )
    assert response.status_code == 200
    assert SoftcopyRequest.objects.count() == 0
    assert response.context["form"].non_field_errors()


def test_create_needs_publication_or_description(client_for, citizen):
    response = client_for(citizen).post(
        reverse("softcopies:request-create"), {"file_format": "pdf", "purpose": "Penelitian"}
    )
    assert response.context["form"].non_field_errors()
    assert SoftcopyRequest.objects.count() == 0


def test_detail_of_another_users_request_is_404(client_for, make_request, clerk):
    created = make_request()
    other = UserFactory(email="other@example.com")
    assert client_for(other).get(created.get_absolute_url()).status_code == 404
    assert client_for(None).get(created.get_absolute_url()).status_code == 302


def test_detail_shows_public_history_only(client_for, make_request, citizen, clerk):
    created = make_request()
    created.start(by=clerk)
    services.add_note(created, text="Catatan rahasia petugas", by=clerk)
    response = client_for(citizen).get(created.get_absolute_url())
    body = response.content.decode()
    assert [e.action for e in response.context["events"]] == [Action.CREATED, Action.STARTED]
    assert "Catatan rahasia petugas" not in body


def test_cancel_asks_then_cancels(client_for, make_request, citizen):
    created = make_request()
    client = client_for(citizen)
    url = reverse("softcopies:request-cancel", args=[created.number])
    assert "Ya, batalkan" in client.get(url).content.decode()
    created.refresh_from_db()
    assert created.status == Status.RECEIVED
    client.post(url)
    created.refresh_from_db()
    assert created.status == Status.CANCELLED


def test_cancel_of_another_users_request_is_404(client_for, make_request):
    created = make_request()
    other = UserFactory(email="other@example.com")
    url = reverse("softcopies:request-cancel", args=[created.number])
    assert client_for(other).post(url).status_code == 404
    created.refresh_from_db()
    assert created.status == Status.RECEIVED


def test_download_is_stamped_for_the_owner(
    client_for, make_request, citizen, clerk, hardcopy_book, tmp_path
):
    created = _deliver(make_request(hardcopy_book), clerk)
    response = client_for(citizen).post(
        reverse("softcopies:request-download", args=[created.number])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    path = tmp_path / "copy.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    record = DeliveryRecord.objects.get()
    assert trace_file(path) == ({record.trace_code}, [record])
    assert record.bytes_served == path.stat().st_size


def test_download_refused_to_others_and_before_delivery(
    client_for, make_request, citizen, clerk, hardcopy_book
):
    created = make_request(hardcopy_book)
    url = reverse("softcopies:request-download", args=[created.number])
    response = client_for(citizen).post(url)
    assert response["Location"] == created.get_absolute_url()
    _deliver(created, clerk)
    assert client_for(UserFactory(email="x@example.com")).post(url).status_code == 404
    assert client_for(citizen).get(url).status_code == 405
    assert DeliveryRecord.objects.count() == 0


# --- the officer's work queue ------------------------------------------------------


def test_queue_refuses_non_officers(client_for, kendal, citizen, outsider_officer):
    url = reverse("softcopies:office-queue", args=[kendal.code])
    assert client_for(None).get(url).status_code == 302
    assert client_for(citizen).get(url).status_code == 403
    assert client_for(outsider_officer).get(url).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_queue_queries_do_not_grow(
    client_for, kendal, make_request, clerk, count, django_assert_num_queries
):
    for _ in range(count):
        make_request()
    client = client_for(clerk)
    url = reverse("softcopies:office-queue", args=[kendal.code])
    # session, user, office, membership, officers, count, page, overdue count
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["page_obj"]) == count


def test_queue_filters(client_for, kendal, make_request, clerk, supervisor):
    mine, theirs, free = make_request(), make_request(), make_request()
    mine.assign(to=clerk, by=clerk)
    theirs.assign(to=supervisor, by=clerk)
    SoftcopyRequest.objects.filter(pk=theirs.pk).update(due_date="2020-01-01")
    client = client_for(clerk)
    url = reverse("softcopies:office-queue", args=[kendal.code])

    def numbers(query):
        return {item.number for item in client.get(url, query).context["page_obj"]}

    assert numbers({"assignee": "me"}) == {mine.number}
    assert numbers({"assignee": "none"}) == {free.number}
    assert numbers({"assignee": str(supervisor.pk)}) == {theirs.number}
    assert numbers({"due": "overdue"}) == {theirs.number}
    free.cancel(by=free.user)
    assert numbers({}) == {mine.number, theirs.number}
    assert numbers({"status": "cancelled"}) == {free.number}
    response = client.get(url)
    assert response.context["overdue_count"] == 1
    assert 'class="overdue"' in response.content.decode()


def test_summary_is_for_supervisors(client_for, kendal, make_request, clerk, supervisor):
    late = make_request()
    SoftcopyRequest.objects.filter(pk=late.pk).update(due_date="2020-01-01")
    url = reverse("softcopies:office-summary", args=[kendal.code])
    assert client_for(clerk).get(url).status_code == 403
    response = client_for(supervisor).get(url)
    assert [item.number for item in response.context["page_obj"]] == [late.number]


def test_office_detail_of_another_office_is_refused(
    client_for, make_request, outsider_officer, other_office, kendal
):
    created = make_request()
    assert client_for(outsider_officer).get(created.get_office_url()).status_code == 403
    url = reverse("softcopies:office-detail", args=[other_office.code, created.number])
    assert client_for(outsider_officer).get(url).status_code == 404


def test_officer_starts_assigns_notes_and_rejects(
    client_for, kendal, make_request, clerk, supervisor, django_capture_on_commit_callbacks
):
    created = make_request()
    client = client_for(clerk)
    args = [kendal.code, created.number]
    client.post(reverse("softcopies:office-start", args=args))
    client.post(reverse("softcopies:office-assign", args=args), {"officer": supervisor.pk})
    client.post(reverse("softcopies:office-note", args=args), {"text": "Buku di gudang"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("softcopies:office-reject", args=args), {"reason": "Rusak"})
    created.refresh_from_db()
    assert (created.status, created.assignee, created.rejection_reason) == (
        Status.REJECTED,
        supervisor,
        "Rusak",
    )
    assert InternalNote.objects.get().author == clerk
    assert list(created.events.values_list("action", flat=True)) == [
        Action.CREATED,
        Action.STARTED,
        Action.ASSIGNED,
        Action.REJECTED,
    ]
    assert mail.outbox[-1].to == [created.user.email]


@pytest.mark.parametrize("action", ["start", "assign", "reject", "note", "deliver"])
def test_officer_actions_refuse_others(
    client_for, kendal, make_request, citizen, outsider_officer, action
):
    created = make_request()
    url = reverse(f"softcopies:office-{action}", args=[kendal.code, created.number])
    assert client_for(None).post(url).status_code == 302
    assert client_for(citizen).post(url).status_code == 403
    assert client_for(outsider_officer).post(url).status_code == 403
    created.refresh_from_db()
    assert (created.status, created.assignee) == (Status.RECEIVED, None)


def test_officer_uploads_scans_in_name_order(
    client_for, kendal, make_request, clerk, hardcopy_book, django_capture_on_commit_callbacks
):
    created = make_request(hardcopy_book)
    url = reverse("softcopies:office-deliver", args=[kendal.code, created.number])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk).post(
            url,
            {
                "source": "upload",
                "scans": [
                    image_upload("scan-10.png", size=(100, 100)),
                    image_upload("scan-2.png", size=(200, 200)),
                ],
            },
        )
    assert response["Location"] == created.get_office_url()
    created.refresh_from_db()
    assert created.status == Status.DELIVERED
    import pikepdf
    from django.core.files.storage import default_storage

    name = created.fulfilment.delivered_file.file.name
    with default_storage.open(name) as handle, pikepdf.open(handle) as pdf:
        widths = [round(float(page.mediabox[2])) for page in pdf.pages]
    # 150 dpi: scan-2 (200 px) is 96 pt wide, scan-10 (100 px) 48 pt.
    assert widths == [96, 48]
    assert mail.outbox[-1].to == ["citizen@example.com"]


def test_bad_upload_shows_message_and_saves_nothing(
    client_for, kendal, make_request, clerk, hardcopy_book
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    created = make_request(hardcopy_book)
    url = reverse("softcopies:office-deliver", args=[kendal.code, created.number])
    response = client_for(clerk).post(
        url,
        {"source": "upload", "scans": [SimpleUploadedFile("x.png", b"GIF89a not really")]},
    )
    assert response.status_code == 400
    assert "x.png" in str(response.context["deliver_form"].non_field_errors())
    created.refresh_from_db()
    assert created.status == Status.RECEIVED
    assert DeliveredFile.objects.count() == 0


def test_page_range_outside_document_shows_message(
    client_for, kendal, make_request, clerk, on_request_publication
):
    created = make_request(on_request_publication)
    url = reverse("softcopies:office-deliver", args=[kendal.code, created.number])
    response = client_for(clerk).post(url, {"source": "pages", "page_range": "5-99"})
    assert response.status_code == 400
    assert "99" in str(response.context["deliver_form"].non_field_errors())
    created.refresh_from_db()
    assert created.status == Status.RECEIVED


def test_officer_opens_on_site_request_for_visit(client_for, kendal, citizen, clerk, hardcopy_book):
    from .test_services import _served_visit

    visit = _served_visit(kendal, citizen, clerk)
    response = client_for(clerk).post(
        reverse("softcopies:office-create", args=[kendal.code]),
        {
            "visit": visit.pk,
            "kind": "scan",
            "publication": hardcopy_book.pk,
            "pages": "1-2",
            "file_format": "pdf",
        },
    )
    created = SoftcopyRequest.objects.get()
    assert response["Location"] == created.get_office_url()
    assert (created.kind, created.channel, created.visit, created.user, created.created_by) == (
        "scan",
        "on_site",
        visit,
        citizen,
        clerk,
    )


def test_on_site_request_refused_for_citizen(client_for, kendal, citizen):
    url = reverse("softcopies:office-create", args=[kendal.code])
    assert client_for(citizen).get(url).status_code == 403


def test_visit_page_links_to_its_requests(client_for, kendal, citizen, clerk, hardcopy_book):
    from .test_services import _served_visit

    visit = _served_visit(kendal, citizen, clerk)
    created = services.create_request(
        office=kendal,
        user=citizen,
        publication=hardcopy_book,
        purpose="Riset",
        visit=visit,
        by=clerk,
    )
    body = client_for(clerk).get(f"/office/{kendal.code}/visits/{visit.pk}/").content.decode()
    assert f"/office/{kendal.code}/softcopies/new/?visit={visit.pk}" in body
    assert f'href="/office/{kendal.code}/softcopies/{created.number}/"' in body


def test_assign_to_me(client_for, kendal, make_request, clerk):
    created = make_request()
    client = client_for(clerk)
    assert "Tugaskan ke saya" in client.get(created.get_office_url()).content.decode()
    client.post(
        reverse("softcopies:office-assign", args=[kendal.code, created.number]),
        {"officer": clerk.pk},
    )
    created.refresh_from_db()
    assert created.assignee == clerk


def test_back_office_home_flags_overdue_requests(client_for, kendal, make_request, supervisor):
    late = make_request()
    make_request()
    SoftcopyRequest.objects.filter(pk=late.pk).update(due_date="2020-01-01")
    body = client_for(supervisor).get(reverse("offices:office-home")).content.decode()
    assert f'href="/office/{kendal.code}/softcopies/?due=overdue">1 melewati tenggat</a>' in body
