"""Workflows of a walk-in visit that span several models (STYLE.md 6).

Each function checks the current state, locks what it changes, records who and
when in a ``VisitEvent`` and raises ``VisitError`` with a message for the user.
E-mails leave after commit through ``core.tasks.enqueue_email``.
"""

from .queue import (
    DEFAULT_SERVICE_MINUTES,
    average_service_minutes,
    call_next,
    call_ticket,
    estimated_wait_minutes,
    issue_ticket,
    local_day,
    mark_no_show,
    next_ticket_for,
    office_services,
    recall,
    target_minutes,
    transfer,
)
from .walk_in import (
    PROFILE_FIELDS,
    RATING_SALT,
    assign_locker,
    check_out,
    fill_guest_book,
    finish_service,
    rate_visit,
    rating_token,
    record_service,
    return_locker,
    start_service,
    visit_from_rating_token,
    visit_of_ticket,
)
from .watch import (
    alert_overdue_visits,
    board_state,
    close_day,
    day_figures,
    locker_board,
    percentile,
    queue_summary,
    visits_in_progress,
)

__all__ = [
    "DEFAULT_SERVICE_MINUTES",
    "PROFILE_FIELDS",
    "RATING_SALT",
    "alert_overdue_visits",
    "assign_locker",
    "average_service_minutes",
    "board_state",
    "call_next",
    "call_ticket",
    "check_out",
    "close_day",
    "day_figures",
    "estimated_wait_minutes",
    "fill_guest_book",
    "finish_service",
    "issue_ticket",
    "local_day",
    "locker_board",
    "mark_no_show",
    "next_ticket_for",
    "office_services",
    "percentile",
    "queue_summary",
    "rate_visit",
    "rating_token",
    "recall",
    "record_service",
    "return_locker",
    "start_service",
    "target_minutes",
    "transfer",
    "visit_from_rating_token",
    "visit_of_ticket",
    "visits_in_progress",
]
