import datetime
import io
import subprocess

import pikepdf
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from catalog.choices import AccessLevel
from catalog.samples import make_pdf
from catalog.services import save_publication
from core.fields import mask_email
from delivery import watermark
from delivery.models import DeliveryRecord, DownloadPolicy, PreparedCopy
from delivery.views.public import copy_url
from history.models import AuditEvent


def _download(client, publication):
    return client.post(reverse("delivery:publication-download", args=[publication.pk]))


def _body(response):
    return b"".join(response.streaming_content)


def test_download_is_a_stamped_valid_pdf_and_is_logged(client_for, citizen, publication, tmp_path):
    response = _download(client_for(citizen), publication)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    record = DeliveryRecord.objects.get()
    assert record.user == citizen and record.channel == "download"
    assert response["Content-Disposition"] == (
        f'attachment; filename="kecamatan-weleri-dalam-angka-2024-{record.trace_code}.pdf"'
    )
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(_body(response))
    assert subprocess.run(["qpdf", "--check", str(copy)], capture_output=True).returncode == 0
    text = subprocess.run(["pdftotext", str(copy), "-"], capture_output=True, text=True).stdout
    assert text.count("Citra Warga <citizen@example.com>") >= 8
    assert f"Kode jejak {record.trace_code}" in text
    assert "Jumlah penduduk Kecamatan Weleri" in text
    assert "WIB" in text and "kendalkab.bps.go.id" in text
    assert "Dilarang mengumumkan" in text
    record.refresh_from_db()
    assert record.bytes_served == copy.stat().st_size == int(response["Content-Length"])
    assert watermark.find_trace_codes(copy) == {record.trace_code}


def test_range_requests_return_the_matching_slice(client_for, citizen, publication):
    client = client_for(citizen)
    whole = _body(_download(client, publication))
    record = DeliveryRecord.objects.get()
    url = copy_url(record)

    part = client.get(url, headers={"Range": "bytes=100-299"})
    tail = client.get(url, headers={"Range": "bytes=-50"})
    beyond = client.get(url, headers={"Range": f"bytes={len(whole) + 10}-"})
    malformed = client.get(url, headers={"Range": "bytes=abc"})

    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-299/{len(whole)}"
    # The reader's copy is another record (another trace code), of the same length.
    assert len(_body(part)) == 200
    assert tail.status_code == 206 and _body(tail) == whole[-50:]
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(whole)}"
    assert malformed.status_code == 200 and len(_body(malformed)) == len(whole)


def test_reader_page_opens_at_the_requested_page_and_logs_a_read(client_for, citizen, publication):
    response = client_for(citizen).get(
        reverse("delivery:publication-read", args=[publication.pk]) + "?page=5"
    )

    assert response.status_code == 200
    assert response.context["page"] == 5
    record = DeliveryRecord.objects.get()
    assert record.channel == "read"
    body = response.content.decode()
    assert 'data-page="5"' in body
    assert record.trace_code in body


def test_copy_url_of_another_user_reveals_nothing(client_for, citizen, clerk, publication):
    client_for(citizen).get(reverse("delivery:publication-read", args=[publication.pk]))
    url = copy_url(DeliveryRecord.objects.get())

    assert client_for(clerk).get(url).status_code == 404
    assert client_for(citizen).get(url[:-3] + "xx/").status_code == 404
    assert client_for(citizen).get(url).status_code == 200


def test_unverified_user_cannot_read_or_download(client_for, unverified, publication):
    client = client_for(unverified)

    read = client.get(reverse("delivery:publication-read", args=[publication.pk]))
    download = _download(client, publication)

    assert read.status_code == 403
    assert "Konfirmasi alamat email" in read.content.decode()
    assert download.status_code == 302
    assert DeliveryRecord.objects.count() == 0


