import time

from django.conf import settings
from django.core.management.base import BaseCommand

from softcopies.services import close_stale


class Command(BaseCommand):
    help = "Close delivered softcopy requests not downloaded within SOFTCOPY_CLOSE_AFTER_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, once an hour.")

    def handle(self, *args, loop=False, **options):
        while True:
            closed = close_stale(days=settings.SOFTCOPY_CLOSE_AFTER_DAYS)
            self.stdout.write(f"closed {closed} request(s)")
            if not loop:
                return
            time.sleep(3600)
