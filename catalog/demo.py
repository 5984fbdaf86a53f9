"""Demo catalogue for ``manage.py seed_demo``: Kendal publications, some with generated PDFs.

The PDFs are processed at once (not by the worker) so search works the moment
the demo starts. Idempotent: publications are matched by catalogue number and year.
"""

import datetime

from django.core.files.base import ContentFile

from .choices import AccessLevel, Frequency, Visibility
from .models import Publication, Subject
from .samples import make_pdf
from .services import process_file, save_publication
from .subjects import load_subjects

KECAMATAN = [
    ("Plantungan", 32586), ("Pageruyung", 35671), ("Sukorejo", 60399), ("Patean", 52105),
    ("Singorojo", 52854), ("Limbangan", 34937), ("Boja", 82443), ("Kaliwungu", 66157),
    ("Brangsong", 50611), ("Pegandon", 37954), ("Gemuh", 52409), ("Ringinarum", 36620),
    ("Ngampel", 35855), ("Kaliwungu Selatan", 51999),
]  # fmt: skip


def _kda_pages(year):
    rows = "\n".join(f"{name}: {people:,} jiwa".replace(",", ".") for name, people in KECAMATAN)
    return [
        f"Kabupaten Kendal Dalam Angka {year}\nKendal Regency in Figures {year}\n"
        "Badan Pusat Statistik Kabupaten Kendal\nJl. Pramuka, Patebon, Kendal 51351",
        "Kata Pengantar\nPublikasi Kabupaten Kendal Dalam Angka memuat data pokok tentang "
        "geografi, pemerintahan, penduduk, ketenagakerjaan, pendidikan, kesehatan, pertanian, "
        "industri, perdagangan dan pendapatan regional Kabupaten Kendal.",
        "Bab 1 Geografi dan Iklim\nKabupaten Kendal terletak di pantai utara Jawa Tengah "
        "dan terdiri atas 20 kecamatan. Curah hujan tertinggi tercatat pada bulan Januari.",
        "Bab 3 Penduduk dan Ketenagakerjaan\nJumlah penduduk Kabupaten Kendal hasil proyeksi "
        "pertengahan tahun 2023 sebanyak 1.064.812 jiwa. Hasil Sensus Penduduk 2020 mencatat "
        "1.018.505 jiwa.\nJumlah penduduk menurut kecamatan:\n" + rows,
        "Bab 5 Pertanian\nLuas panen padi sawah dan produksi padi menurut kecamatan. Produksi "
        "tanaman pangan, hortikultura, perkebunan, peternakan dan perikanan.",
        "Bab 11 Pendapatan Regional\nPertumbuhan ekonomi Kabupaten Kendal triwulan III-2025 "
        "mencapai 8,84 persen (y-on-y), tertinggi di Jawa Tengah.",
    ]


def _weleri_pages(year):
    return [
        f"Kecamatan Weleri Dalam Angka {year}\nBadan Pusat Statistik Kabupaten Kendal",
        "Geografi\nKecamatan Weleri terletak di bagian barat Kabupaten Kendal, dilalui jalan "
        "pantai utara Jawa. Kecamatan Weleri terdiri atas 16 desa.",
        "Penduduk\nJumlah penduduk Kecamatan Weleri pada tahun 2023 sebanyak 61.245 jiwa, terdiri "
        "atas 30.512 laki-laki dan 30.733 perempuan. Kepadatan penduduk 2.502 jiwa per km2.",
        "Pendidikan dan Kesehatan\nJumlah sekolah dasar, murid dan guru; jumlah puskesmas, "
        "dokter dan bidan di Kecamatan Weleri.",
        "Pertanian\nLuas panen padi di Kecamatan Weleri dan produksi jagung, cabai serta "
        "bawang merah.",
    ]


def _ikr_pages(year):
    return [
        f"Indikator Kesejahteraan Rakyat Kabupaten Kendal {year}",
        "Kependudukan\nLaju pertumbuhan penduduk, rasio jenis kelamin dan angka beban "
        "ketergantungan Kabupaten Kendal.",
        "Kemiskinan\nPersentase penduduk miskin Kabupaten Kendal dan garis kemiskinan per kapita "
        "per bulan. Indeks kedalaman dan keparahan kemiskinan.",
        "Perumahan\nPersentase rumah tangga yang menempati rumah layak huni, sumber air minum "
        "layak dan sanitasi layak.",
    ]


def _horti_pages(year):
    return [
        f"Statistik Hortikultura Kabupaten Kendal {year}",
        "Sayuran\nProduksi cabai besar, cabai rawit, bawang merah dan kubis menurut kecamatan "
        "di Kabupaten Kendal. Produksi bawang merah tertinggi di Kecamatan Ngampel.",
        "Buah-buahan\nProduksi mangga, pisang, durian dan jambu biji. Tanaman hortikultura "
        "menjadi sumber pendapatan petani.",
    ]


