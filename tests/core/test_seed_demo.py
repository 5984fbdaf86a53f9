import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Membership, User


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")

    assert User.objects.count() == 0


def test_seed_demo_creates_the_demo_accounts_once(db, settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo-pass-2026"

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    emails = set(User.objects.values_list("email", flat=True))
    assert emails == {"visitor@example.com", "officer@example.com", "supervisor@example.com"}
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == 3
    assert User.objects.get(email="visitor@example.com").check_password("demo-pass-2026")
    roles = dict(Membership.objects.values_list("user__email", "role"))
    assert roles == {"officer@example.com": "officer", "supervisor@example.com": "supervisor"}
    assert set(Membership.objects.values_list("office__code", flat=True)) == {"3324"}
