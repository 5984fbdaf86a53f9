"""Demo data for the reports: a few logged searches, and the public statistics page on.

The dashboard's other figures come from the visits, downloads and complaints the
other apps' demo data and the demo itself create. Idempotent.
"""

from catalog.models import SearchLog
from offices.time import local_day

from .models import ReportSettings

SEARCHES = [
    ("kendal dalam angka", 3),
    ("inflasi kendal", 0),
    ("indeks pembangunan manusia", 1),
    ("upah minimum kabupaten", 0),
    ("inflasi kendal", 0),
]


def seed(office, *, stdout):
    today = local_day(office)
    if not SearchLog.objects.filter(office=office).exists():
        SearchLog.objects.bulk_create(
            SearchLog(office=office, query=q, result_count=n, day=today) for q, n in SEARCHES
        )
        stdout.write(f"  {len(SEARCHES)} logged searches")
    settings = ReportSettings.for_office(office)
    if not settings.publish_statistics:
        settings.set_publish(True, by=None)
        stdout.write(f"  public statistics: /statistics/{office.code}/")
