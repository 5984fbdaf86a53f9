"""The demo accounts of ``manage.py seed_demo`` (password from ``DEMO_PASSWORD``)."""

from allauth.account.models import EmailAddress
from django.conf import settings

from .choices import (
    AgeGroup,
    Education,
    InstitutionCategory,
    Occupation,
    Purpose,
    Role,
    Sex,
)
from .models import Membership, User

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


def seed(office, *, stdout):
    """The visitor, the officer and the supervisor of ``office``; safe to run again."""
    for account in DEMO_ACCOUNTS:
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
        stdout.write(f"  {user.email}: {'created' if created else 'already there'}")
