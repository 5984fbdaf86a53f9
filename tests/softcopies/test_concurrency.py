"""Real concurrent threads (PostgreSQL): one delivery per request, one close per request."""

import pytest
from django.db import connection

from delivery.models import DeliveredFile, DeliveryRecord
from softcopies import services
from softcopies.choices import Action, Source, Status
from softcopies.models import Fulfilment, RequestEvent
from tests.visits.test_concurrency import run_in_threads

from .conftest import image_upload

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite", reason="needs a database server"),
]


def test_two_officers_sending_at_once_deliver_once(make_request, hardcopy_book, clerk):
    created = make_request(hardcopy_book)

    def send(index):
        services.deliver(
            created, by=clerk, source=Source.UPLOAD, uploads=[image_upload(f"s{index}.png")]
        )
        return index

    results, errors = run_in_threads(4, send)
    assert len(results) == 1
    assert len(errors) == 3
    assert all(isinstance(error, services.SoftcopyError) for error in errors)
    created.refresh_from_db()
    assert created.status == Status.DELIVERED
    assert Fulfilment.objects.count() == 1
    assert DeliveredFile.objects.count() == 1


def test_concurrent_downloads_close_once(make_request, hardcopy_book, clerk, citizen):
    created = make_request(hardcopy_book)
    services.deliver(created, by=clerk, source=Source.UPLOAD, uploads=[image_upload("a.png")])
    created.refresh_from_db()

    results, errors = run_in_threads(
        5, lambda i: services.start_download(created, citizen).trace_code
    )
    assert errors == []
    assert len(set(results)) == 5
    assert DeliveryRecord.objects.filter(channel="delivered").count() == 5
    assert RequestEvent.objects.filter(request=created, action=Action.CLOSED).count() == 1