PUBLICATIONS = [
    {
        "title": "Kabupaten Kendal Dalam Angka 2024",
        "year": 2024, "catalog_number": "1102001.3324", "publication_number": "33240.2401",
        "issn": "0215-2525", "release_date": datetime.date(2024, 2, 28),
        "subjects": ["Kependudukan", "Pendidikan", "Tanaman Pangan", "PDRB (Lapangan Usaha)"],
        "abstract": "Kabupaten Kendal Dalam Angka 2024 menyajikan data pokok Kabupaten Kendal: "
        "geografi, pemerintahan, penduduk, pendidikan, pertanian, industri dan pendapatan "
        "regional.",
        "pages": _kda_pages, "hardcopy_copies": 3, "hardcopy_call_number": "310 KEN k 2024",
        "language": "id_en",
    },
    {
        "title": "Kabupaten Kendal Dalam Angka 2023",
        "year": 2023, "catalog_number": "1102001.3324", "publication_number": "33240.2301",
        "issn": "0215-2525", "release_date": datetime.date(2023, 2, 28),
        "subjects": ["Kependudukan", "Pendidikan"],
        "abstract": "Data pokok Kabupaten Kendal tahun 2022 dalam berbagai bidang.",
        "hardcopy_copies": 2, "hardcopy_call_number": "310 KEN k 2023", "language": "id_en",
    },
    {
        "title": "Kecamatan Weleri Dalam Angka 2024",
        "year": 2024, "catalog_number": "1102001.3324120", "publication_number": "33240.2412",
        "release_date": datetime.date(2024, 9, 26), "subjects": ["Kependudukan", "Geografi"],
        "abstract": "Gambaran umum Kecamatan Weleri: geografi, penduduk, pendidikan, kesehatan "
        "dan pertanian.",
        "pages": _weleri_pages, "hardcopy_copies": 1, "hardcopy_call_number": "310 KEN w 2024",
    },
    {
        "title": "Statistik Daerah Kabupaten Kendal 2024",
        "year": 2024, "catalog_number": "1101002.3324", "publication_number": "33240.2405",
        "release_date": datetime.date(2024, 9, 30), "subjects": ["Lainnya"],
        "abstract": "Ringkasan perkembangan pembangunan Kabupaten Kendal dari data statistik.",
        "hardcopy_copies": 2, "hardcopy_call_number": "315 KEN s 2024",
    },
    {
        "title": "Indikator Kesejahteraan Rakyat Kabupaten Kendal 2023",
        "year": 2023, "catalog_number": "4102004.3324", "publication_number": "33240.2320",
        "release_date": datetime.date(2023, 12, 15),
        "subjects": ["Kemiskinan", "Perumahan", "Kependudukan"],
        "abstract": "Indikator kesejahteraan rakyat: kependudukan, kesehatan, pendidikan, "
        "kemiskinan dan perumahan di Kabupaten Kendal.",
        "pages": _ikr_pages, "access_level": AccessLevel.READ_ONLINE,
    },
    {
        "title": "Produk Domestik Regional Bruto Kabupaten Kendal Menurut Lapangan Usaha 2019–2023",
        "year": 2024, "catalog_number": "9302008.3324", "publication_number": "33240.2404",
        "release_date": datetime.date(2024, 4, 30), "subjects": ["PDRB (Lapangan Usaha)"],
        "abstract": "PDRB atas dasar harga berlaku dan harga konstan menurut lapangan usaha.",
        "hardcopy_copies": 1, "hardcopy_call_number": "339 KEN p 2024",
    },
    {
        "title": "Statistik Hortikultura Kabupaten Kendal 2023",
        "year": 2023, "catalog_number": "5204003.3324", "publication_number": "33240.2310",
        "release_date": datetime.date(2023, 10, 31), "subjects": ["Hortikultura"],
        "abstract": "Produksi tanaman sayuran dan buah-buahan di Kabupaten Kendal.",
        "pages": _horti_pages, "access_level": AccessLevel.ON_REQUEST,
    },
    {
        "title": "Analisis Hasil Survei Kebutuhan Data BPS Kabupaten Kendal 2023",
        "year": 2023, "catalog_number": "1399013.3324", "publication_number": "33240.2330",
        "release_date": datetime.date(2023, 12, 29), "subjects": ["Lainnya"],
        "abstract": "Hasil Survei Kebutuhan Data: kepuasan konsumen terhadap layanan BPS.",
        "hardcopy_copies": 1, "hardcopy_call_number": "001.4 KEN a 2023",
        "frequency": Frequency.ANNUAL,
    },
]  # fmt: skip


def seed(office, *, stdout):
    load_subjects()
    subjects = {s.title: s for s in Subject.objects.all()}
    created = 0
    for spec in PUBLICATIONS:
        spec = dict(spec)
        pages = spec.pop("pages", None)
        subject_titles = spec.pop("subjects", [])
        if Publication.objects.filter(
            office=office, catalog_number=spec["catalog_number"], year=spec["year"]
        ).exists():
            continue
        publication = Publication(office=office, visibility=Visibility.PUBLISHED, **spec)
        pdf = None
        if pages:
            pdf = ContentFile(make_pdf(pages(spec["year"]), title=spec["title"]), name="demo.pdf")
        save_publication(
            publication, by=None, subjects=[subjects[t] for t in subject_titles], pdf=pdf
        )
        if pdf is not None:
            process_file(publication.pk)
        created += 1
    stdout.write(f"  catalogue: {created} publications added")
