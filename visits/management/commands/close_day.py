import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from offices.models import Office
from offices.time import local_day
from visits import services


class Command(BaseCommand):
    help = (
        "Close the day of every office (or one): unserved tickets expire and the visits still "
        "open (lockers, identity cards) are listed. Today is closed only once the office has "
        "closed (earlier days always), so --loop is safe during opening hours."
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", help="BPS code of one office (default: all active offices)")
        parser.add_argument(
            "--day", type=datetime.date.fromisoformat, help="Close this day (YYYY-MM-DD) now"
        )
        parser.add_argument(
            "--loop", action="store_true", help="Run again every --interval seconds"
        )
        parser.add_argument(
            "--interval", type=int, default=300, help="Seconds between runs (--loop)"
        )

    def handle(self, *args, office=None, day=None, loop=False, interval=300, **options):
        offices = Office.objects.filter(is_active=True)
        if office:
            offices = offices.filter(code=office)
            if not offices.exists():
                raise CommandError(f"Unknown office: {office}")
        while True:
            for item in offices:
                self._close(item, day)
            if not loop:
                break
            time.sleep(max(interval, 1))

    def _close(self, office, day=None):
        if day is None:
            day = local_day(office)
            if office.is_open_at():
                day -= datetime.timedelta(days=1)  # still serving today: close earlier days only
        expired, open_visits = services.close_day(office, day)
        self.stdout.write(f"{office.code} {day}: {len(expired)} tickets expired")
        for visit in open_visits:
            lockers = ", ".join(
                f"{a.locker.label} ({a.get_card_type_display()})"
                for a in visit.locker_assignments.all()
                if a.is_open
            )
            self.stdout.write(
                f"  open visit #{visit.pk} {visit.guest_book.full_name}: {visit.stage}"
                + (f"; locker and card not returned: {lockers}" if lockers else "")
            )
