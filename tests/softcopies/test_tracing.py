"""A delivered file is traced like any other copy: trace_pdf, the officer's trace page,
the download history and the statistics (delivery app, extended for delivered files)."""

import subprocess

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from delivery.models import DeliveryRecord
from softcopies import services
from softcopies.choices import Source, Status

from .conftest import image_upload


def _leak(client_for, make_request, description, clerk, citizen):
    created = make_request(description=description)
    services.deliver(
        created,
        by=clerk,
        source=Source.UPLOAD,
        uploads=[image_upload("a.png"), image_upload("b.png")],
    )
    response = client_for(citizen).post(
        reverse("softcopies:request-download", args=[created.number])
    )
    return created, b"".join(response.streaming_content)


def test_trace_command_names_the_delivered_copy(
    client_for, make_request, clerk, citizen, tmp_path, capsys
):
    _created, leak = _leak(client_for, make_request, "Peta Kendal 1995", clerk, citizen)
    copy = tmp_path / "leak.pdf"
    copy.write_bytes(leak)
    single = tmp_path / "page.pdf"
    subprocess.run(["qpdf", str(copy), "--pages", ".", "2", "--", str(single)], check=True)
    record = DeliveryRecord.objects.get()
    assert (record.publication, record.channel) == (None, "delivered")
    for path in (copy, single):
        call_command("trace_pdf", str(path))
        out = capsys.readouterr().out
        assert f"{record.trace_code}: Citra Warga <citizen@example.com>" in out
        assert "Peta Kendal 1995 (publication -)" in out


def test_officer_trace_page_and_history_show_the_delivered_copy(
    client_for, make_request, clerk, citizen
):
    created, leak = _leak(client_for, make_request, "Peta Kendal 1995", clerk, citizen)
    response = client_for(clerk).post(
        reverse("delivery:office-trace", args=["3324"]),
        {"file": SimpleUploadedFile("leak.pdf", leak, "application/pdf")},
    )
    assert [r.user for r in response.context["result"]["records"]] == [citizen]
    assert "Peta Kendal 1995" in response.content.decode()
    history = client_for(citizen).get(reverse("delivery:history")).content.decode()
    assert "Peta Kendal 1995" in history
    stats = client_for(clerk).get(reverse("delivery:office-statistics", args=["3324"]))
    assert list(stats.context["publications"]) == []
    created.refresh_from_db()
    assert created.status == Status.CLOSED


def test_close_command(make_request, hardcopy_book, clerk, settings, capsys):
    import time_machine

    created = make_request(hardcopy_book)
    services.deliver(created, by=clerk, source=Source.UPLOAD, uploads=[image_upload("a.png")])
    created.refresh_from_db()
    settings.SOFTCOPY_CLOSE_AFTER_DAYS = 3
    with time_machine.travel(created.delivered_at.timestamp() + 4 * 86400):
        call_command("close_softcopy_requests")
    assert capsys.readouterr().out.strip() == "closed 1 request(s)"
    created.refresh_from_db()
    assert created.status == Status.CLOSED
