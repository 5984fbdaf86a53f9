import time

from django.core.management.base import BaseCommand

from channels import intake, polling


class Command(BaseCommand):
    help = (
        "Read every office mailbox (IMAP): new messages become complaints, replies or inbox "
        "messages; also retries inbound messages (any channel) that failed to process."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep polling")
        parser.add_argument("--interval", type=int, default=60, help="seconds between polls")

    def handle(self, *args, loop=False, interval=60, **options):
        while True:
            for result in polling.poll_all():
                line = (
                    f"{result.office}: {len(result.stored)} new, {result.duplicates} already "
                    f"taken, {result.too_large} too large, {result.moved} moved"
                )
                if result.error:
                    self.stderr.write(f"{result.office}: mailbox unavailable: {result.error}")
                else:
                    self.stdout.write(line)
            retried = intake.process_pending()
            if retried:
                self.stdout.write(f"{len(retried)} waiting inbound message(s) processed")
            if not loop:
                return
            time.sleep(interval)
