"""A trace lookup reads who downloaded a copy: it is a REVEAL line of the audit log."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.samples import make_pdf
from tests.audit import lines_since, mark, summary


def test_trace_lookup_writes_one_reveal_line(client_for, clerk, kendal):
    upload = SimpleUploadedFile("bocor.pdf", make_pdf(["Tanpa kode"]), "application/pdf")
    start = mark()

    client_for(clerk).post(reverse("delivery:office-trace", args=["3324"]), {"file": upload})

    [line] = lines_since(start)
    assert summary(line) == (
        clerk,
        kendal,
        "reveal",
        "delivery.DeliveryRecord trace",
        "—: 0 record(s)",
        "127.0.0.1",
    )
