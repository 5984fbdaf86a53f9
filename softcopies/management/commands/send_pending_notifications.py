import time

from django.core.management.base import BaseCommand

from softcopies.notify import retry_pending


class Command(BaseCommand):
    help = "Send softcopy e-mails that are still unsent (a failed send is retried here)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, once a minute.")
        parser.add_argument("--interval", type=int, default=60)

    def handle(self, *args, loop=False, interval=60, **options):
        while True:
            sent, failed = retry_pending()
            self.stdout.write(f"sent {sent}, still failing {failed}")
            if not loop:
                return
            time.sleep(max(interval, 1))
