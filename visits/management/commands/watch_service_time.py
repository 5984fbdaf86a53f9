import time

from django.core.management.base import BaseCommand

from visits import services


class Command(BaseCommand):
    help = (
        "Alert the officers and supervisors of an office (by e-mail) when a visitor has waited "
        "past the service-time target since the guest book. Once, or with --loop."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="Run again every --interval seconds"
        )
        parser.add_argument(
            "--interval", type=int, default=30, help="Seconds between runs (--loop)"
        )

    def handle(self, *args, loop=False, interval=30, **options):
        while True:
            alerted = services.alert_overdue_visits()
            for visit in alerted:
                self.stdout.write(f"alert: visit #{visit.pk} of office {visit.office.code}")
            if not loop:
                break
            time.sleep(max(interval, 1))
