"""Reference data for offices: BPS Kabupaten Kendal and its service standards.

The library standard is the office's published "Standar Pelayanan Perpustakaan"
(see shared/seed); the other three services follow the PST standards BPS offices
register in SIPPN. ``load_office`` is idempotent: it creates what is missing and
never overwrites what officers have since edited.
"""

import datetime

from django.db import transaction

from .choices import Service
from .models import Counter, Locker, Office, OpeningHours, ServiceStandard

KENDAL = {
    "code": "3324",
    "name": "BPS Kabupaten Kendal",
    "short_name": "BPS Kendal",
    "address": "Jl. Pramuka (Komplek Perkantoran) Patebon, Kendal 51351",
    "phone": "(0294) 381461",
    "fax": "(0294) 383461",
    "email": "bps3324@bps.go.id",
    "whatsapp": "0896 3324 3324",
    "whatsapp_url": "https://s.bps.go.id/3324OnlineServices",
    "complaint_url": "https://s.bps.go.id/pengaduanbpskendal",
    "social_media": "@bpskendal",
    "website": "https://kendalkab.bps.go.id",
    "timezone": "Asia/Jakarta",
}

# PST opening hours of BPS offices: Monday–Thursday 08.00–15.30, Friday 08.00–16.00.
HOURS = [(day, "08:00", "15:30") for day in range(4)] + [(4, "08:00", "16:00")]

COUNTERS = [
    (1, "Loket 1 — Perpustakaan", [Service.LIBRARY]),
    (2, "Loket 2 — Konsultasi dan Penjualan", [Service.CONSULTATION, Service.SALES]),
    (3, "Loket 3 — Rekomendasi", [Service.RECOMMENDATION, Service.CONSULTATION]),
]

LOCKER_COUNT = 12

COMPLAINT_HANDLING = """Kotak saran dan pengaduan pada unit PST BPS Kabupaten Kendal
Website pengaduan: s.bps.go.id/pengaduanbpskendal
E-mail: bps3324@bps.go.id
Layanan 24 jam melalui WhatsApp: 0896 3324 3324 atau s.bps.go.id/3324OnlineServices
Media sosial: @bpskendal
Layanan Aspirasi dan Pengaduan Online Rakyat (LAPOR!): www.lapor.go.id"""

MANAGEMENT = {
    "legal_basis": """Undang-Undang Nomor 16 Tahun 1997 tentang Statistik
Undang-Undang Nomor 43 Tahun 2007 tentang Perpustakaan
Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik
Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik
Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi
Peraturan Pemerintah Nomor 51 Tahun 1999 tentang Penyelenggaraan Statistik
Peraturan Menteri PANRB Nomor 15 Tahun 2014 tentang Pedoman Standar Pelayanan
Peraturan BPS Nomor 78 Tahun 2020 tentang Standar Pelayanan Statistik Terpadu""",
    "facilities": """Ruang pelayanan PST ber-AC dengan ruang tunggu
Ruang perpustakaan tercetak dan sarana scanner pustaka
Komputer dan jaringan internet untuk perpustakaan digital
Loker penitipan barang
Mesin antrian dan layar panggilan
Kursi roda, jalur landai dan toilet untuk penyandang disabilitas
Prioritas layanan bagi lansia, ibu hamil dan penyandang disabilitas""",
    "staff_competence": """Memahami produk dan data statistik BPS
Menguasai aplikasi pelayanan dan katalog perpustakaan
Mampu berkomunikasi dengan baik dan ramah
Telah mengikuti pelatihan pelayanan prima""",
    "internal_supervision": """Supervisi oleh Kepala BPS Kabupaten Kendal dan atasan langsung
Pengendalian mutu sesuai ISO 9001:2015
Evaluasi survei kepuasan masyarakat secara berkala""",
    "staff_count": "4 orang petugas PST (front office, perpustakaan dan konsultasi)",
    "service_guarantee": "Pelayanan diberikan sesuai standar pelayanan; "
    "apabila tidak sesuai, pengguna layanan dapat menyampaikan pengaduan.",
    "security_guarantee": """Data pribadi pengguna layanan dilindungi sesuai UU Nomor 27 Tahun 2022
Kartu identitas dan barang titipan disimpan aman selama kunjungan
Ruang pelayanan dilengkapi alat pemadam api ringan dan jalur evakuasi""",
    "performance_evaluation": """Evaluasi kinerja petugas setiap bulan oleh atasan langsung
Survei Kepuasan Masyarakat (IKM) setiap semester
Tindak lanjut hasil evaluasi dan pengaduan""",
    "pledge": "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar "
    "pelayanan yang telah ditetapkan dan apabila tidak menepati janji ini, kami siap "
    "menerima sanksi sesuai peraturan perundang-undangan yang berlaku.",
}

