"""Prometheus metrics: request counters shared by every server, gauges read at scrape time.

Request counts and latency histograms are kept in one Redis hash when the cache is Redis
(so a scrape of any server sees the totals of all servers and all gunicorn workers);
with the local-memory cache they are per process. Queue lengths, SLA breaches,
deliveries and the task backlog are read from the database when scraped.
The exposition is Prometheus' text format 0.0.4, written by hand (no extra dependency).
"""

import datetime
import threading
from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from delivery.models import DeliveryRecord
from visits.choices import TicketStatus
from visits.models import QueueTicket, Visit

BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
REDIS_KEY = "pst:metrics:http"

_local = defaultdict(float)
_local_lock = threading.Lock()


def _redis():
    client = getattr(cache, "raw_client", None)
    return client() if client else None


def record_request(view, method, status, seconds):
    status_class = f"{status // 100}xx"
    bucket = next((str(b) for b in BUCKETS if seconds <= b), "+Inf")
    fields = {
        f"count|{view}|{method}|{status_class}": 1,
        f"bucket|{view}|{bucket}": 1,
    }
    client = _redis()
    if client is not None:
        try:
            pipe = client.pipeline(transaction=False)
            for field, amount in fields.items():
                pipe.hincrby(REDIS_KEY, field, amount)
            pipe.hincrbyfloat(REDIS_KEY, f"sum|{view}", seconds)
            pipe.execute()
            return
        except Exception:  # noqa: BLE001 - metrics never break a request
            cache.mark_down()
    with _local_lock:
        for field, amount in fields.items():
            _local[field] += amount
        _local[f"sum|{view}"] += seconds


def _http_counters():
    client = _redis()
    if client is not None:
        try:
            raw = client.hgetall(REDIS_KEY)
            return {key.decode(): float(value) for key, value in raw.items()}
        except Exception:  # noqa: BLE001
            cache.mark_down()
    with _local_lock:
        return dict(_local)


def _label(value):
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value):
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def exposition():
    """The metrics page's text."""
    lines = []

    def family(name, kind, help_text):
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")

    counters = _http_counters()
    family("pst_http_requests_total", "counter", "HTTP requests by view, method and status.")
    histogram = defaultdict(lambda: defaultdict(float))
    sums = {}
    for field, value in sorted(counters.items()):
        kind, *rest = field.split("|")
        if kind == "count":
            view, method, status = rest
            lines.append(
                f'pst_http_requests_total{{view="{_label(view)}",method="{method}",'
                f'status="{status}"}} {_number(value)}'
            )
        elif kind == "bucket":
            histogram[rest[0]][rest[1]] += value
        elif kind == "sum":
            sums[rest[0]] = value
    family(
        "pst_http_request_duration_seconds",
        "histogram",
        "Time to the response headers (streamed bodies not included).",
    )
    for view in sorted(histogram):
        running = 0.0
        for bound in [*map(str, BUCKETS), "+Inf"]:
            running += histogram[view].get(bound, 0.0)
            lines.append(
                f'pst_http_request_duration_seconds_bucket{{view="{_label(view)}",'
                f'le="{bound}"}} {_number(running)}'
            )
        lines.append(
            f'pst_http_request_duration_seconds_sum{{view="{_label(view)}"}} '
            f"{_number(sums.get(view, 0.0))}"
        )
        lines.append(
            f'pst_http_request_duration_seconds_count{{view="{_label(view)}"}} {_number(running)}'
        )

    now = timezone.now()
    family("pst_queue_waiting_tickets", "gauge", "Tickets waiting to be called, per office.")
    waiting = (
        QueueTicket.objects.filter(
            status=TicketStatus.WAITING, issued_at__gte=now - datetime.timedelta(hours=24)
        )
        .values("office__code", "service")
        .annotate(n=Count("pk"))
        .order_by("office__code", "service")
    )
    for row in waiting:
        lines.append(
            f'pst_queue_waiting_tickets{{office="{_label(row["office__code"])}",'
            f'service="{_label(row["service"])}"}} {row["n"]}'
        )

    family(
        "pst_visit_sla_breaches",
        "gauge",
        "Visits of the last 24 hours not served within the walk-in time target, per office.",
    )
    breaches = defaultdict(int)
    recent = Visit.objects.filter(guest_book_at__gte=now - datetime.timedelta(hours=24))
    for code, booked, started, target in recent.values_list(
        "office__code", "guest_book_at", "service_started_at", "target_minutes"
    ):
        if ((started or now) - booked).total_seconds() > target * 60:
            breaches[code] += 1
        else:
            breaches.setdefault(code, 0)
    for code in sorted(breaches):
        lines.append(f'pst_visit_sla_breaches{{office="{_label(code)}"}} {breaches[code]}')

    family("pst_deliveries_total", "counter", "Stamped copies given, by channel.")
    for row in DeliveryRecord.objects.values("channel").annotate(n=Count("pk")).order_by("channel"):
        lines.append(f'pst_deliveries_total{{channel="{_label(row["channel"])}"}} {row["n"]}')

    family("pst_tasks", "gauge", "Background jobs by status (READY is the backlog).")
    for row in DBTaskResult.objects.values("status").annotate(n=Count("pk")).order_by("status"):
        lines.append(f'pst_tasks{{status="{_label(row["status"])}"}} {row["n"]}')
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)[:1]
    )
    family("pst_task_backlog_age_seconds", "gauge", "Age of the oldest job waiting to run.")
    age = (now - oldest[0]).total_seconds() if oldest else 0
    lines.append(f"pst_task_backlog_age_seconds {_number(round(age, 3))}")
    return "\n".join(lines) + "\n"
