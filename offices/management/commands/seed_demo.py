from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import demo as accounts_demo

from ...hooks import demo_seeders
from ...seed import load_office


class Command(BaseCommand):
    help = (
        "Load demo data: office 3324 (BPS Kabupaten Kendal) with counters, lockers and service "
        "standards, and the demo accounts. Safe to run again. Refuses to run with DEBUG off."
    )

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a known password and only runs with DEBUG=true."
            )
        with transaction.atomic():
            office = load_office("3324")
            accounts_demo.seed(office, stdout=self.stdout)
            # Each app above adds its own demo data (its ``demo.seed``, registered in its
            # AppConfig.ready), in INSTALLED_APPS order, in this transaction; idempotent.
            demo_seeders(office, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready for {office.name}. Accounts: "
                + ", ".join(a["email"] for a in accounts_demo.DEMO_ACCOUNTS)
                + " (password from DEMO_PASSWORD)."
            )
        )