STANDARDS = {
    Service.LIBRARY: {
        "requirements_walk_in": """Pengguna layanan berkunjung ke Unit Pelayanan Statistik Terpadu (PST) BPS
Pengguna layanan memiliki kartu identitas yang masih berlaku (KTP, SIM, Paspor, dan lain-lain)
Pengguna layanan memiliki alamat email yang masih aktif
Pengguna layanan mengisi buku tamu""",
        "requirements_online": """Pengguna layanan memiliki alamat email yang masih aktif
Pengguna layanan memiliki akun pada aplikasi pelayanan""",
        "procedure_walk_in": """Pengguna layanan mengakses layanan perpustakaan dengan mengunjungi unit PST BPS, mengambil nomor antrian dan menunggu antrian
Pengguna layanan mengisi buku tamu di front office
Pengguna layanan menyerahkan kartu identitas ke petugas front office untuk penggunaan loker
Pengguna layanan meletakkan tas pada loker
Pengguna layanan mengakses layanan perpustakaan tercetak (membaca pustaka hardcopy di ruang perpustakaan tercetak; memperoleh pustaka softcopy menggunakan sarana scanner pustaka) atau perpustakaan digital (membaca pustaka softcopy pada aplikasi pelayanan; memperoleh pustaka softcopy dengan mengisi form permintaan, lalu petugas mengirim pustaka softcopy melalui aplikasi pelayanan)
Pengguna layanan memberikan penilaian/rating/pengaduan terhadap kualitas pelayanan perpustakaan
Pengguna layanan selesai mengakses layanan perpustakaan""",
        "procedure_online": """Pengguna layanan mengakses layanan perpustakaan melalui aplikasi pelayanan
Pengguna layanan melakukan registrasi
Pengguna layanan mencari pustaka yang dibutuhkan
Pengguna layanan membaca pustaka softcopy
Pengguna layanan memperoleh pustaka softcopy berwatermark melalui menu unduh
Pengguna layanan memberikan penilaian/rating/pengaduan terhadap kualitas pelayanan perpustakaan
Pengguna layanan selesai mengakses layanan perpustakaan""",
        "service_time_walk_in": "Pengguna layanan akan dilayani maksimal 10 (sepuluh) menit "
        "setelah mengisi buku tamu",
        "service_time_online": "Pengguna layanan dapat langsung mencari pustaka yang dibutuhkan "
        "secara mandiri setelah registrasi pada aplikasi pelayanan",
        "walk_in_target_minutes": 10,
        "request_target_working_days": 3,
        "cost_walk_in": "Tidak dipungut biaya atau GRATIS",
        "cost_online": "Tidak dipungut biaya atau GRATIS",
        "products_walk_in": "Pustaka hardcopy dan softcopy berwatermark",
        "products_online": "Pustaka softcopy berwatermark",
    },
    Service.CONSULTATION: {
        "requirements_walk_in": """Pengguna layanan berkunjung ke Unit PST BPS
Pengguna layanan mengisi buku tamu""",
        "requirements_online": """Pengguna layanan memiliki alamat email yang masih aktif
Pengguna layanan memiliki akun pada aplikasi pelayanan""",
        "procedure_walk_in": """Pengguna layanan mengambil nomor antrian dan mengisi buku tamu
Pengguna layanan berkonsultasi dengan petugas di meja konsultasi
Pengguna layanan memberikan penilaian/pengaduan terhadap kualitas pelayanan""",
        "procedure_online": """Pengguna layanan melakukan registrasi pada aplikasi pelayanan
Pengguna layanan mencari data terlebih dahulu
Jika data tidak ditemukan, pengguna layanan mengajukan konsultasi
Petugas menjawab konsultasi melalui aplikasi pelayanan
Pengguna layanan memberikan penilaian/pengaduan terhadap kualitas pelayanan""",
        "service_time_walk_in": "Pengguna layanan dilayani maksimal 10 (sepuluh) menit setelah "
        "mengisi buku tamu",
        "service_time_online": "Maksimal 3 (tiga) hari kerja setelah permintaan jelas",
        "walk_in_target_minutes": 10,
        "request_target_working_days": 3,
        "cost_walk_in": "Tidak dipungut biaya atau GRATIS",
        "cost_online": "Tidak dipungut biaya atau GRATIS",
        "products_walk_in": "Jawaban konsultasi statistik",
        "products_online": "Jawaban konsultasi statistik",
    },
    Service.SALES: {
        "requirements_walk_in": """Pengguna layanan berkunjung ke Unit PST BPS dan mengisi buku tamu
Untuk data mikro dan peta: abstraksi penggunaan data dan surat pernyataan penggunaan data""",
        "requirements_online": """Pengguna layanan memiliki akun pada aplikasi pelayanan
Untuk data mikro dan peta: abstraksi penggunaan data dan surat pernyataan penggunaan data""",
        "procedure_walk_in": """Pengguna layanan mengambil nomor antrian dan mengisi buku tamu
Petugas menjelaskan produk dan tarif PNBP
Pengguna layanan menerima kode billing SIMPONI dan melakukan pembayaran
Petugas menyerahkan produk dan bukti pembayaran
Pengguna layanan memberikan penilaian/pengaduan terhadap kualitas pelayanan""",
        "procedure_online": """Pengguna layanan mengajukan permintaan produk melalui aplikasi pelayanan
Petugas memeriksa permintaan dan menerbitkan kode billing
Pengguna layanan melakukan pembayaran
Produk dikirim melalui aplikasi pelayanan
Pengguna layanan memberikan penilaian/pengaduan terhadap kualitas pelayanan""",
        "service_time_walk_in": "Publikasi: saat itu juga setelah pembayaran diterima",
        "service_time_online": "Data mikro: maksimal 10 (sepuluh) hari kerja setelah "
        "persyaratan lengkap dan pembayaran diterima",
        "walk_in_target_minutes": 10,
        "request_target_working_days": 10,
        "cost_walk_in": "Sesuai Peraturan Pemerintah Nomor 86 Tahun 2021 tentang tarif PNBP BPS",
        "cost_online": "Sesuai Peraturan Pemerintah Nomor 86 Tahun 2021 tentang tarif PNBP BPS",
        "products_walk_in": "Publikasi tercetak, data mikro, peta wilayah kerja statistik",
        "products_online": "Publikasi digital, data mikro, peta wilayah kerja statistik",
    },
    Service.RECOMMENDATION: {
        "requirements_walk_in": """Diajukan oleh kementerian/lembaga atau organisasi perangkat daerah
Formulir Pemberitahuan Survei Statistik Sektoral (FS3) yang lengkap""",
        "requirements_online": """Diajukan oleh kementerian/lembaga atau organisasi perangkat daerah
Formulir FS3 diisi melalui aplikasi Romantik""",
        "procedure_walk_in": """Instansi menyampaikan FS3 ke Unit PST
Petugas memeriksa kelengkapan FS3
BPS mengkaji rancangan kegiatan statistik
BPS menerbitkan surat rekomendasi atau mengembalikan FS3 untuk diperbaiki""",
        "procedure_online": """Instansi mengisi FS3 melalui aplikasi Romantik
BPS mengkaji rancangan kegiatan statistik
BPS menerbitkan surat rekomendasi atau mengembalikan FS3 untuk diperbaiki""",
        "service_time_walk_in": "Maksimal 30 (tiga puluh) hari kerja setelah FS3 lengkap",
        "service_time_online": "Maksimal 30 (tiga puluh) hari kerja setelah FS3 lengkap",
        "walk_in_target_minutes": 10,
        "request_target_working_days": 30,
        "cost_walk_in": "Tidak dipungut biaya atau GRATIS",
        "cost_online": "Tidak dipungut biaya atau GRATIS",
        "products_walk_in": "Surat rekomendasi kegiatan statistik",
        "products_online": "Surat rekomendasi kegiatan statistik",
    },
}

OFFICES = {"3324": (KENDAL, HOURS, COUNTERS, LOCKER_COUNT, STANDARDS)}


@transaction.atomic
def load_office(code):
    """Create the office with this code and everything it needs; return it."""
    data, hours, counters, locker_count, standards = OFFICES[code]
    office, _ = Office.objects.get_or_create(code=code, defaults=data)
    if not office.opening_hours.exists():
        OpeningHours.objects.bulk_create(
            OpeningHours(
                office=office,
                weekday=day,
                opens=datetime.time.fromisoformat(opens),
                closes=datetime.time.fromisoformat(closes),
            )
            for day, opens, closes in hours
        )
    for number, name, services in counters:
        Counter.objects.get_or_create(
            office=office, number=number, defaults={"name": name, "services": list(services)}
        )
    for index in range(1, locker_count + 1):
        Locker.objects.get_or_create(office=office, label=f"L{index:02d}")
    for service, content in standards.items():
        if not ServiceStandard.objects.filter(office=office, service=service).exists():
            ServiceStandard.objects.create(
                office=office,
                service=service,
                version=1,
                change_note="Standar pelayanan awal",
                complaint_handling=COMPLAINT_HANDLING,
                **MANAGEMENT,
                **content,
            )
    return office
