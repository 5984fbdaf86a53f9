"""Benchmark of the walk-in queue: `make bench-visits` (loopback only, bounded in count and time).

Starts the app with gunicorn on 127.0.0.1 on a free port against a throwaway database,
then
  1. fires 500 ticket requests (POST /api/v1/offices/3324/tickets, kiosk bearer key) from 50
     concurrent clients and prints throughput, median and p95 latency, and checks that the
     numbers are exactly 1..500 with no duplicate and no gap;
  2. fires 50 concurrent locker assignments (the officer's locker form, 50 visits) at 20
     lockers and checks that exactly 20 succeed and the other 30 get "no free locker".

Database: a fresh SQLite file in a temporary directory; with DATABASE_URL set to PostgreSQL,
a fresh database ``pst_bench_visits`` on that server (created and dropped by this script).
Options: --tickets N, --clients N, --lockers N, --visits N, --workers N, --threads N
(defaults 500, 50, 20, 50, 2, 2: the machines have two cores).
"""

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEADLINE_SECONDS = 600
BENCH_DB = "pst_bench_visits"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_urls(url):
    """(admin URL on the same server, URL of the throwaway bench database)."""
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    bench = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    return admin, bench


def recreate_postgres(admin_url, drop_only=False):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {BENCH_DB}")


