from django.core.management.base import BaseCommand, CommandError

from offices.seed import OFFICES, load_office


class Command(BaseCommand):
    help = "Create a BPS office with its opening hours, counters, lockers and service standards."

    def add_arguments(self, parser):
        parser.add_argument("code", help=f"BPS office code; known: {', '.join(OFFICES)}")

    def handle(self, code, **options):
        if code not in OFFICES:
            raise CommandError(
                f"No reference data for office {code!r}. Known codes: {', '.join(OFFICES)}. "
                "Add other offices in the admin."
            )
        office = load_office(code)
        self.stdout.write(self.style.SUCCESS(f"Office {office.code} {office.name} is ready."))