def test_anonymous_is_sent_to_login(client, publication):
    response = client.get(reverse("delivery:publication-read", args=[publication.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_read_only_publication_refuses_download(client_for, citizen, make_publication):
    publication = make_publication(access_level=AccessLevel.READ_ONLINE)

    response = _download(client_for(citizen), publication)
    reader = client_for(citizen).get(reverse("delivery:publication-read", args=[publication.pk]))

    assert response.status_code == 302
    assert DeliveryRecord.objects.filter(channel="download").count() == 0
    assert reader.status_code == 200
    assert "delivery/publications" not in reader.content.decode()
    assert reader.context["can_download"] is False


def test_on_request_publication_cannot_be_read(client_for, citizen, make_publication):
    publication = make_publication(access_level=AccessLevel.ON_REQUEST)

    response = client_for(citizen).get(reverse("delivery:publication-read", args=[publication.pk]))

    assert response.status_code == 403
    assert DeliveryRecord.objects.count() == 0


def test_download_limit_per_hour_gives_a_clear_message(client_for, citizen, publication, kendal):
    DownloadPolicy.objects.create(office=kendal, downloads_per_hour=2, downloads_per_day=10)
    client = client_for(citizen)

    first, second = _download(client, publication), _download(client, publication)
    third = client.post(
        reverse("delivery:publication-download", args=[publication.pk]), follow=True
    )

    assert (first.status_code, second.status_code) == (200, 200)
    assert "batas 2 unduhan per jam" in third.content.decode()
    assert DeliveryRecord.objects.count() == 2
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(hours=2)):
        assert _download(client, publication).status_code == 200


def test_damaged_original_gives_a_friendly_message_and_alerts_officers(
    client_for, citizen, clerk, publication, django_capture_on_commit_callbacks, mailoutbox
):
    from django.core.files.storage import default_storage

    with default_storage.open(publication.original_pdf.name, "wb") as handle:
        handle.write(b"%PDF-1.4 this is no longer a PDF")
    client = client_for(citizen)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("delivery:publication-download", args=[publication.pk]), follow=True
        )

    assert response.status_code == 200
    assert "Petugas telah diberi tahu" in response.content.decode()
    assert DeliveryRecord.objects.count() == 0
    assert PreparedCopy.objects.count() == 0
    assert [m.to for m in mailoutbox] == [["clerk@example.com"]]


def test_history_lists_only_my_records(
    client_for, citizen, clerk, publication, django_assert_num_queries
):
    _download(client_for(clerk), publication)
    client = client_for(citizen)
    for _ in range(3):
        _download(client, publication)

    response = client.get(reverse("delivery:history"))

    assert [r.user for r in response.context["page_obj"]] == [citizen] * 3


@pytest.mark.parametrize("count", [1, 3])
def test_history_query_count_does_not_grow(
    client_for, citizen, publication, count, django_assert_num_queries
):
    client = client_for(citizen)
    for _ in range(count):
        _download(client, publication)

    with django_assert_num_queries(6):  # session, user, staff menu, count, page, footer office
        client.get(reverse("delivery:history"))


def test_trace_command_names_the_record(client_for, citizen, publication, tmp_path, capsys):
    copy = tmp_path / "leak.pdf"
    copy.write_bytes(_body(_download(client_for(citizen), publication)))
    single = tmp_path / "page.pdf"
    subprocess.run(["qpdf", str(copy), "--pages", ".", "3", "--", str(single)], check=True)
    resaved = tmp_path / "resaved.pdf"
    subprocess.run(["qpdf", "--object-streams=generate", str(copy), str(resaved)], check=True)
    record = DeliveryRecord.objects.get()

    for path in (copy, single, resaved):
        call_command("trace_pdf", str(path))
        out = capsys.readouterr().out
        assert f"{record.trace_code}: Citra Warga <citizen@example.com>" in out
        assert "Kecamatan Weleri Dalam Angka 2024" in out
        assert "Diunduh" in out or "Downloaded" in out


def test_trace_command_without_trace(tmp_path, capsys, db):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"hello")

    call_command("trace_pdf", str(path))

    assert capsys.readouterr().out.strip() == "No trace found."


def test_officer_trace_page(client_for, clerk, citizen, publication):
    leak = _body(_download(client_for(citizen), publication))

    response = client_for(clerk).post(
        reverse("delivery:office-trace", args=["3324"]),
        {"file": SimpleUploadedFile("leak.pdf", leak, "application/pdf")},
    )
    empty = client_for(clerk).post(
        reverse("delivery:office-trace", args=["3324"]),
        {"file": SimpleUploadedFile("x.pdf", b"not a pdf", "application/pdf")},
    )

    assert [r.user for r in response.context["result"]["records"]] == [citizen]
    assert "citizen@example.com" in response.content.decode()
    assert "Tidak ditemukan jejak" in empty.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "citizen", "outsider_officer"])
