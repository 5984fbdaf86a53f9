from django.core.management.base import BaseCommand, CommandError

from delivery.services import trace_file
from offices.time import local_time


class Command(BaseCommand):
    help = "Name the download record(s) behind a leaked PDF (a whole copy or a single page)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the PDF to trace")

    def handle(self, file, **options):
        try:
            codes, records = trace_file(file)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        if not records:
            if codes:
                self.stdout.write(
                    f"Trace code(s) {', '.join(sorted(codes))} found, but no record "
                    "matches (a copy from another installation?)."
                )
            else:
                self.stdout.write("No trace found.")
            return
        for record in records:
            local = local_time(record.office, record.created_at)
            self.stdout.write(
                f"{record.trace_code}: {record.user.full_name} <{record.user.email}> — "
                f"{record.title} (publication {record.publication_id or '-'}) — "
                f"{record.get_channel_display()} {local:%Y-%m-%d %H:%M %Z} — "
                f"IP {record.ip_address or '-'}"
            )
