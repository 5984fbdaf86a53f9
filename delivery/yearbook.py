"""A deterministic generator of a realistic statistical yearbook PDF ("Kendal Dalam Angka").

Pages of Indonesian headings, dense numeric tables, vector bar charts and, every few
pages, a raster image — the mix of a real BPS publication — so tests and the delivery
benchmark work on realistic files. The same arguments always give the same bytes.
"""

import random
import zlib

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

KECAMATAN = [
    "Plantungan",
    "Pageruyung",
    "Sukorejo",
    "Patean",
    "Singorojo",
    "Limbangan",
    "Boja",
    "Kaliwungu",
    "Brangsong",
    "Pegandon",
    "Ngampel",
    "Gemuh",
    "Ringinarum",
    "Weleri",
    "Rowosari",
    "Kangkung",
    "Cepiring",
    "Patebon",
    "Kota Kendal",
    "Kaliwungu Selatan",
]
CHAPTERS = [
    ("Geografi dan Iklim", "Luas Wilayah dan Curah Hujan"),
    ("Pemerintahan", "Jumlah Desa dan Aparatur"),
    ("Penduduk dan Ketenagakerjaan", "Jumlah Penduduk Menurut Jenis Kelamin"),
    ("Sosial dan Kesejahteraan Rakyat", "Jumlah Sekolah dan Murid"),
    ("Pertanian", "Luas Panen dan Produksi Padi"),
    ("Industri dan Energi", "Jumlah Perusahaan Industri"),
    ("Perdagangan", "Nilai Ekspor Menurut Komoditas"),
    ("Pendapatan Regional", "PDRB Atas Dasar Harga Berlaku"),
]


def _text(x, y, size, text):
    safe = text.encode("cp1252", "replace").replace(b"\\", b"\\\\")
    safe = safe.replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"BT /F1 %d Tf %.1f %.1f Td (%s) Tj ET\n" % (size, x, y, safe)


def _table_page(rng, number, chapter, subject):
    parts = [b"0 g\n"]
    parts.append(_text(56, 800, 13, f"Bab {number % 8 + 1}. {chapter}"))
    parts.append(
        _text(56, 780, 10, f"Tabel {number % 8 + 1}.{number}. {subject} di Kabupaten Kendal, 2024")
    )
    parts.append(
        _text(56, 768, 8, f"Table {number % 8 + 1}.{number}. {subject} in Kendal Regency, 2024")
    )
    headers = ["Kecamatan", "Laki-laki", "Perempuan", "Jumlah", "Rasio", "Kepadatan"]
    for column, header in enumerate(headers):
        parts.append(_text(56 + column * 85, 745, 8, header))
    parts.append(b"0.5 w 56 740 m 540 740 l S\n")
    y = 728
    for name in KECAMATAN:
        male, female = rng.randint(15000, 48000), rng.randint(15000, 48000)
        values = [
            name,
            f"{male:,}".replace(",", "."),
            f"{female:,}".replace(",", "."),
            f"{male + female:,}".replace(",", "."),
            f"{male / female * 100:.2f}",
            f"{rng.uniform(400, 2900):.1f}".replace(".", ","),
        ]
        for column, value in enumerate(values):
            parts.append(_text(56 + column * 85, y, 8, value))
        y -= 12
    parts.append(b"56 %d m 540 %d l S\n" % (y + 8, y + 8))
    parts.append(
        _text(56, y - 6, 7, "Sumber: BPS Kabupaten Kendal, Proyeksi Penduduk Interim 2020-2035")
    )
    # A vector bar chart under the table.
    base = y - 190
    parts.append(b"0.3 w 70 %d m 70 %d l 530 %d l S\n" % (base + 150, base, base))
    for index, _name in enumerate(KECAMATAN):
        height = rng.uniform(20, 140)
        shade = 0.2 + (index % 5) * 0.12
        parts.append(
            b"%.2f %.2f %.2f rg %.1f %d 16 %.1f re f\n"
            % (shade, 0.35, 0.6, 76 + index * 22.5, base, height)
        )
    parts.append(b"0 g\n")
    parts.append(
        _text(70, base - 14, 8, f"Gambar {number}. Jumlah penduduk per kecamatan (ribu jiwa)")
    )
    return b"".join(parts)


def _image(pdf, rng, width=300, height=200):
    pixels = bytearray(rng.getrandbits(8) for _ in range(width * height * 3))
    image = pikepdf.Stream(pdf, zlib.compress(bytes(pixels), 6))
    image.Type = Name.XObject
    image.Subtype = Name.Image
    image.Width = width
    image.Height = height
    image.ColorSpace = Name.DeviceRGB
    image.BitsPerComponent = 8
    image.Filter = Name.FlateDecode
    return image


def build_yearbook(
    path, *, pages=500, seed=3324, image_every=6, title="Kabupaten Kendal Dalam Angka 2024"
):
    """Write the yearbook to ``path`` and return its page count."""
    rng = random.Random(seed)
    pdf = Pdf.new()
    font = pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type1,
            BaseFont=Name.Helvetica,
            Encoding=Name.WinAnsiEncoding,
        )
    )
    for number in range(1, pages + 1):
        chapter, subject = CHAPTERS[number % len(CHAPTERS)]
        if number == 1:
            content = (
                _text(56, 700, 24, title)
                + _text(56, 670, 14, "Kendal Regency in Figures 2024")
                + _text(56, 100, 11, "Badan Pusat Statistik Kabupaten Kendal")
            )
            resources = Dictionary(Font=Dictionary(F1=font))
        else:
            content = _table_page(rng, number, chapter, subject)
            resources = Dictionary(Font=Dictionary(F1=font))
        if image_every and number % image_every == 0:
            resources.XObject = Dictionary(Im1=_image(pdf, rng))
            content += b"q 160 0 0 100 380 60 cm /Im1 Do Q\n"
        content += _text(290, 30, 8, str(number))
        stream = pikepdf.Stream(pdf, zlib.compress(content, 6))
        stream.Filter = Name.FlateDecode
        page = Dictionary(
            Type=Name.Page,
            MediaBox=Array([0, 0, 595, 842]),
            Contents=pdf.make_indirect(stream),
            Resources=resources,
        )
        pdf.pages.append(pikepdf.Page(page))
    pdf.docinfo["/Title"] = title
    pdf.docinfo["/Author"] = "BPS Kabupaten Kendal"
    pdf.save(path, deterministic_id=True)
    return pages
