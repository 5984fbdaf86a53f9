"""Models that moved app keep their tables and rows: AuditEvent (privacy → history),
Consent (privacy → accounts), SearchLog (reports → catalog)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Consent
from catalog.models import SearchLog
from history.models import AuditEvent
from tests.factories import OfficeFactory, UserFactory

BEFORE = [
    ("privacy", "0003_survey_email_consent_for_existing_accounts"),
    ("reports", "0002_delivery_report_index"),
    ("accounts", "0002_initial"),
    ("catalog", "0007_search_strong_postgres"),
]


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_are_read_after_it():
    office = OfficeFactory(code="3324")
    user = UserFactory(email="warga@example.com")
    executor = MigrationExecutor(connection)
    executor.migrate([*BEFORE, ("history", None)])
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("privacy", "AuditEvent").objects.create(
        actor_id=user.pk, office_id=office.pk, action="state", target="x", detail="before"
    )
    old.get_model("privacy", "Consent").objects.create(user_id=user.pk, purpose="account")
    old.get_model("reports", "SearchLog").objects.create(
        office_id=office.pk, query="inflasi", result_count=0, day=datetime.date(2026, 11, 2)
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert list(AuditEvent.objects.values_list("actor", "target", "detail")) == [
        (user.pk, "x", "before")
    ]
    assert Consent.holds(user, "account")
    assert list(SearchLog.objects.values_list("office", "query")) == [(office.pk, "inflasi")]
