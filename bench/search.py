# ruff: noqa: E501, SIM905, SIM115 - data tables and a throwaway script
"""Catalogue search benchmark (`make bench-search`): build a large catalogue, time 49 queries.

    .venv/bin/python bench/search.py [--rows 100000] [--text-rows 1000] [--pages 50] [--keep]

Builds, in its own database (a fresh SQLite file under var/bench/, and, when
BENCH_DATABASE_URL names one, a PostgreSQL database too: both are run, one after the
other, and printed side by side), N publications imported through `import_publications`
from a generated CSV (timed), plus M publications with P pages of Indonesian text each.
Then runs 49 varied queries (one word, several words, prefixes, catalogue numbers, with
facets) through the search service, over HTTP against the app served by gunicorn on
127.0.0.1, and a naive `icontains` scan for comparison.

It also times the floor: what the database's own full-text search costs for the same
words, bare and warm, on a plain table holding each publication's words (record and
page text) in one document: SQLite FTS5 `MATCH ... ORDER BY bm25 LIMIT 20` plus
`count(*)`, PostgreSQL `@@ websearch_to_tsquery` with `ts_rank` `LIMIT 20` plus
`count(*)`. What the app adds (facets, tiers, page hits, HTTP) is then judged by the
ratio of its HTTP p95 to the floor's p95, measured in the same run. Prints p50/p95/max
in milliseconds. Loopback only, bounded in time.
"""

import argparse
import csv
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERIES = [
    ("Dalam Angka", "1102001"), ("Statistik Daerah", "1101002"),
    ("Indikator Kesejahteraan Rakyat", "4102004"), ("Statistik Hortikultura", "5204003"),
    ("Produk Domestik Regional Bruto Menurut Lapangan Usaha", "9302008"),
    ("Indeks Pembangunan Manusia", "4102002"), ("Statistik Tanaman Pangan", "5203014"),
    ("Profil Kemiskinan", "3205006"), ("Keadaan Angkatan Kerja", "2303003"),
    ("Statistik Perumahan dan Permukiman", "4105001"), ("Statistik Pendidikan", "4301003"),
    ("Statistik Kesehatan", "4201004"), ("Statistik Harga Produsen Pertanian", "7202003"),
    ("Statistik Perikanan Tangkap", "5402003"), ("Statistik Peternakan", "5301003"),
    ("Statistik Industri Manufaktur", "6101006"), ("Statistik Pariwisata", "8401006"),
    ("Inflasi dan Indeks Harga Konsumen", "7101003"), ("Statistik Transportasi", "8301004"),
    ("Analisis Hasil Survei Kebutuhan Data", "1399013"),
]  # fmt: skip
REGIONS = [
    f"Kabupaten {n}"
    for n in (
        "Kendal Batang Demak Semarang Kudus Pati Rembang Blora Grobogan Boyolali Klaten Sragen "
        "Wonogiri Karanganyar Sukoharjo Magelang Temanggung Wonosobo Banjarnegara Purbalingga "
        "Cilacap Banyumas Kebumen Purworejo Jepara Pemalang Tegal Brebes Pekalongan".split()
    )
] + [
    f"Kecamatan {n}"
    for n in (
        "Weleri Boja Kaliwungu Patebon Cepiring Kangkung Rowosari Sukorejo Plantungan Pageruyung "
        "Patean Singorojo Limbangan Brangsong Pegandon Gemuh Ringinarum Ngampel".split()
    )
]
VOCABULARY = (
    "penduduk jumlah kepadatan pertumbuhan rumah tangga pendapatan pengeluaran konsumsi produksi "
    "padi jagung kedelai cabai bawang sayuran buah luas panen lahan sawah irigasi tenaga kerja "
    "pengangguran terbuka partisipasi angkatan sekolah murid guru puskesmas dokter bidan "
    "imunisasi kemiskinan garis miskin indeks harga konsumen inflasi upah buruh industri besar "
    "sedang mikro kecil perdagangan ekspor impor hotel wisatawan kunjungan jalan kendaraan listrik "
    "air bersih sanitasi perumahan layak huni desa kelurahan wilayah administrasi iklim curah hujan "
    "suhu agama pemeluk tempat ibadah pemilih anggaran belanja daerah pajak retribusi koperasi "
    "bank kredit simpanan ternak sapi kambing ayam telur daging ikan tangkap budidaya tambak hutan "
    "kayu perkebunan kelapa karet kopi tebu tembakau kesehatan pendidikan kesejahteraan gizi balita "
    "stunting nelayan petani pedagang pasar tradisional minimarket angkutan umum terminal stasiun"
).split()
SUBJECTS = ["Kependudukan", "Pendidikan", "Kesehatan", "Kemiskinan", "Hortikultura",
            "Tanaman Pangan", "Inflasi", "PDRB (Lapangan Usaha)", "Tenaga Kerja", "Perumahan",
            "Industri", "Pariwisata", "Perikanan", "Peternakan", "Transportasi", "Lainnya"]  # fmt: skip

