# ruff: noqa: SIM905 - a word list
"""Text recognition benchmark (`make bench-ocr`): seconds per scanned page, and what is read.

    .venv/bin/python bench/ocr.py [--pages 10] [--jobs 1]

Makes an image-only PDF of N pages of Indonesian statistical text (rendered at 200 dpi,
slightly turned and speckled, as a scanner gives it: ``catalog.samples.make_scanned_pdf``),
runs the app's recognition step on it (``catalog.ocr.recognise_file``: OCRmyPDF in a
child process, Tesseract ``ind+eng``), and prints the time per page and the share of the
page's words found in the recognised text. Then the same PDF with every other page
typed (a text layer): those pages are skipped, only the scans cost time.
"""

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_environment  # noqa: E402

WORDS = (
    "jumlah penduduk menurut kecamatan dan jenis kelamin tahun luas panen produksi padi "
    "sawah jagung kedelai rumah tangga pertanian tenaga kerja angkatan pengangguran "
    "terbuka indeks harga konsumen inflasi sekolah murid guru puskesmas dokter bidan "
    "garis kemiskinan pengeluaran per kapita sebulan desa kelurahan wilayah"
).split()


def page_text(rng, number):
    sentences = []
    for _ in range(9):
        words = [rng.choice(WORDS) for _ in range(rng.randint(9, 14))]
        sentences.append(" ".join(words).capitalize() + f" {rng.randint(100, 99999):,}.")
    return f"Tabel {number}.1 " + " ".join(sentences)


def recall(expected, found):
    want = re.findall(r"[a-z]+", expected.lower())
    have = set(re.findall(r"[a-z]+", found.lower()))
    return sum(1 for w in want if w in have) / max(1, len(want))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=1, help="pages recognised at once")
    args = parser.parse_args()
    work = bench_environment(prefix="bench-ocr-", CATALOG_OCR_JOBS=str(args.jobs))
    import django

    django.setup()
    import pypdfium2 as pdfium

    from catalog import ocr
    from catalog.samples import make_pdf, make_scanned_pdf

    rng = random.Random(2026)
    texts = [page_text(rng, n) for n in range(1, args.pages + 1)]
    title = "Kecamatan Weleri Dalam Angka 2024"
    source = Path(work) / "scan.pdf"
    source.write_bytes(make_scanned_pdf(texts, title=title))
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "readable.pdf"
        start = time.perf_counter()
        pages = ocr.recognise_file(source, output)
        seconds = time.perf_counter() - start
        found = ocr.page_text(output, pages)
    shares = [recall(texts[n - 1], found[n]) for n in pages]
    print(f"{len(pages)} scanned pages, jobs {args.jobs}: {seconds:.1f} s, "
          f"{seconds / len(pages):.2f} s per page")  # fmt: skip
    print(f"words read back: mean {sum(shares) / len(shares):.1%}, lowest {min(shares):.1%}")

    # Every other page typed: skipped by the recognition.
    mixed = pdfium.PdfDocument.new()
    scan = pdfium.PdfDocument(str(source))
    typed = pdfium.PdfDocument(make_pdf(texts, title=title))
    for index in range(args.pages):
        mixed.import_pages(typed if index % 2 else scan, [index])
    mixed_path = Path(work) / "mixed.pdf"
    mixed.save(str(mixed_path))
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        pages = ocr.recognise_file(mixed_path, Path(folder) / "readable.pdf")
        seconds = time.perf_counter() - start
    print(f"half typed, half scanned: {len(pages)} pages recognised of {args.pages}: "
          f"{seconds:.1f} s, {seconds / max(1, len(pages)):.2f} s per scanned page")  # fmt: skip


if __name__ == "__main__":
    main()
