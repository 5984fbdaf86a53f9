"""Real concurrent threads against the database (STYLE.md 9): ticket numbers stay gap-free
and unique, and a locker is never given twice. Each thread has its own connection."""

import threading

import pytest
from django.db import connections

from offices.models import Locker
from tests.visits.conftest import GUEST
from visits import services
from visits.models import LockerAssignment, QueueTicket, Visit, VisitError

pytestmark = pytest.mark.django_db(transaction=True)

# On SQLite the test database is a file (config.settings): threads wait for the writer lock
# (20 s timeout, IMMEDIATE transactions) as in a real run, so these run on both databases.


def run_in_threads(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def target(index):
        try:
            barrier.wait()
            results.append(work(index))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results, errors


def test_concurrent_kiosks_get_gap_free_unique_numbers(kendal, clerk):
    results, errors = run_in_threads(
        40, lambda i: services.issue_ticket(kendal, "library", officer=clerk).sequence
    )

    assert errors == []
    assert sorted(results) == list(range(1, 41))
    assert sorted(QueueTicket.objects.values_list("sequence", flat=True)) == list(range(1, 41))


def test_concurrent_double_taps_make_one_ticket(kendal, clerk):
    results, errors = run_in_threads(
        10, lambda i: services.issue_ticket(kendal, "library", officer=clerk, request_key="tap").pk
    )

    assert errors == []
    assert len(set(results)) == 1
    assert QueueTicket.objects.count() == 1


def test_concurrent_locker_assignments_never_share_a_locker(kendal, clerk):
    Locker.objects.filter(office=kendal).exclude(
        pk__in=Locker.objects.filter(office=kendal).order_by("label").values("pk")[:8]
    ).update(is_active=False)
    visits = []
    for i in range(20):
        data = dict(GUEST, email=f"tamu{i}@example.com", full_name=f"Tamu {i}")
        visits.append(services.fill_guest_book(kendal, officer=clerk, data=data))

    def assign(i):
        try:
            return services.assign_locker(
                visits[i], officer=clerk, card_type="ktp", holder_name=f"Tamu {i}"
            ).locker_id
        except VisitError as exc:
            return str(exc)

    results, errors = run_in_threads(20, assign)

    assert errors == []
    lockers = [r for r in results if isinstance(r, int)]
    assert len(lockers) == 8
    assert len(set(lockers)) == 8
    assert sorted(r for r in results if isinstance(r, str)) == ["Tidak ada loker kosong."] * 12
    assert LockerAssignment.objects.filter(returned_at__isnull=True).count() == 8
    assert Visit.objects.count() == 20


def test_two_officers_calling_next_get_different_tickets(kendal, clerk, supervisor):
    from offices.models import Counter

    for _ in range(2):
        services.issue_ticket(kendal, "consultation", officer=clerk)
    counters = list(Counter.objects.filter(office=kendal, number__in=[2, 3]).order_by("number"))
    officers = [clerk, supervisor]

    results, errors = run_in_threads(
        2, lambda i: services.call_next(counters[i], officer=officers[i]).number
    )

    assert errors == []
    assert sorted(results) == ["B-001", "B-002"]
