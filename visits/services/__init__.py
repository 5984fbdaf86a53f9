"""Workflows of a walk-in visit that span several models (STYLE.md 6).

Issuing a ticket number, calling the next ticket, filling the guest book (which opens a
visit and maybe an account), giving a locker, closing the day, and what the board and
dashboards show. One ticket's or one visit's change is a transition method on the
model (``visits.models``). Refusals raise ``VisitError`` (a ``DomainError``); e-mails
leave after commit through ``core.tasks.enqueue_email``.
"""

from .queue import (
    DEFAULT_SERVICE_MINUTES,
    average_service_minutes,
    call_next,
    estimated_wait_minutes,
    issue_ticket,
    next_ticket_for,
    target_minutes,
)
from .walk_in import (
    RATING_SALT,
    assign_locker,
    fill_guest_book,
    rating_token,
    visit_from_rating_token,
    visit_of_ticket,
)
from .watch import (
    alert_overdue_visits,
    board_state,
    close_day,
    day_figures,
    home_panel,
    locker_board,
    queue_summary,
    visits_in_progress,
)

__all__ = [
    "DEFAULT_SERVICE_MINUTES",
    "RATING_SALT",
    "alert_overdue_visits",
    "assign_locker",
    "average_service_minutes",
    "board_state",
    "call_next",
    "close_day",
    "day_figures",
    "estimated_wait_minutes",
    "fill_guest_book",
    "home_panel",
    "issue_ticket",
    "locker_board",
    "next_ticket_for",
    "queue_summary",
    "rating_token",
    "target_minutes",
    "visit_from_rating_token",
    "visit_of_ticket",
    "visits_in_progress",
]
