import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from offices.models import Counter, Locker, Office
from tests.factories import CounterFactory, OfficeFactory

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def test_kendal_is_open_on_monday_morning_and_closed_on_sunday(kendal):
    monday = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=JAKARTA)
    sunday = datetime.datetime(2026, 11, 22, 9, 0, tzinfo=JAKARTA)
    monday_evening = datetime.datetime(2026, 11, 23, 16, 0, tzinfo=JAKARTA)

    assert kendal.is_open_at(monday) is True
    assert kendal.is_open_at(sunday) is False
    assert kendal.is_open_at(monday_evening) is False


def test_load_office_is_idempotent(kendal):
    call_command("load_office", "3324")

    assert Office.objects.filter(code="3324").count() == 1
    assert Counter.objects.filter(office=kendal).count() == 3
    assert Locker.objects.filter(office=kendal).count() == 12
    assert kendal.standards.count() == 4


def test_load_office_unknown_code_fails_with_a_message(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No reference data for office '9999'"):
        call_command("load_office", "9999")


def test_counter_services_must_be_known_codes(db):
    counter = CounterFactory.build(office=OfficeFactory(), services=["library", "bakery"])

    with pytest.raises(ValidationError) as error:
        counter.full_clean()

    assert "services" in error.value.message_dict


def test_office_code_and_timezone_are_validated(db):
    office = OfficeFactory.build(code="33A4", timezone="Mars/Olympus")

    with pytest.raises(ValidationError) as error:
        office.full_clean()

    assert set(error.value.message_dict) == {"code", "timezone"}
