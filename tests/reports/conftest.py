"""A hand-made November 2026 at Kendal, with the figures it must give (see test_sections).

Times are Asia/Jakarta (UTC+7). Walk-in visits: A (library, waited 4 min) and B
(library, 12 min) on Monday 2 Nov, A again (consultation, 8 min) and C (library,
not served) on Wednesday 4 Nov. Online: D reads twice on 3 Nov and downloads on 5 Nov,
A downloads late on 2 Nov, B reads at 03.00 on 1 Nov (31 Oct in UTC); C gets a copy
from an officer. Noise that must not count: another office, October, December.
"""

import datetime
import zoneinfo

import pytest
import time_machine

from catalog.models import Publication, SearchLog, Subject
from catalog.subjects import load_subjects
from complaints.choices import Channel as ComplaintChannel
from complaints.choices import Status
from complaints.models import Complaint
from delivery.choices import Channel
from delivery.models import DeliveryRecord
from feedback.models import SurveyResponse
from softcopies.models import SoftcopyRequest
from tests.factories import UserFactory
from visits.models import GuestBookEntry, QueueTicket, Visit

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=JAKARTA)


def at(day, hour, minute=0):
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=JAKARTA)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def make_visit(office, visitor, *, start, wait=None, service="library", number=None, target=10):
    ticket = None
    if number:
        ticket = QueueTicket.objects.create(
            office=office,
            service=service,
            day=start.date(),
            sequence=int(number[2:]),
            number=number,
            status="done",
            issued_at=start - datetime.timedelta(minutes=2),
        )
    visit = Visit.objects.create(
        office=office,
        ticket=ticket,
        visitor=visitor,
        day=start.date(),
        service=service,
        target_minutes=target,
        guest_book_at=start,
        service_started_at=start + datetime.timedelta(minutes=wait) if wait is not None else None,
    )
    GuestBookEntry.objects.create(
        visit=visit,
        full_name=visitor.full_name,
        email=visitor.email,
        phone="0812 0000 1111",
        card_type="ktp",
        services=[service],
        purpose="Data penduduk",
    )
    return visit


@pytest.fixture
def people(db):
    return {
        "A": UserFactory(
            email="ani@example.com",
            full_name="Ani Mahasiswa",
            sex="female",
            education="bachelor",
            occupation="student",
            institution_category="research_education",
            purpose="school",
        ),
        "B": UserFactory(
            email="budi@example.com",
            full_name="Budi Pegawai",
            sex="male",
            education="master",
            occupation="civil_servant",
            institution_category="local_government",
            purpose="government",
        ),
        "C": UserFactory(
            email="cici@example.com",
            full_name="Cici Tanpa Profil",
            sex="",
            education="",
            occupation="",
            institution_category="",
            purpose="",
            age_group="",
        ),
        "D": UserFactory(
            email="dedi@example.com",
            full_name="Dedi Peneliti",
            sex="female",
            education="doctorate",
            occupation="researcher",
            institution_category="research_education",
            purpose="research",
        ),
    }


