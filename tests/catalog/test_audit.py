"""An officer's publication change reaches the central audit log; the worker's does not."""

from django.urls import reverse

from catalog.choices import ProcessingState
from catalog.models import Publication
from tests.audit import lines_since, mark, summary


def test_retry_writes_one_audit_line(
    client_for, clerk, kendal, make_publication, django_capture_on_commit_callbacks
):
    publication = make_publication(title="Ulang Proses", pages=["satu"])
    Publication.objects.filter(pk=publication.pk).update(processing_state=ProcessingState.FAILED)
    start = mark()

    with django_capture_on_commit_callbacks(execute=True):  # the worker runs; it has no officer
        client_for(clerk).post(
            reverse("catalog:office-publication-retry", args=["3324", publication.pk])
        )

    [line] = lines_since(start)
    assert summary(line) == (
        clerk,
        kendal,
        "state",
        f"catalog.Publication {publication.pk}",
        "processing_started",
        "127.0.0.1",
    )