QUERIES = [
    # one word
    "penduduk", "kemiskinan", "inflasi", "hortikultura", "pariwisata", "nelayan", "stunting",
    "weleri", "kependudukan", "pertanian", "kesejahteraan", "perumahan", "tembakau", "puskesmas",
    # several words
    "jumlah penduduk kecamatan weleri", "kependudukan 2023", "luas panen padi", "statistik daerah",
    "indikator kesejahteraan rakyat kendal", "produksi cabai bawang", "kabupaten kendal dalam angka",
    "tenaga kerja pengangguran terbuka", "garis kemiskinan 2022", "harga konsumen inflasi 2024",
    "upah buruh industri", "curah hujan suhu", "pdrb lapangan usaha 2021",
    # prefixes (search as you type)
    "kepend", "hortik", "weler", "kemisk", "statistik pend", "dalam ang", "pariw", "kab kend",
    # numbers
    "1102001.3324", "5204003.3324", "33240.2401", "1399013", "2088-1234",
    # with facets
    ("penduduk", {"year": 2023}), ("kemiskinan", {"subject": "Kemiskinan"}),
    ("padi", {"availability": "softcopy"}), ("inflasi", {"office": "3324"}),
    ("statistik", {"year": 2020}), ("", {"year": 2024}), ("kendal", {"availability": "hardcopy"}),
    ("dalam angka", {"sort": "newest"}), ("", {}),
]  # fmt: skip


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def figures(label, values):
    return (f"{label:34s} p50 {statistics.median(values):8.1f}  p95 {percentile(values, 0.95):8.1f}"
            f"  max {max(values):8.1f} ms")  # fmt: skip


def write_manifest(path, rows, rng):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "year", "catalog_number", "publication_number", "issn",
                         "isbn", "subject", "abstract", "release_date", "language",
                         "hardcopy_call_number", "hardcopy_copies"])  # fmt: skip
        seen = set()
        for index in range(rows):
            name, series = rng.choice(SERIES)
            region = rng.choice(REGIONS)
            year = rng.randint(1995, 2025)
            catalog = f"{series}.{3300 + REGIONS.index(region):04d}{index % 1000:03d}"
            while (catalog, year) in seen:
                year = rng.randint(1995, 2025)
            seen.add((catalog, year))
            words = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(25, 60)))
            writer.writerow([
                "", f"{name} {region} {year}", year, catalog, f"33240.{year % 100:02d}{index % 100:02d}",
                "2088-1234" if index == 7 else "", "", rng.choice(SUBJECTS),
                f"Publikasi ini menyajikan data {words} di {region}.",
                f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "id",
                f"310 {index}" if index % 3 == 0 else "", 1 if index % 3 == 0 else 0,
            ])  # fmt: skip


