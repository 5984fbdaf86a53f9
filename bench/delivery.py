"""Benchmark of the watermark path: `make bench-delivery`.

Builds the repository's deterministic 500-page yearbook (about 16 MB), then measures,
side by side and each in a fresh process (so peak memory is its own):

- plain copy of the original's bytes (the floor), and of the prepared file (what is streamed),
- `qpdf --overlay` of a one-page stamp (the C++ reference),
- the app's stamping path (`watermark.stamped_chunks`, as an HTTP download uses it: the
  prepared file streamed with the reader's mark patched in, written to a file),

interleaved (copy, stamp, copy, stamp, ...) so the machine's load hits all alike, as the
median of --runs runs (at least 7) with min and max, peak resident memory and output size,
with the ratios to the plain copy measured in the same run. The app's path is also run on a
100-page file to show that its memory does not depend on the file's size. Then a breakdown
of where a copy's time goes (in this process), one HTTP download and a burst with
concurrent clients on a gunicorn it starts (or `--http BASE_URL --publication ID --token
TOKEN` for a running app), and the corpus table: every PDF of tests/delivery/corpus.py
(46 files, 9 producers) prepared, stamped and judged by qpdf and pdftotext.
"""

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import SETTINGS  # noqa: E402

FIELDS_JSON = json.dumps(
    {
        "line1": "Diunduh oleh Rina Peneliti <rina@example.com> | 24/11/2026 07:30 WIB | "
        "Kode jejak K7QX94MTPR2345AB | kendalkab.bps.go.id",
        "line2": "Dilarang mengumumkan, mendistribusikan, mengomunikasikan, dan/atau "
        "menggandakan sebagian atau seluruh isi buku ini untuk tujuan komersial tanpa izin "
        "tertulis dari Badan Pusat Statistik",
        "trace_code": "K7QX94MTPR2345AB",
    }
)

