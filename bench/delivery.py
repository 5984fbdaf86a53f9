"""Benchmark of the watermark path: `make bench-delivery`.

Builds the repository's deterministic 500-page yearbook (about 20 MB), then measures,
side by side and each in a fresh process (so peak memory is its own):

- plain copy of the file's bytes (the floor),
- `qpdf --overlay` of a one-page stamp (the C++ reference),
- the app's stamping path (prepared file streamed with the reader's mark patched in),

as median wall time of several runs, peak resident memory and output size, with the ratios
to the plain copy. The app's path is also run on a 100-page file to show that its memory
does not depend on the file's size. With `--http BASE_URL --publication ID --token TOKEN`
it also measures downloads through HTTP on a running app with concurrent clients.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD_CODE = r"""
import json, shutil, sys, time
sys.path.insert(0, {root!r})
mode, source, target, plan_path = sys.argv[1:5]
if mode == "stamp":
    from delivery import watermark
start = time.perf_counter()
if mode == "copy":
    with open(source, "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)
else:
    plan = watermark.load_plan(plan_path)
    fields = watermark.StampFields(
        line1="Diunduh oleh Rina Peneliti <rina@example.com> | 24/11/2026 07:30 WIB | Kode jejak K7QX94MTPR2345AB | https://kendalkab.bps.go.id",
        line2="Dilarang mengumumkan, mendistribusikan, mengomunikasikan, dan/atau menggandakan sebagian atau seluruh isi buku ini untuk tujuan komersial tanpa izin tertulis dari Badan Pusat Statistik",
        trace_code="K7QX94MTPR2345AB")
    watermark.write_stamped(source, plan, fields, target)
seconds = time.perf_counter() - start
peak = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(json.dumps({{"seconds": seconds, "peak_kb": int(peak)}}))
"""


def _high_water_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _run(argv):
    """Run a child; return (in-process or wall seconds, peak RSS in MB).

    Python children report their own time and VmHWM; for qpdf the wall time is taken
    and VmHWM is polled while it runs (ru_maxrss would include this parent's memory,
    which Linux carries across exec).
    """
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak_kb = 0
    while process.poll() is None:
        peak_kb = max(peak_kb, _high_water_kb(process.pid))
        time.sleep(0.002)
    wall = time.perf_counter() - started
    out = process.stdout.read().decode()
    process.stdout.close()
    if process.returncode != 0:
        raise SystemExit(f"{argv[0]} failed")
    if out.strip().startswith("{"):
        report = json.loads(out)
        return report["seconds"], report["peak_kb"] / 1024
    return wall, peak_kb / 1024


def _measure(name, argv, output, runs):
    times, peaks = [], []
    for _ in range(runs):
        seconds, peak = _run(argv)
        times.append(seconds)
        peaks.append(peak)
    return {
        "name": name,
        "median_ms": statistics.median(times) * 1000,
        "peak_mb": max(peaks),
        "size_mb": output.stat().st_size / 1e6,
    }


def _stamp_page(path):
    import pikepdf

    pdf = pikepdf.Pdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    content = (
        b"BT /F1 6 Tf 0.45 g 14 14 Td (Diunduh oleh Rina Peneliti <rina@example.com> "
        b"24/11/2026 07:30 WIB Kode jejak K7QX94MTPR2345AB) Tj ET"
    )
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 595, 842],
        Contents=pdf.make_stream(content),
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
    )
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(path)


def _ensure_yearbook(folder, pages):
    from delivery import watermark
    from delivery.yearbook import build_yearbook

    original = folder / f"yearbook-{pages}.pdf"
    prepared = folder / f"yearbook-{pages}.prepared.pdf"
    plan_path = folder / f"yearbook-{pages}.plan.json"
    if not original.exists():
        started = time.perf_counter()
        build_yearbook(original, pages=pages)
        print(
            f"generated {original.name}: {original.stat().st_size / 1e6:.1f} MB in "
            f"{time.perf_counter() - started:.1f} s"
        )
    started = time.perf_counter()
    plan = watermark.prepare(original, prepared)
    print(
        f"prepared once at upload: {time.perf_counter() - started:.2f} s, "
        f"{prepared.stat().st_size / 1e6:.1f} MB"
    )
    watermark.save_plan(plan, plan_path)
    return original, prepared, plan_path


def bench_files(runs, folder):
    folder.mkdir(parents=True, exist_ok=True)
    original, prepared, plan_path = _ensure_yearbook(folder, 500)
    small_original, small_prepared, small_plan = _ensure_yearbook(folder, 100)
    stamp = folder / "stamp.pdf"
    _stamp_page(stamp)
    child = [sys.executable, "-c", CHILD_CODE.format(root=str(ROOT))]
    out = folder / "out.pdf"
    rows = [
        _measure("plain copy", [*child, "copy", str(original), str(out), "-"], out, runs),
        _measure(
            "qpdf --overlay",
            ["qpdf", str(original), "--overlay", str(stamp), "--repeat=1", "--", str(out)],
            out,
            runs,
        ),
        _measure(
            "app stamping", [*child, "stamp", str(prepared), str(out), str(plan_path)], out, runs
        ),
        _measure(
            "app stamping (100 pages)",
            [*child, "stamp", str(small_prepared), str(out), str(small_plan)],
            out,
            runs,
        ),
    ]
    floor = rows[0]["median_ms"]
    print(f"\n{'method':<28}{'median':>10}{'ratio':>8}{'peak RSS':>11}{'output':>10}")
    for row in rows:
        print(
            f"{row['name']:<28}{row['median_ms']:>8.0f}ms{row['median_ms'] / floor:>7.2f}x"
            f"{row['peak_mb']:>9.0f}MB{row['size_mb']:>8.1f}MB"
        )
    app, qpdf = rows[2], rows[1]
    print(
        f"\napp stamping / plain copy: {app['median_ms'] / floor:.2f}x (target ≤ 2x); "
        f"app vs qpdf --overlay: {qpdf['median_ms'] / app['median_ms']:.1f}x faster"
    )
    return floor


def bench_http(
    base_url, publication, token, clients, requests_total, *, plain_ms=None, server=None
):
    import concurrent.futures
    import urllib.request

    url = f"{base_url.rstrip('/')}/api/v1/publications/{publication}/download"

    def fetch(_):
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - loopback only
            size = 0
            while chunk := response.read(1024 * 1024):
                size += len(chunk)
        return time.perf_counter() - started, size

    peak_rss = 0.0
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(fetch, n) for n in range(requests_total)]
        while server is not None and not all(f.done() for f in futures):
            peak_rss = max(peak_rss, _tree_rss_mb(server.pid))
            time.sleep(0.05)
        results = [f.result() for f in futures]
    elapsed = time.perf_counter() - started
    times = sorted(r[0] for r in results)
    total = sum(r[1] for r in results)
    print(
        f"\nHTTP: {requests_total} downloads, {clients} concurrent clients: "
        f"{requests_total / elapsed:.1f} downloads/s, {total / elapsed / 1e6:.0f} MB/s, "
        f"median {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {times[max(0, int(len(times) * 0.95) - 1)] * 1000:.0f} ms"
    )
    if plain_ms:
        ratio = statistics.median(times) * 1000 / plain_ms
        print(f"one download through HTTP / plain copy: {ratio:.2f}x (target ≤ 3x)")
    if server is not None:
        print(f"server memory (gunicorn master + workers) during the burst: peak {peak_rss:.0f} MB")


SETUP_CODE = r"""
from allauth.account.models import EmailAddress
from django.core.files import File
from accounts.models import ApiToken, User
from catalog.choices import AccessLevel, Visibility
from catalog.models import Publication
from catalog.services import save_publication
from delivery.models import DownloadPolicy
from offices.seed import load_office
office = load_office("3324")
DownloadPolicy.objects.update_or_create(office=office, defaults={"downloads_per_hour": 10000, "downloads_per_day": 10000})
user, _ = User.objects.get_or_create(email="bench@example.com", defaults={"full_name": "Bench Reader"})
EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
publication = Publication.objects.filter(title="Yearbook benchmark").first()
if publication is None:
    publication = Publication(office=office, title="Yearbook benchmark", year=2024,
                              visibility=Visibility.PUBLISHED, access_level=AccessLevel.DOWNLOADABLE)
    with open(PATH, "rb") as handle:
        save_publication(publication, by=None, pdf=File(handle, name="yearbook.pdf"))
_token, raw = ApiToken.issue(user, name="bench")
print("BENCH", publication.pk, raw)
"""


def bench_http_selfhosted(folder, original, clients, requests_total, plain_ms):
    """Start the app with gunicorn on a free loopback port, download through HTTP, stop it."""
    import socket
    import urllib.request

    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 60,
        "FIELD_ENCRYPTION_KEYS": "QmVuY2gta2V5LW5vdC1mb3ItcHJvZHVjdGlvbi0wMTI=",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "TASKS_BACKEND": "immediate",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}"),
        "PRIVATE_STORAGE_ROOT": str(folder / "private"),
        "STATIC_ROOT": str(folder / "static"),
        "LOG_LEVEL": "WARNING",
    }
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    setup = subprocess.run(
        [python, "manage.py", "shell", "-c", f"PATH = {str(original)!r}\n" + SETUP_CODE],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(row for row in setup.stdout.splitlines() if row.startswith("BENCH"))
    _, publication, token = line.split()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            str(Path(python).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "25",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        bench_http(base, publication, token, 1, 7, plain_ms=plain_ms)
        bench_http(base, publication, token, clients, requests_total, server=server)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _tree_rss_mb(pid):
    """Resident memory of a process and its children (gunicorn master and workers)."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    total = 0
    for one in pids:
        status = Path(f"/proc/{one}/status")
        if not status.exists():
            continue
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS"):
                total += int(line.split()[1])
    return total / 1024


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--folder", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--http", help="base URL of a running app, e.g. http://127.0.0.1:8000")
    parser.add_argument("--publication", type=int)
    parser.add_argument("--token")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP part")
    args = parser.parse_args()
    plain_ms = bench_files(args.runs, args.folder)
    if args.http:
        bench_http(args.http, args.publication, args.token, args.clients, args.requests)
    elif not args.no_http:
        bench_http_selfhosted(
            args.folder, args.folder / "yearbook-500.pdf", args.clients, args.requests, plain_ms
        )


if __name__ == "__main__":
    main()
