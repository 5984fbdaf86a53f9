from importlib import import_module
from importlib.util import find_spec

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.choices import (
    AgeGroup,
    Education,
    InstitutionCategory,
    Occupation,
    Purpose,
    Role,
    Sex,
)
from accounts.models import Membership, User
from offices.seed import load_office

DEMO_ACCOUNTS = [
    {
        "email": "visitor@example.com",
        "full_name": "Sari Wulandari",
        "role": None,
        "profile": {
            "sex": Sex.FEMALE,
            "age_group": AgeGroup.AGE_18_24,
            "education": Education.SECONDARY_OR_LOWER,
            "occupation": Occupation.STUDENT,
            "institution_category": InstitutionCategory.RESEARCH_EDUCATION,
            "institution_name": "Universitas Negeri Semarang",
            "purpose": Purpose.SCHOOL,
        },
    },
    {
        "email": "officer@example.com",
        "full_name": "Budi Santoso",
        "role": Role.OFFICER,
        "profile": {"sex": Sex.MALE, "occupation": Occupation.CIVIL_SERVANT},
    },
    {
        "email": "supervisor@example.com",
        "full_name": "Ade Sandi Parwoto",
        "role": Role.SUPERVISOR,
        "profile": {"sex": Sex.MALE, "occupation": Occupation.CIVIL_SERVANT},
    },
]


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
            for account in DEMO_ACCOUNTS:
                self._account(office, account)
            for seed in self._app_seeders():
                seed(office, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready for {office.name}. Accounts: "
                + ", ".join(a["email"] for a in DEMO_ACCOUNTS)
                + " (password from DEMO_PASSWORD)."
            )
        )

    def _app_seeders(self):
        """Each app may add its own demo data in ``<app>/demo.py``: ``seed(office, *, stdout)``.

        They run in INSTALLED_APPS order, inside the same transaction, and must be
        idempotent like this command.
        """
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if config.name.startswith(("django.", "allauth")) or find_spec(module_name) is None:
                continue
            yield import_module(module_name).seed

    def _account(self, office, account):
        user, created = User.objects.get_or_create(
            email=account["email"],
            defaults={"full_name": account["full_name"], **account["profile"]},
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        if account["role"]:
            Membership.objects.update_or_create(
                user=user, office=office, defaults={"role": account["role"]}
            )
        self.stdout.write(f"  {user.email}: {'created' if created else 'already there'}")