CHILD_CODE = r"""
import json, shutil, sys, time
sys.path.insert(0, {root!r})
mode, source, target, plan_path = sys.argv[1:5]
if mode == "stamp":
    from delivery import watermark
    # As in a running server: the font metrics and the placeholder's sums are loaded once.
    watermark.copy_patches(watermark.load_plan(plan_path), watermark.StampFields("", "", "W" * 16))
start = time.perf_counter()
if mode == "copy":
    with open(source, "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)
else:
    plan = watermark.load_plan(plan_path)
    fields = watermark.StampFields(**json.loads({fields!r}))
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


def _output(folder):
    """Where copies are written: memory (tmpfs) when there is one, so the disk's other
    writers on a shared machine do not decide the figures; the same place for every method."""
    shm = Path("/dev/shm")
    return shm / f"bench-delivery-{os.getpid()}.pdf" if shm.is_dir() else folder / "out.pdf"


def _measure_interleaved(methods, output, runs):
    """Run every method once per round, ``runs`` rounds; one row per method."""
    times = {name: [] for name, _argv in methods}
    peaks = {name: [] for name, _argv in methods}
    sizes = {}
    for round_number in range(runs):
        # Each round starts with another method, so none always runs first (cold) or last.
        shift = round_number % len(methods)
        for name, argv in methods[shift:] + methods[:shift]:
            seconds, peak = _run(argv)
            times[name].append(seconds * 1000)
            peaks[name].append(peak)
            sizes[name] = output.stat().st_size / 1e6
    return [
        {
            "name": name,
            "median_ms": statistics.median(times[name]),
            "min_ms": min(times[name]),
            "max_ms": max(times[name]),
            "times": times[name],
            "peak_mb": max(peaks[name]),
            "size_mb": sizes[name],
        }
        for name, _argv in methods
    ]


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
    child = [sys.executable, "-c", CHILD_CODE.format(root=str(ROOT), fields=FIELDS_JSON)]
    out = _output(folder)
    rows = _measure_interleaved(
        [
            ("plain copy (original)", [*child, "copy", str(original), str(out), "-"]),
            ("plain copy (prepared)", [*child, "copy", str(prepared), str(out), "-"]),
            ("app stamping", [*child, "stamp", str(prepared), str(out), str(plan_path)]),
            (
                "app stamping (100 pages)",
                [*child, "stamp", str(small_prepared), str(out), str(small_plan)],
            ),
            (
                "qpdf --overlay",
                ["qpdf", str(original), "--overlay", str(stamp), "--repeat=1", "--", str(out)],
            ),
        ],
        out,
        runs,
    )
    floor = rows[0]["median_ms"]
    out.unlink(missing_ok=True)
    print(f"\n{runs} interleaved runs, copies written to {out.parent}; ms: median (min-max)")
    print(f"{'method':<28}{'median':>8}{'min-max':>14}{'ratio':>8}{'peak RSS':>10}{'output':>9}")
    for row in rows:
        spread = f"{row['min_ms']:.0f}-{row['max_ms']:.0f}"
        print(
            f"{row['name']:<28}{row['median_ms']:>8.1f}{spread:>14}"
            f"{row['median_ms'] / floor:>7.2f}x{row['peak_mb']:>8.0f}MB{row['size_mb']:>7.1f}MB"
        )
    app, qpdf = rows[2], rows[4]
    paired = sorted(a / c for a, c in zip(app["times"], rows[0]["times"], strict=True))
    print(
        f"\napp stamping / plain copy of the original: {app['median_ms'] / floor:.2f}x by the "
        f"medians; per round (the two runs side by side): median {statistics.median(paired):.2f}x, "
        f"min {paired[0]:.2f}x, max {paired[-1]:.2f}x (target <= 1.5x, goal 1.2x)"
    )
    print(
        f"app stamping / plain copy of the prepared file: "
        f"{app['median_ms'] / rows[1]['median_ms']:.2f}x; "
        f"app vs qpdf --overlay: {qpdf['median_ms'] / app['median_ms']:.1f}x faster"
    )
    breakdown(prepared, plan_path, original, runs)
    return floor


def breakdown(prepared, plan_path, original, runs):
    """Where a copy's time goes, measured in this process (medians in ms)."""
    from delivery import watermark

    fields = watermark.StampFields(**json.loads(FIELDS_JSON))
    sink = Path(os.devnull)
    steps = {
        "load the plan (JSON)": lambda: watermark.load_plan(plan_path),
        "build the patches": lambda: watermark.copy_patches(plan, fields),
        "read the prepared file": lambda: _read_all(prepared),
        "read + patch (+ bytes per chunk)": lambda: _consume(
            watermark.stamped_chunks(prepared, plan, fields)
        ),
        "read + patch + write (app stamping)": lambda: watermark.write_stamped(
            prepared, plan, fields, sink
        ),
        "plain copy of the original": lambda: _copy(original, sink),
    }
    plan = watermark.load_plan(plan_path)
    print("\nwhere a copy's time goes (this process, to /dev/null):")
    for label, step in steps.items():
        times = []
        for _ in range(max(runs, 7)):
            started = time.perf_counter()
            step()
            times.append((time.perf_counter() - started) * 1000)
        print(f"  {label:<40}{statistics.median(times):>8.2f} ms")


def _read_all(path):
    with open(path, "rb") as handle:
        while handle.read(1024 * 1024):
            pass


def _consume(chunks):
    for _chunk in chunks:
        pass