@pytest.mark.parametrize("view", ["delivery:office-trace", "delivery:office-statistics"])
def test_office_pages_refuse_others(request, client_for, kendal, who, view):
    user = None if who == "anonymous" else request.getfixturevalue(who)

    response = client_for(user).get(reverse(view, args=[kendal.code]))

    assert response.status_code == (302 if user is None else 403)


@pytest.mark.parametrize("count", [1, 3])
def test_statistics_counts_per_publication_and_user(
    client_for, clerk, citizen, make_publication, count, django_assert_num_queries
):
    for index in range(count):
        publication = make_publication(
            title=f"Publikasi {index}", catalog_number=f"11020{index}.3324"
        )
        _download(client_for(citizen), publication)
        client_for(citizen).get(reverse("delivery:publication-read", args=[publication.pk]))
    client = client_for(clerk)

    with django_assert_num_queries(10):  # with the audit line
        response = client.get(reverse("delivery:office-statistics", args=["3324"]))

    rows = list(response.context["publications"])
    assert len(rows) == count
    assert all((r["reads"], r["downloads"]) == (1, 1) for r in rows)
    assert [u["user__email"] for u in response.context["users"]] == ["citizen@example.com"]
    html = response.content.decode()
    assert "citizen@example.com" not in html
    assert mask_email("citizen@example.com") in html
    line = AuditEvent.objects.get(target="delivery.DeliveryRecord readers")
    assert (line.actor, line.action, line.detail) == (clerk, "reveal", "last 30 days, page 1")


def _restricted_publication(make_publication, capture):
    """A publication whose PDF has an owner password (printing and copying restricted)."""
    publication = make_publication()
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(make_pdf(["Tabel 1. Penduduk", "Tabel 2. Padi"]))) as pdf:
        pdf.save(
            out,
            encryption=pikepdf.Encryption(
                owner="pemilik", user="", allow=pikepdf.Permissions(extract=False)
            ),
        )
    with capture(execute=True):
        save_publication(
            publication,
            by=None,
            pdf=SimpleUploadedFile("terbatas.pdf", out.getvalue(), "application/pdf"),
        )
    publication.refresh_from_db()
    return publication


def test_office_keeps_the_originals_restrictions_on_copies_when_it_chooses(
    client_for, citizen, make_publication, kendal, tmp_path, django_capture_on_commit_callbacks
):
    publication = _restricted_publication(make_publication, django_capture_on_commit_callbacks)
    client = client_for(citizen)

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(_body(_download(client, publication)))
    DownloadPolicy.objects.filter(office=kendal).update(keep_pdf_permissions=True)
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(_body(_download(client, publication)))

    with pikepdf.open(plain) as pdf:
        assert not pdf.is_encrypted
    with pikepdf.open(kept) as pdf:
        assert pdf.is_encrypted and pdf.allow.extract is False and pdf.allow.print_highres
    for copy in (plain, kept):
        assert subprocess.run(["qpdf", "--check", str(copy)], capture_output=True).returncode == 0
    records = DeliveryRecord.objects.order_by("created_at", "pk")
    assert watermark.find_trace_codes(kept) == {records[1].trace_code}
    text = subprocess.run(["pdftotext", str(kept), "-"], capture_output=True, text=True).stdout
    assert f"Kode jejak {records[1].trace_code}" in text
    prepared = PreparedCopy.objects.get(publication=publication)
    assert prepared.plan["keep_permissions"] is True
    assert publication.events.filter(action="copies_prepared").count() == 2


def test_preparation_notes_reach_the_publication_history(
    client_for, citizen, make_publication, django_capture_on_commit_callbacks
):
    publication = _restricted_publication(make_publication, django_capture_on_commit_callbacks)

    _download(client_for(citizen), publication)

    prepared = PreparedCopy.objects.get(publication=publication)
    event = publication.events.get(action="copies_prepared")
    assert prepared.notes and prepared.notes in event.note
