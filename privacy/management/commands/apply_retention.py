import time

from django.core.management.base import BaseCommand

from privacy.services import apply_retention


class Command(BaseCommand):
    help = (
        "Pseudonymise personal data past each office's retention period (guest book, download "
        "log IP/browser, complainants' identity). Statistics stay; the audit log is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")
        parser.add_argument("--loop", action="store_true", help="run again every --interval")
        parser.add_argument("--interval", type=int, default=24 * 3600, help="seconds (loop)")

    def handle(self, dry_run, loop, interval, **options):
        while True:
            counts = apply_retention(dry_run=dry_run)
            prefix = "Would pseudonymise" if dry_run else "Pseudonymised"
            self.stdout.write(
                f"{prefix}: {counts['guest_book_entries']} guest-book entries, "
                f"{counts['download_logs']} download-log entries, "
                f"{counts['complaint_identities']} complainant identities."
            )
            if not loop:
                return
            time.sleep(interval)