def _copy(source, target):
    with open(source, "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)


def _download(url, token):
    """One download with a lean client: (seconds to the first byte, seconds, bytes)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    buffer = bytearray(1024 * 1024)
    started = time.perf_counter()
    connection.request("GET", parts.path, headers={"Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    size = response.readinto(buffer)
    first = time.perf_counter() - started
    while count := response.readinto(buffer):
        size += count
    total = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        raise SystemExit(f"download answered {response.status}")
    return first, total, size


def bench_http_single(base_url, publication, token, original, folder, runs):
    """One download at a time, interleaved with a plain copy of the original (same load)."""
    url = f"{base_url.rstrip('/')}/api/v1/publications/{publication}/download"
    child = [sys.executable, "-c", CHILD_CODE.format(root=str(ROOT), fields=FIELDS_JSON)]
    out = _output(folder)
    copies, downloads, firsts = [], [], []
    _download(url, token)  # warm the worker (imports, connections)
    for _ in range(runs):
        copies.append(_run([*child, "copy", str(original), str(out), "-"])[0] * 1000)
        first, total, _size = _download(url, token)
        downloads.append(total * 1000)
        firsts.append(first * 1000)
    out.unlink(missing_ok=True)
    floor = statistics.median(copies)
    median = statistics.median(downloads)
    paired = sorted(d / c for d, c in zip(downloads, copies, strict=True))
    print(
        f"\nHTTP, one download at a time ({runs} runs, interleaved with a plain copy): "
        f"download median {median:.0f} ms (min {min(downloads):.0f}, max {max(downloads):.0f}), "
        f"of which to the first byte {statistics.median(firsts):.0f} ms (request, database "
        f"writes: the delivery record, the token's last use); plain copy median {floor:.0f} ms"
    )
    print(
        f"one download through HTTP / plain copy: {median / floor:.2f}x by the medians; per run "
        f"(side by side): median {statistics.median(paired):.2f}x, min {paired[0]:.2f}x, "
        f"max {paired[-1]:.2f}x (target <= 2x)"
    )


def bench_http(base_url, publication, token, clients, requests_total, *, server=None):
    import concurrent.futures

    url = f"{base_url.rstrip('/')}/api/v1/publications/{publication}/download"

    def fetch(_):
        return _download(url, token)[1:]

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


def bench_http_selfhosted(folder, original, clients, requests_total, runs):
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
        bench_http_single(base, publication, token, original, folder, runs)
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


def bench_corpus(folder):
    """Every corpus PDF prepared and stamped by the app, judged by qpdf and pdftotext."""
    from delivery import watermark
    from tests.delivery import corpus

    folder = folder / "corpus"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    items = corpus.build_corpus(folder)
    built = time.perf_counter() - started
    fields = watermark.StampFields(**json.loads(FIELDS_JSON))
    rows = []
    for item in items:
        started = time.perf_counter()
        plan = watermark.prepare(item.path, folder / "prepared.pdf")
        prepared_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        watermark.write_stamped(folder / "prepared.pdf", plan, fields, folder / "copy.pdf")
        stamped_ms = (time.perf_counter() - started) * 1000
        row = corpus.summary(item.path, folder / "copy.pdf", code=fields.trace_code)
        rows.append((item, row, prepared_ms, stamped_ms, plan))
    producers = {item.producer for item, *_ in rows}
    print(
        f"\ncorpus: {len(rows)} PDFs from {len(producers)} producers, built in {built:.1f} s "
        "(qpdf --check: 0 clean, 3 warnings, 2 errors)"
    )
    print(
        f"{'file':<30}{'producer':<28}{'pages':>6}{'qpdf orig/copy':>16}{'stamp':>7}"
        f"{'prepare':>10}{'stamp':>9}  linearized"
    )
    for item, row, prepared_ms, stamped_ms, plan in rows:
        print(
            f"{item.name:<30}{item.producer:<28}{row['pages']:>6}"
            f"{row['qpdf_original']:>10}/{row['qpdf_copy']:<5}"
            f"{'yes' if row['stamp'] else 'NO':>7}{prepared_ms:>8.0f}ms{stamped_ms:>7.1f}ms"
            f"  {'yes' if plan['linearized'] else 'no'}"
        )
    slowest = max(rows, key=lambda r: r[2] + r[3])
    print(
        f"slowest corpus file: {slowest[0].name} ({slowest[0].producer}, {slowest[1]['pages']} "
        f"pages): prepared in {slowest[2]:.0f} ms, stamped in {slowest[3]:.1f} ms"
    )
    worse = [
        item.name for item, row, *_ in rows if row["qpdf_copy"] not in (0, row["qpdf_original"])
    ]
    missing = [item.name for item, row, *_ in rows if not row["stamp"]]
    print(
        f"copies worse than their original by qpdf --check: {worse or 'none'}; stamp missing: {missing or 'none'}"
    )


def _load():
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


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
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus table")
    args = parser.parse_args()
    if args.runs < 7:
        parser.error("--runs: at least 7 (medians of fewer runs say little on a shared machine)")
    print(f"machine: {os.cpu_count()} CPUs, {_load()} (1, 5, 15 min) at the start")
    bench_files(args.runs, args.folder)
    if args.http:
        bench_http(args.http, args.publication, args.token, args.clients, args.requests)
    elif not args.no_http:
        bench_http_selfhosted(
            args.folder, args.folder / "yearbook-500.pdf", args.clients, args.requests, args.runs
        )
    if not args.no_corpus:
        for key, value in SETTINGS.items():  # the corpus notes are translated strings
            os.environ.setdefault(key, value)
        os.environ.setdefault(
            "FIELD_ENCRYPTION_KEYS", "QmVuY2gta2V5LW5vdC1mb3ItcHJvZHVjdGlvbi0wMTI="
        )
        import django

        django.setup()
        bench_corpus(args.folder)
    print(f"\nmachine: {_load()} at the end")


if __name__ == "__main__":
    main()