def add_text_publications(office, count, pages, rng):
    from catalog.choices import ProcessingState, Visibility
    from catalog.models import Publication, PublicationPage, Subject
    from catalog.search import index_pages, index_publications

    subjects = list(Subject.objects.filter(title__in=SUBJECTS))
    for start in range(0, count, 50):
        batch = []
        for index in range(start, min(count, start + 50)):
            name, series = rng.choice(SERIES)
            region = rng.choice(REGIONS)
            year = rng.randint(2010, 2025)
            batch.append(Publication(
                office=office, title=f"{name} {region} {year} (teks lengkap)", year=year,
                catalog_number=f"{series}.9{index:06d}", visibility=Visibility.PUBLISHED,
                abstract=f"Publikasi {name.lower()} {region}.", original_pdf=f"bench/{index}.pdf",
                processing_state=ProcessingState.READY, page_count=pages, pages_done=pages,
            ))  # fmt: skip
        batch = Publication.objects.bulk_create(batch)
        if batch[0].pk is None:
            batch = list(Publication.objects.order_by("-pk")[: len(batch)])
        for publication in batch:
            publication.subjects.add(rng.choice(subjects))
            page_objects = PublicationPage.objects.bulk_create([
                PublicationPage(publication=publication, number=n, text=(
                    f"{publication.title}\n" + " ".join(rng.choice(VOCABULARY) for _ in range(250))
                    + f" Jumlah penduduk {rng.choice(REGIONS)} tahun {rng.randint(2010, 2025)}."
                )) for n in range(1, pages + 1)
            ])  # fmt: skip
            if page_objects[0].pk is None:
                page_objects = list(publication.pages.all())
            index_pages(publication.pk, page_objects)
        index_publications(batch)


def run_service(queries):
    from catalog.models import Subject
    from catalog.search import search

    subject_ids = dict(Subject.objects.values_list("title", "pk"))
    timings = []
    for q, filters in queries:
        filters = dict(filters)
        if "subject" in filters:
            filters["subject"] = subject_ids[filters["subject"]]
        start = time.perf_counter()
        search(q, **filters)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def run_naive(queries):
    from django.db.models import Count, Q

    from catalog.models import Publication, PublicationPage, Subject

    subject_ids = dict(Subject.objects.values_list("title", "pk"))
    timings = []
    for q, filters in queries:
        start = time.perf_counter()
        base = Publication.objects.published()
        for word in q.split():
            in_pages = PublicationPage.objects.filter(text__icontains=word).values("publication_id")
            base = base.filter(
                Q(title__icontains=word) | Q(abstract__icontains=word)
                | Q(catalog_number__icontains=word) | Q(pk__in=in_pages)
            )  # fmt: skip
        if "year" in filters:
            base = base.filter(year=filters["year"])
        if "subject" in filters:
            base = base.filter(subjects__pk=subject_ids[filters["subject"]])
        base.count()
        list(base.order_by("-year")[:20])
        list(base.order_by().values("year").annotate(n=Count("pk")))
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def run_http(port, queries, timeout=30):
    timings = []
    from catalog.models import Subject

    subject_ids = dict(Subject.objects.values_list("title", "pk"))
    for q, filters in queries:
        params = {"q": q, **filters}
        if "subject" in params:
            params["subject"] = subject_ids[params["subject"]]
        url = f"http://127.0.0.1:{port}/api/v1/publications?{urllib.parse.urlencode(params)}"
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
            response.read()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


FLOOR_BATCH = 2000


def build_floor(vendor):
    """The floor's table: one document per published publication, all its words (the same
    stems the app indexes: record and page text), with the database's plain index."""
    from django.db import connection

    from catalog.models import Publication
    from catalog.search import document_rows

    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS bench_floor")
            cursor.execute(
                "CREATE VIRTUAL TABLE bench_floor USING fts5(text, tokenize = 'unicode61 remove_diacritics 0')"
            )
            insert = "INSERT INTO bench_floor (rowid, text) VALUES (%s, %s)"
        else:
            cursor.execute("DROP TABLE IF EXISTS bench_floor")
            cursor.execute(
                "CREATE TABLE bench_floor (id bigint PRIMARY KEY, document tsvector NOT NULL)"
            )
            insert = "INSERT INTO bench_floor (id, document) VALUES (%s, to_tsvector('simple', %s))"
        ids = list(Publication.objects.published().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), FLOOR_BATCH):
            batch = Publication.objects.filter(pk__in=ids[start : start + FLOOR_BATCH])
            cursor.executemany(insert, [(row[0], row[4]) for row in document_rows(batch)])
        if vendor == "sqlite":
            cursor.execute("INSERT INTO bench_floor (bench_floor) VALUES ('optimize')")
        else:
            cursor.execute("CREATE INDEX bench_floor_gin ON bench_floor USING gin (document)")
            cursor.execute("ANALYZE bench_floor")


def floor_words(q):
    """The words the app searches for (stems, stop words dropped, numbers as phrases)."""
    from catalog.search import parse_query

    return [term.parts for term in parse_query(q, prefix=False).terms]


