"""E-mail the survey link for every finished day of downloads (one per user, office, day)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from feedback.services import send_download_invitations


class Command(BaseCommand):
    help = "E-mail the satisfaction survey to users after a day of downloads."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Run every --interval seconds.")
        parser.add_argument("--interval", type=int, default=600)

    def handle(self, *args, loop=False, interval=600, **options):
        while True:
            sent = send_download_invitations(quiet_minutes=settings.FEEDBACK_SESSION_QUIET_MINUTES)
            self.stdout.write(f"Survey invitations e-mailed: {sent}")
            if not loop:
                return
            time.sleep(max(interval, 10))
