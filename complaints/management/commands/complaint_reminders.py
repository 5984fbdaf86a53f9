import time

from django.core.management.base import BaseCommand

from complaints.services import process_deadlines


class Command(BaseCommand):
    help = (
        "Remind assignees of complaints due soon, escalate overdue complaints to the office's "
        "supervisors and close answered complaints after the silence period. Run it once "
        "(e.g. from cron) or with --loop."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running.")
        parser.add_argument(
            "--interval", type=int, default=900, help="Seconds between runs with --loop."
        )

    def handle(self, *, loop, interval, **options):
        while True:
            counts = process_deadlines()
            self.stdout.write(
                "complaint_reminders: {reminders} reminder(s), {escalations} escalation(s), "
                "{closed} closed".format(**counts)
            )
            if not loop:
                return
            time.sleep(max(interval, 10))