def run_floor(vendor, queries):
    from django.db import connection

    timings = []
    with connection.cursor() as cursor:
        for q, _filters in queries:
            terms = floor_words(q)
            start = time.perf_counter()
            if not terms:
                table = "bench_floor"
                key = "rowid" if vendor == "sqlite" else "id"
                cursor.execute(f"SELECT {key} FROM {table} LIMIT 20")  # noqa: S608
                cursor.fetchall()
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            elif vendor == "sqlite":
                match = " ".join('"' + " ".join(parts) + '"' for parts in terms)
                cursor.execute(
                    "SELECT rowid FROM bench_floor WHERE bench_floor MATCH %s"
                    " ORDER BY bm25(bench_floor) LIMIT 20",
                    [match],
                )
                cursor.fetchall()
                cursor.execute(
                    "SELECT count(*) FROM bench_floor WHERE bench_floor MATCH %s", [match]
                )
            else:
                words = " ".join(
                    f'"{" ".join(parts)}"' if len(parts) > 1 else parts[0] for parts in terms
                )
                cursor.execute(
                    "SELECT id FROM bench_floor, websearch_to_tsquery('simple', %s) q"
                    " WHERE document @@ q ORDER BY ts_rank(document, q) DESC LIMIT 20",
                    [words],
                )
                cursor.fetchall()
                cursor.execute(
                    "SELECT count(*) FROM bench_floor WHERE document @@ websearch_to_tsquery('simple', %s)",
                    [words],
                )
            cursor.fetchall()
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_database(args, database_url):
    """Build (unless --keep) and time one database; returns its figures."""
    bench_dir = ROOT / "var" / "bench"
    env = {
        "DATABASE_URL": database_url, "DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 60,
        "FIELD_ENCRYPTION_KEYS": "QmVuY2gta2V5LW5vdC1mb3ItcHJvZHVjdGlvbi0wMTI=",
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false", "TASKS_BACKEND": "immediate",
        "PRIVATE_STORAGE_ROOT": str(bench_dir / "private"), "LOG_LEVEL": "WARNING",
        "DISABLE_RATE_LIMITS": "true",
    }  # fmt: skip
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    if database_url.startswith("sqlite") and not args.keep:
        Path(database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from offices.seed import load_office

    vendor = connection.vendor
    figures_out = {"vendor": vendor}
    print(
        f"database: {vendor}  rows: {args.rows}  with text: {args.text_rows} x {args.pages} pages",
        flush=True,
    )
    call_command("migrate", verbosity=0)
    if not args.keep:
        if vendor == "postgresql":
            call_command("flush", interactive=False, verbosity=0)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'catalog_%search%'"
                )
                for (table,) in cursor.fetchall():
                    cursor.execute(f"TRUNCATE {table}")  # noqa: S608 - our own table names
        office = load_office("3324")
        from catalog.subjects import load_subjects

        load_subjects()
        rng = random.Random(2026)
        manifest = bench_dir / "manifest.csv"
        write_manifest(manifest, args.rows, rng)
        start = time.perf_counter()
        with open(os.devnull, "w") as devnull:
            call_command("import_publications", str(manifest), "--no-progress", stdout=devnull)
        figures_out["import_s"] = time.perf_counter() - start
        print(
            f"import_publications of {args.rows} rows: {figures_out['import_s']:.1f} s", flush=True
        )
        start = time.perf_counter()
        add_text_publications(office, args.text_rows, args.pages, rng)
        print(
            f"{args.text_rows} publications with page text: {time.perf_counter() - start:.1f} s",
            flush=True,
        )
        with connection.cursor() as cursor:
            if vendor == "sqlite":
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%USING fts5(%'"
                )
                for (table,) in cursor.fetchall():
                    cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")  # noqa: S608
            cursor.execute("ANALYZE")
    from catalog.search import refresh_maps

    start = time.perf_counter()
    if refresh_maps() is not None:  # the import built them; --keep on an older build
        print(f"word maps: {time.perf_counter() - start:.1f} s", flush=True)
    if not args.keep or "bench_floor" not in connection.introspection.table_names():
        start = time.perf_counter()
        build_floor(vendor)
        print(f"floor table: {time.perf_counter() - start:.1f} s", flush=True)
    queries = [(q, {}) if isinstance(q, str) else q for q in QUERIES] * args.rounds
    run_service(queries[:10])  # warm caches and the stemmer
    service = run_service(queries)
    run_floor(vendor, queries)  # warm
    floor = run_floor(vendor, queries)
    naive = run_naive(queries) if not args.no_naive else []
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, bound to loopback
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **env}, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        # The first requests wait for the workers to start and load the facet maps.
        run_http(port, queries[:10], timeout=300)
        run_http(port, queries[:10])
        http = run_http(port, queries)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    figures_out.update(
        queries=len(queries), service=service, http=http, floor=floor, naive=naive,
        labels=[f"{q!r}{f or ''}" for q, f in queries],
    )  # fmt: skip
    report(figures_out)
    return figures_out