@pytest.fixture
def november(kendal, other_office, people):
    A, B, C, D = people["A"], people["B"], people["C"], people["D"]
    make_visit(kendal, A, start=at(2, 9, 0), wait=4, number="A-001")
    make_visit(kendal, B, start=at(2, 9, 30), wait=12, number="A-002")
    make_visit(kendal, A, start=at(4, 13, 10), wait=8, service="consultation", number="B-001")
    make_visit(kendal, C, start=at(4, 14, 5), number="A-003")
    # Noise: October, December, another office.
    make_visit(kendal, A, start=datetime.datetime(2026, 10, 31, 9, tzinfo=JAKARTA), wait=30)
    make_visit(kendal, A, start=datetime.datetime(2026, 12, 1, 8, tzinfo=JAKARTA), wait=1)
    make_visit(other_office, D, start=at(3, 9), wait=50)

    load_subjects()  # a transactional test elsewhere may have flushed the migration's rows
    p1 = Publication.objects.create(office=kendal, title="Kendal Dalam Angka 2026", year=2026)
    p1.subjects.set([Subject.objects.get(title="Kependudukan")])
    p2 = Publication.objects.create(office=kendal, title="Statistik Kemiskinan 2026", year=2026)
    p2.subjects.set([Subject.objects.get(title="Kemiskinan")])

    def deliver(user, publication, channel, moment, office=kendal):
        return DeliveryRecord.objects.create(
            user=user,
            publication=publication,
            office=office,
            channel=channel,
            created_at=moment,
            ip_address="10.1.2.3",
        )

    deliver(D, p1, Channel.READ, at(3, 10))
    deliver(D, p1, Channel.READ, at(3, 15))
    deliver(D, p2, Channel.DOWNLOAD, at(5, 11))
    deliver(A, p1, Channel.DOWNLOAD, at(2, 23, 30))
    deliver(B, p1, Channel.READ, datetime.datetime(2026, 10, 31, 20, 0, tzinfo=datetime.UTC))
    deliver(C, p2, Channel.DELIVERED, at(4, 14, 30))
    deliver(D, p1, Channel.READ, datetime.datetime(2026, 10, 31, 16, 59, tzinfo=datetime.UTC))
    deliver(D, p1, Channel.READ, at(3, 10), office=other_office)

    for query, count in [
        ("inflasi kendal", 0),
        ("inflasi kendal", 0),
        ("penduduk", 5),
        ("ipm weleri", 0),
    ]:
        SearchLog.objects.create(
            office=kendal, query=query, result_count=count, day=at(6, 0).date()
        )
    SearchLog.objects.create(
        office=other_office, query="kosong", result_count=0, day=at(6, 0).date()
    )
    SearchLog.objects.create(
        office=kendal, query="oktober", result_count=0, day=datetime.date(2026, 10, 30)
    )

    def complaint(code, channel, status, received, due, answered=None, closed=None, office=kendal):
        return Complaint.objects.create(
            office=office,
            tracking_code=code,
            channel=channel,
            status=status,
            description="Keluhan",
            received_at=received,
            target_working_days=5,
            due_date=due,
            answered_at=answered,
            closed_at=closed,
            contact_name="Pelapor Rahasia",
            contact_email="pelapor@example.com",
            contact_whatsapp="0813 9999 8888",
        )

    complaint(
        "ADU-0001", ComplaintChannel.WEB, Status.RECEIVED, at(3, 9), datetime.date(2026, 11, 10)
    )
    complaint(
        "ADU-0002",
        ComplaintChannel.EMAIL,
        Status.ANSWERED,
        at(10, 9),
        datetime.date(2026, 11, 17),
        answered=at(12, 10),
    )
    complaint(
        "ADU-0003",
        ComplaintChannel.WHATSAPP,
        Status.CLOSED,
        at(20, 9),
        datetime.date(2026, 11, 27),
        answered=at(30, 10),
        closed=at(30, 11),
    )
    complaint(
        "ADU-0004",
        ComplaintChannel.WEB,
        Status.RECEIVED,
        at(3, 9),
        datetime.date(2026, 11, 10),
        office=other_office,
    )

    def request(number, user, kind, created, due, status, delivered=None, office=kendal):
        return SoftcopyRequest.objects.create(
            office=office,
            number=number,
            kind=kind,
            channel="online" if kind == "softcopy" else "on_site",
            user=user,
            purpose="Penelitian",
            description="Tabel rahasia pribadi",
            created_at=created,
            due_date=due,
            status=status,
            delivered_at=delivered,
        )

    request("PS-0001", D, "softcopy", at(3, 10), datetime.date(2026, 11, 6), "delivered", at(4, 10))
    request("PS-0002", A, "scan", at(10, 9), datetime.date(2026, 11, 13), "closed", at(14, 9))
    request("PS-0003", B, "softcopy", at(20, 9), datetime.date(2026, 11, 25), "received")
    request(
        "PS-0004",
        B,
        "softcopy",
        at(20, 9),
        datetime.date(2026, 11, 25),
        "received",
        office=other_office,
    )

    def answer(day, score, overall, service="library", office=kendal):
        return SurveyResponse.objects.create(
            office=office,
            service=service,
            channel="walk_in",
            day=day,
            overall=overall,
            **{f"u{i}": score for i in range(1, 10)},
        )

    answer(datetime.date(2026, 11, 2), 4, 5)
    answer(datetime.date(2026, 11, 3), 3, 4)
    answer(datetime.date(2026, 11, 4), 2, 2, service="consultation")
    answer(datetime.date(2026, 10, 30), 1, 1)
    answer(datetime.date(2026, 11, 4), 1, 1, office=other_office)
    return {"p1": p1, "p2": p2, **people}
