# ruff: noqa: E501, SIM905, SIM115 - data tables and a throwaway script
"""Catalogue search benchmark (`make bench-search`): build a large catalogue, time 50 queries.

    .venv/bin/python bench/search.py [--rows 100000] [--text-rows 1000] [--pages 50]

Builds, in its own database (a fresh SQLite file under var/bench/, or the PostgreSQL
database named by BENCH_DATABASE_URL), N publications imported through
`import_publications` from a generated CSV (timed), plus M publications with about
P pages of Indonesian text each. Then runs 50 varied queries (one word, several
words, prefixes, catalogue numbers, with facets) through the search service and over
HTTP against the app served by gunicorn on 127.0.0.1, and a naive `icontains` scan for
comparison. Prints p50/p95/max in milliseconds. Loopback only, bounded in time.
"""

import argparse
import csv
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
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


def run_http(port, queries):
    timings = []
    from catalog.models import Subject

    subject_ids = dict(Subject.objects.values_list("title", "pk"))
    for q, filters in queries:
        params = {"q": q, **filters}
        if "subject" in params:
            params["subject"] = subject_ids[params["subject"]]
        url = f"http://127.0.0.1:{port}/api/v1/publications?{urllib.parse.urlencode(params)}"
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
            response.read()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--text-rows", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1, help="times each query is run")
    parser.add_argument("--keep", action="store_true", help="reuse the catalogue built before")
    args = parser.parse_args()

    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    database_url = (
        os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{bench_dir / 'bench.sqlite3'}"
    )
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
    print(
        f"database: {vendor}  rows: {args.rows}  with text: {args.text_rows} x {args.pages} pages"
    )
    if not args.keep:
        call_command("migrate", verbosity=0)
        if vendor == "postgresql":
            call_command("flush", interactive=False, verbosity=0)
            with connection.cursor() as cursor:
                cursor.execute(
                    "TRUNCATE catalog_search, catalog_search_strong, catalog_page_search"
                )
        office = load_office("3324")
        from catalog.subjects import load_subjects

        load_subjects()
        rng = random.Random(2026)
        manifest = bench_dir / "manifest.csv"
        write_manifest(manifest, args.rows, rng)
        start = time.perf_counter()
        call_command(
            "import_publications", str(manifest), "--no-progress", stdout=open(os.devnull, "w")
        )  # noqa: SIM115
        print(f"import_publications of {args.rows} rows: {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        add_text_publications(office, args.text_rows, args.pages, rng)
        print(f"{args.text_rows} publications with page text: {time.perf_counter() - start:.1f} s")
        if vendor == "sqlite":
            with connection.cursor() as cursor:
                for table in ("catalog_meta_fts", "catalog_text_fts", "catalog_page_fts"):
                    cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")  # noqa: S608
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    queries = [(q, {}) if isinstance(q, str) else q for q in QUERIES] * args.rounds
    run_service(queries[:10])  # warm caches and the stemmer
    service = run_service(queries)
    naive = run_naive(queries)
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
        run_http(port, queries[:10])
        http = run_http(port, queries)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    print(f"{len(queries)} queries")
    print(figures("search service", service))
    print(figures("HTTP GET /api/v1/publications", http))
    print(figures("naive icontains scan", naive))
    print(
        f"naive / service at the median: {statistics.median(naive) / statistics.median(service):.1f}x"
    )
    slow = sorted(zip(service, queries, strict=True), key=lambda pair: -pair[0])[:5]
    print(
        "slowest through the service:",
        ", ".join(f"{q!r}{f or ''} {t:.0f} ms" for t, (q, f) in slow),
    )


if __name__ == "__main__":
    main()
