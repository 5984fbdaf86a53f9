"""The BPS subject list (as on the regional BPS websites), loaded by a data migration."""

from .models import Subject, SubjectCategory

CATEGORIES = {
    0: "Lainnya",
    1: "Sosial dan Kependudukan",
    2: "Ekonomi dan Perdagangan",
    3: "Pertanian dan Pertambangan",
}

SUBJECTS = {
    1: [
        "Agama",
        "Budaya",
        "Gender",
        "Geografi",
        "Iklim",
        "Indeks Pembangunan Manusia",
        "Kemiskinan",
        "Kependudukan",
        "Kesehatan",
        "Konsumsi dan Pengeluaran",
        "Lingkungan Hidup",
        "Pemerintahan",
        "Pendidikan",
        "Perumahan",
        "Politik dan Keamanan",
        "Sosial Budaya",
        "Tenaga Kerja",
    ],
    2: [
        "Ekspor-Impor",
        "Energi",
        "Harga Eceran",
        "Harga Produsen",
        "Industri",
        "Inflasi",
        "Input-Output",
        "Keuangan",
        "Komunikasi",
        "Konstruksi",
        "Nilai Tukar Petani",
        "Pariwisata",
        "Perdagangan",
        "PDRB (Lapangan Usaha)",
        "PDRB (Pengeluaran)",
        "Sensus Ekonomi",
        "Tingkat Penghunian Kamar Hotel",
        "Transportasi",
        "Upah Buruh",
        "Usaha Mikro Kecil",
    ],
    3: ["Hortikultura", "Kehutanan", "Perikanan", "Perkebunan", "Peternakan", "Tanaman Pangan"],
    0: ["Lainnya"],
}


def load_subjects(category_model=SubjectCategory, subject_model=Subject):
    """Create the categories and subjects that are missing (idempotent).

    Migrations pass their historical models.
    """
    for bps_id, title in CATEGORIES.items():
        category, _ = category_model.objects.get_or_create(bps_id=bps_id, defaults={"title": title})
        for subject_title in SUBJECTS[bps_id]:
            subject_model.objects.get_or_create(
                title=subject_title, defaults={"category": category}
            )
