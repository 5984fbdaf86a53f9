"""Service-standard revisions and leave days are SETTINGS lines of the audit log."""

import datetime

from django.urls import reverse

from offices.models import LeaveDay, ServiceStandard
from tests.audit import lines_since, mark, summary


def test_standard_revision_is_one_settings_line(client_for, supervisor, kendal):
    current = ServiceStandard.objects.current_for(kendal, "library")
    data = {name: getattr(current, name) for name in ServiceStandard.CONTENT_FIELDS}
    data.update(base_version=current.version, change_note="Revisi", walk_in_target_minutes=5)
    start = mark()

    client_for(supervisor).post(reverse("offices:standard-edit", args=["3324", "library"]), data)

    [line] = lines_since(start)
    new = ServiceStandard.objects.current_for(kendal, "library")
    assert summary(line) == (
        supervisor,
        kendal,
        "settings",
        f"offices.ServiceStandard library v{new.version}",
        f"v{current.version} → v{new.version}: walk_in_target_minutes",
        "127.0.0.1",
    )


def test_leave_day_added_and_removed_are_settings_lines(client_for, supervisor, kendal):
    client = client_for(supervisor)
    url = reverse("offices:leave-day-list", args=[kendal.code])
    start = mark()

    client.post(url, {"date": "2026-12-24", "name": "Cuti bersama Natal"})
    leave_day = LeaveDay.objects.get(office=kendal)
    client.post(reverse("offices:leave-day-delete", args=[kendal.code, leave_day.pk]))

    target = f"offices.LeaveDay {datetime.date(2026, 12, 24).isoformat()}"
    assert [summary(line) for line in lines_since(start)] == [
        (
            supervisor,
            kendal,
            "settings",
            target,
            "leave day added: Cuti bersama Natal",
            "127.0.0.1",
        ),
        (supervisor, kendal, "settings", target, "leave day removed", "127.0.0.1"),
    ]