def report(result):
    service, http, floor, naive = (result[k] for k in ("service", "http", "floor", "naive"))
    print(f"{result['vendor']}: {result['queries']} queries")
    print(figures("search service", service))
    print(figures("HTTP GET /api/v1/publications", http))
    print(figures("floor (bare full-text search)", floor))
    if naive:
        print(figures("naive icontains scan", naive))
        print(
            f"naive / service at the median: {statistics.median(naive) / statistics.median(service):.1f}x"
        )
    print(f"HTTP p95 / floor p95: {percentile(http, 0.95) / percentile(floor, 0.95):.2f}")
    slow = sorted(zip(service, result["labels"], strict=True), key=lambda pair: -pair[0])[:5]
    print("slowest through the service:", ", ".join(f"{label} {t:.0f} ms" for t, label in slow))
    slow = sorted(zip(http, result["labels"], strict=True), key=lambda pair: -pair[0])[:5]
    print("slowest over HTTP:", ", ".join(f"{label} {t:.0f} ms" for t, label in slow))
    slow = sorted(zip(floor, result["labels"], strict=True), key=lambda pair: -pair[0])[:5]
    print("slowest floor:", ", ".join(f"{label} {t:.0f} ms" for t, label in slow), flush=True)


def side_by_side(results):
    """Both databases' figures in one table."""
    names = [r["vendor"] for r in results]
    print()
    print(f"{'':38s}" + "".join(f"{name:>24s}" for name in names))

    def row(label, cell):
        print(f"{label:38s}" + "".join(f"{cell(r):>24s}" for r in results))

    def triple(key):
        return lambda r: (
            f"{statistics.median(r[key]):.1f} / {percentile(r[key], 0.95):.1f}" if r[key] else "-"
        )

    row("import of the rows (s)", lambda r: f"{r['import_s']:.1f}" if "import_s" in r else "-")
    row("service p50 / p95 (ms)", triple("service"))
    row("HTTP p50 / p95 (ms)", triple("http"))
    row("floor p50 / p95 (ms)", triple("floor"))
    row("naive scan p50 / p95 (ms)", triple("naive"))
    row(
        "naive / service at the median",
        lambda r: (
            f"{statistics.median(r['naive']) / statistics.median(r['service']):.1f}x"
            if r["naive"]
            else "-"
        ),
    )
    row(
        "HTTP p95 / floor p95",
        lambda r: f"{percentile(r['http'], 0.95) / percentile(r['floor'], 0.95):.2f}",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--text-rows", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1, help="times each query is run")
    parser.add_argument("--keep", action="store_true", help="reuse the catalogue built before")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive scan (slow)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args()

    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    sqlite_url = f"sqlite:///{bench_dir / 'bench.sqlite3'}"
    postgres_url = os.environ.get("BENCH_DATABASE_URL")
    if args.only:
        result = run_database(args, sqlite_url if args.only == "sqlite" else postgres_url)
        if args.json:
            Path(args.json).write_text(json.dumps(result))
        return
    if not postgres_url:
        run_database(args, sqlite_url)
        return
    # Both databases, one after the other, each in a process of its own (Django's settings
    # are per process), then side by side.
    results = []
    for name in ("sqlite", "postgresql"):
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            command = [sys.executable, __file__, *sys.argv[1:], "--only", name, "--json", out.name]
            subprocess.run(command, check=True)  # noqa: S603 - this script
            results.append(json.loads(Path(out.name).read_text()))
    side_by_side(results)


if __name__ == "__main__":
    main()
