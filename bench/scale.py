"""`make bench-scale`: a busy office day against one and then two app servers on PostgreSQL.

A fresh PostgreSQL database (127.0.0.1:5432, dropped afterwards) gets the demo data; Redis
(127.0.0.1:6379, db 12) is the shared cache. Virtual users run a mix of searches,
publication pages, reads, downloads, kiosk tickets, calls at the counter and guest-book
entries for DURATION seconds, first against one server, then round-robin over two. Prints
throughput, median and p95 latency and errors per kind of request. Loopback only.

  BENCH_USERS=16 BENCH_DURATION=20 make bench-scale
"""

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cluster import (  # noqa: E402
    CSRF,
    PYTHON,
    ROOT,
    Balancer,
    Cluster,
    base_env,
    collectstatic,
    session_headers,
)

USERS = int(os.environ.get("BENCH_USERS", "16"))
SERVERS = [int(n) for n in os.environ.get("BENCH_SERVERS", "1,2").split(",")]
DURATION = float(os.environ.get("BENCH_DURATION", "20"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/12")
DB_NAME = f"pst_bench_scale_{os.getpid()}"

# (kind, weight): roughly a busy PST day seen from the servers.
MIX = [
    ("search", 30),
    ("publication", 15),
    ("home+board", 10),
    ("read", 10),
    ("download", 10),
    ("ticket", 12),
    ("call", 5),
    ("guest_book", 8),
]
QUERIES = ["penduduk", "kendal dalam angka", "kemiskinan", "inflasi", "pertanian boja", "82.443"]
GUEST = {
    "full_name": "Tamu Benchmark",
    "phone": "0812 3456 7890",
    "card_type": "ktp",
    "services": "library",
    "purpose_text": "Mencari data penduduk kecamatan",
    "sex": "female",
    "age_group": "18_24",
    "education": "bachelor",
    "occupation": "student",
    "institution_category": "research_education",
    "institution_name": "Universitas Diponegoro",
    "purpose": "school",
}


def psql(sql):
    subprocess.run(
        ["psql", f"{PG}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql],
        check=True,
        capture_output=True,
    )


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(env):
    """Demo data, sessions for a visitor and an officer, a kiosk key, lifted download limits."""
    seed_env = {**env, "DEBUG": "true", "TASKS_BACKEND": "immediate"}
    manage(seed_env, "migrate", "--no-input", "-v0")
    manage(seed_env, "seed_demo")
    code = """
import json
from django.test import Client
from accounts.models import User
from catalog.models import Publication
from delivery.models import DownloadPolicy
from offices.models import Office
from visits.choices import DeviceKind
from visits.models import Device
office = Office.objects.get(code="3324")
DownloadPolicy.objects.filter(pk=DownloadPolicy.for_office(office).pk).update(
    downloads_per_hour=30000, downloads_per_day=30000)
_device, key = Device.register(office, kind=DeviceKind.KIOSK, name="Bench kiosk", by=None)
sessions = {}
for email in ["visitor@example.com", "officer@example.com"]:
    client = Client()
    client.force_login(User.objects.get(email=email))
    sessions[email] = client.cookies["sessionid"].value
published = Publication.objects.published()
print(json.dumps({
    "key": key,
    "sessions": sessions,
    "publications": list(published.values_list("pk", flat=True)),
    "downloadable": list(published.filter(access_level="downloadable")
                         .exclude(original_pdf="").values_list("pk", flat=True)),
}))
"""
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def one_request(balancer, kind, data, rng):
    visitor = session_headers(data["sessions"]["visitor@example.com"])
    officer = session_headers(data["sessions"]["officer@example.com"])
    form = {"csrfmiddlewaretoken": CSRF}
    if kind == "search":
        q = rng.choice(QUERIES).replace(" ", "+")
        return balancer.send("GET", f"/publications/?q={q}")
    if kind == "publication":
        return balancer.send("GET", f"/publications/{rng.choice(data['publications'])}/")
    if kind == "home+board":
        return balancer.send("GET", rng.choice(["/", "/api/v1/offices/3324/board"]))
    if kind == "read":
        pk = rng.choice(data["downloadable"])
        return balancer.send("GET", f"/publications/{pk}/read/", headers=visitor)
    if kind == "download":
        pk = rng.choice(data["downloadable"])
        return balancer.send(
            "POST", f"/publications/{pk}/download/", headers=visitor, form=form, stream=True
        )
    if kind == "ticket":
        return balancer.send(
            "POST",
            "/api/v1/offices/3324/tickets",
            headers={"Authorization": f"Bearer {data['key']}", "Content-Type": "application/json"},
            body=json.dumps({"service": "library"}),
        )
    if kind == "call":
        return balancer.send(
            "POST", "/office/3324/visits/counter/1/call-next/", headers=officer, form=form
        )
    if kind == "guest_book":
        email = f"tamu{rng.randrange(10**9)}@example.com"
        return balancer.send(
            "POST",
            "/office/3324/visits/guest-book/",
            headers=officer,
            form={**form, **GUEST, "email": email},
        )
    raise ValueError(kind)


def run_load(ports, data, duration):
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    samples = defaultdict(list)
    errors = defaultdict(int)
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def user(index):
        rng = random.Random(index)
        balancer = Balancer(ports[index % len(ports) :] + ports[: index % len(ports)])
        while time.monotonic() < stop_at:
            kind = rng.choice(kinds)
            started = time.perf_counter()
            try:
                _port, status, headers, _body = one_request(balancer, kind, data, rng)
                failed = (
                    status >= 500
                    or status in (400, 401, 403, 404, 429)
                    or "/accounts/login" in headers.get("Location", "")
                )
            except Exception:  # noqa: BLE001 - counted as an error
                failed = True
            elapsed = time.perf_counter() - started
            with lock:
                samples[kind].append(elapsed)
                if failed:
                    errors[kind] += 1

    threads = [threading.Thread(target=user, args=(i,)) for i in range(USERS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, errors, time.monotonic() - started


def p95(values):
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def report(title, samples, errors, elapsed):
    total = sum(len(v) for v in samples.values())
    everything = [x for v in samples.values() for x in v]
    print(
        f"\n{title}: {total} requests in {elapsed:.1f} s = {total / elapsed:.1f} req/s, "
        f"p95 {p95(everything) * 1000:.0f} ms, errors {sum(errors.values())}"
    )
    print(f"  {'kind':<12} {'count':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}")
    for kind, _weight in MIX:
        values = samples.get(kind) or [0.0]
        print(
            f"  {kind:<12} {len(samples.get(kind, [])):>6} "
            f"{len(samples.get(kind, [])) / elapsed:>7.1f} {statistics.median(values) * 1000:>7.0f} "
            f"{p95(values) * 1000:>7.0f} {errors.get(kind, 0):>6}"
        )
    return total / elapsed


def main():
    print(
        f"bench-scale: {USERS} virtual users, {DURATION:.0f} s per run, PostgreSQL + Redis, "
        f"{os.cpu_count()} CPU cores on this machine"
    )
    psql(f'CREATE DATABASE "{DB_NAME}"')
    try:
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            env = base_env(
                database=f"{PG}/{DB_NAME}",
                cache=REDIS,
                private_root=folder / "private",
                static_root=folder / "static",
                mail_dir=folder / "mail",
            )
            print("Preparing: migrate, demo data, static files...")
            data = prepare(env)
            collectstatic(env)
            results = {}
            for servers in SERVERS:
                cluster = Cluster(
                    env,
                    servers=servers,
                    workers=1,
                    web_workers=int(os.environ.get("WEB_CONCURRENCY", "2")),
                    threads=8,
                )
                with cluster:
                    run_load(cluster.ports, data, min(3.0, DURATION))  # warm-up
                    samples, errors, elapsed = run_load(cluster.ports, data, DURATION)
                results[servers] = report(
                    f"{servers} server(s) x {cluster.web_workers} gunicorn workers x 8 threads",
                    samples,
                    errors,
                    elapsed,
                )
            if 1 in results and 2 in results:
                print(
                    f"\nScaling 1 -> 2 servers on this machine: x{results[2] / results[1]:.2f} "
                    "(both servers share the same CPU cores here; on separate machines the "
                    "database and Redis become the limit)."
                )
    finally:
        psql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()
