import time

from django.core.management.base import BaseCommand

from channels import outbound


class Command(BaseCommand):
    help = (
        "Send the e-mail, WhatsApp and Instagram messages whose retry is due (backoff after a "
        "failure), and queued ones no worker took."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep sending")
        parser.add_argument("--interval", type=int, default=60, help="seconds between runs")

    def handle(self, *args, loop=False, interval=60, **options):
        while True:
            results = outbound.send_due()
            if results:
                self.stdout.write(", ".join(f"{state}: {n}" for state, n in results.items()))
            if not loop:
                return
            time.sleep(interval)