class Client:
    """One keep-alive HTTP connection per worker thread."""

    def __init__(self, port):
        self.port = port
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                head = dict(response.getheaders())
                cookies = [
                    v.split(";", 1)[0] for k, v in response.getheaders() if k == "Set-Cookie"
                ]
                head["cookies"] = cookies
                return response.status, head, response.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise RuntimeError("unreachable")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--lockers", type=int, default=20)
    parser.add_argument("--visits", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    started = time.monotonic()

    tmp = Path(tempfile.mkdtemp(prefix="pst-bench-"))
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "FIELD_ENCRYPTION_KEYS": "QmVuY2gta2V5LW5vdC1mb3ItcHJvZHVjdGlvbi0wMTI=",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_HSTS_PRELOAD": "false",
        "TASKS_BACKEND": "immediate",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "VAR_DIR": str(tmp),
        "LOG_LEVEL": "WARNING",
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    user_url = os.environ.get("DATABASE_URL", "")
    admin_url = None
    if user_url.startswith(("postgres://", "postgresql://")):
        admin_url, env["DATABASE_URL"] = postgres_urls(user_url)
        recreate_postgres(admin_url)
        database = f"PostgreSQL ({BENCH_DB})"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
        database = "SQLite (file, IMMEDIATE transactions)"

    server = None
    try:
        run = {"cwd": ROOT, "env": env, "check": True, "stdout": subprocess.DEVNULL}
        subprocess.run([PYTHON, "manage.py", "migrate", "--no-input"], **run)  # noqa: S603
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--no-input"], **run)  # noqa: S603
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        fixtures = prepare(args)

        port = free_port()
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(args.threads),
                "--backlog",
                "256",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        wait_for(port, server)
        print(
            f"Database: {database}; gunicorn {args.workers} workers × {args.threads} threads "
            f"on 127.0.0.1:{port}"
        )
        tickets_ok = bench_tickets(port, args, fixtures)
        lockers_ok = bench_lockers(port, args, fixtures)
        if time.monotonic() - started > DEADLINE_SECONDS:
            print("warning: the benchmark took longer than its time bound")
        sys.exit(0 if tickets_ok and lockers_ok else 1)
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
        from django.db import connections

        connections.close_all()
        if admin_url:
            recreate_postgres(admin_url, drop_only=True)
        shutil.rmtree(tmp, ignore_errors=True)


def prepare(args):
    """Office 3324 with N lockers, a kiosk, an officer with a session and N open visits."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.choices import Role
    from accounts.models import Membership, User
    from offices.models import Locker
    from offices.seed import load_office
    from visits import services
    from visits.choices import DeviceKind
    from visits.models import Device

    office = load_office("3324")
    Locker.objects.filter(office=office).delete()
    Locker.objects.bulk_create(
        Locker(office=office, label=f"L{i:02d}") for i in range(1, args.lockers + 1)
    )
    officer = User.objects.create_user("bench-officer@example.com", full_name="Bench Officer")
    Membership.objects.create(user=officer, office=office, role=Role.OFFICER)
    _device, key = Device.register(office, kind=DeviceKind.KIOSK, name="bench", by=officer)
    session = SessionStore()
    session[SESSION_KEY] = str(officer.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    session.create()
    visits = []
    for i in range(args.visits):
        data = {
            "email": f"bench-visitor-{i}@example.com",
            "full_name": f"Pengunjung {i}",
            "phone": "",
            "card_type": "ktp",
            "services": ["library"],
            "purpose_text": "bench",
        }
        visits.append(services.fill_guest_book(office, officer=officer, data=data).pk)
    return {"office": office, "key": key, "session": session.session_key, "visits": visits}


def wait_for(port, server):
    for _ in range(200):
        if server.poll() is not None:
            raise SystemExit("gunicorn exited early")
        try:
            status, _h, _b = Client(port).request("GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("the app did not start")


def bench_tickets(port, args, fixtures):
    from visits.models import QueueTicket

    headers = {"Authorization": f"Bearer {fixtures['key']}", "Content-Type": "application/json"}
    clients = {}

    def one(i):
        client = clients.setdefault(i % args.clients, Client(port))
        body = json.dumps({"service": "library", "request_key": f"bench-{i}"})
        t0 = time.perf_counter()
        status, _h, payload = client.request("POST", "/api/v1/offices/3324/tickets", body, headers)
        return status, time.perf_counter() - t0, payload

    t0 = time.perf_counter()
    with ThreadPoolExecutor(args.clients) as pool:
        # Each of the 50 threads keeps to its own connection: partition the requests per client.
        results = list(pool.map(one_batch(one, args), range(args.clients)))
    elapsed = time.perf_counter() - t0
    flat = [r for batch in results for r in batch]
    latencies = [lat for _s, lat, _p in flat]
    created = [json.loads(p) for s, _l, p in flat if s == 201]
    numbers = sorted(int(t["number"].split("-")[1]) for t in created)
    in_db = sorted(
        QueueTicket.objects.filter(office=fixtures["office"], service="library").values_list(
            "sequence", flat=True
        )
    )
    expected = list(range(1, args.tickets + 1))
    ok = numbers == expected and in_db == expected
    print(
        f"Tickets: {len(created)}/{args.tickets} created by {args.clients} concurrent clients in "
        f"{elapsed:.2f} s → {len(flat) / elapsed:.0f} requests/s; latency median "
        f"{statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    print(
        f"  numbers exactly 1..{args.tickets}, no duplicate, no gap: {'yes' if ok else 'NO'}"
        f" (responses {len(set(numbers))} distinct, database {len(in_db)} rows)"
    )
    return ok


def one_batch(one, args):
    def batch(client_index):
        return [one(i) for i in range(client_index, args.tickets, args.clients)]

    return batch


def bench_lockers(port, args, fixtures):
    from visits.models import LockerAssignment

    cookie = f"sessionid={fixtures['session']}; csrftoken=benchcsrftoken0123456789abcdefgh"
    headers = {
        "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": "benchcsrftoken0123456789abcdefgh",
    }
    body = "card_type=ktp&holder_name=Pengunjung&locker="
    message = re.compile(r'<li class="message (?:success|error)">([^<]+)</li>')

    def one(pk):
        client = Client(port)
        t0 = time.perf_counter()
        status, head, _p = client.request(
            "POST", f"/office/3324/visits/{pk}/locker/", body, headers
        )
        latency = time.perf_counter() - t0
        # Follow the redirect with the same session to read the message shown to the officer.
        with_messages = "; ".join([cookie, *head["cookies"]])
        _s, _h, page = client.request(
            "GET", head.get("Location", "/"), None, {"Cookie": with_messages}
        )
        found = message.search(page.decode())
        return status, latency, found.group(1) if found else ""

    t0 = time.perf_counter()
    with ThreadPoolExecutor(len(fixtures["visits"])) as pool:
        results = list(pool.map(one, fixtures["visits"]))
    elapsed = time.perf_counter() - t0
    given = [m for _s, _l, m in results if m.startswith("Loker ") and "diberikan" in m]
    refused = [m for _s, _l, m in results if m == "Tidak ada loker kosong."]
    open_rows = LockerAssignment.objects.filter(returned_at__isnull=True)
    distinct = open_rows.values("locker").distinct().count()
    ok = (
        len(given) == args.lockers
        and len(refused) == len(results) - args.lockers
        and open_rows.count() == args.lockers == distinct
    )
    latencies = [lat for _s, lat, _m in results]
    print(
        f"Lockers: {len(results)} concurrent assignments for {args.lockers} lockers in "
        f"{elapsed:.2f} s (p95 {percentile(latencies, 0.95) * 1000:.0f} ms): {len(given)} given, "
        f'{len(refused)} told "Tidak ada loker kosong."; open assignments {open_rows.count()} '
        f"on {distinct} distinct lockers: {'ok' if ok else 'WRONG'}"
    )
    return ok


if __name__ == "__main__":
    main()
