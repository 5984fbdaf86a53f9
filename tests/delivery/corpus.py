"""A corpus of real PDFs made at test time by the producers on this machine, and a judge.

``build_corpus(folder)`` writes 40-odd PDFs from ReportLab, Ghostscript, ImageMagick,
LibreOffice, cairo (poppler's pdftocairo), Chromium (Skia), qpdf/pikepdf transformations
and hand-written files (the bad input a stamper meets: no Resources, inherited boxes,
content arrays, broken fonts, /Rotate 45, an empty CropBox, a broken xref). Every tool is
a Debian package ``make system-deps`` installs; a missing one fails the build loudly.

``judge(original, copy, code=...)`` checks a stamped copy with qpdf and poppler: same page
count, ``qpdf --check`` no worse than the original's, the stamp found by ``pdftotext`` on
the first and last page, its words inside the visible box, upright, at the displayed
bottom (``pdftotext -bbox``), forms/annotations/outlines/attachments/page labels kept, no
prefix ending at an ``%%EOF`` an unstamped readable document, every page rendered by
``pdftoppm``. Used by tests/delivery/test_corpus.py and ``make bench-delivery``.
"""

import dataclasses
import io
import os
import re
import shutil
import subprocess
import tempfile
import textwrap
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name
from reportlab.lib.pagesizes import A0, A4, A5, landscape, letter
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from catalog.pdf import page_rotation
from delivery.yearbook import build_yearbook

TEXT = (
    "Jumlah penduduk Kabupaten Kendal menurut kecamatan dan jenis kelamin. "
    "Luas panen dan produksi padi. Banyaknya sekolah, guru dan murid."
)


@dataclasses.dataclass
class CorpusPdf:
    name: str
    producer: str
    path: Path
    note: str = ""  # what the officer should be told at upload ("repaired", "rotation")


# --- helpers -------------------------------------------------------------------------------


def _run(argv, **kwargs):
    if shutil.which(argv[0]) is None:
        raise RuntimeError(f"{argv[0]} is missing: run `make system-deps`")
    result = subprocess.run(argv, capture_output=True, timeout=180, **kwargs)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} failed: {result.stderr[-500:]!r}")
    return result


def _reportlab(path, *, pages=3, size=A4, rotate=(), encrypt=None, title="Statistik Daerah"):
    pdf = canvas.Canvas(str(path), pagesize=size, encrypt=encrypt)
    pdf.setTitle(title)
    width, height = size
    for number in range(1, pages + 1):
        if rotate:
            pdf.setPageRotation(rotate[(number - 1) % len(rotate)])
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(40, height - 60, f"{title} - Halaman {number}")
        pdf.setFont("Helvetica", 10)
        y = height - 90
        for line in textwrap.wrap(TEXT, 80):
            pdf.drawString(40, y, line)
            y -= 14
        pdf.showPage()
    pdf.save()


def _pikepdf_variant(base, path, change, **save):
    with pikepdf.open(base) as pdf:
        change(pdf)
        pdf.save(path, **save)


def raw_pdf(objects, *, root=1, info=None):
    """A hand-written PDF: ``objects`` are the bodies of objects 1..n; a correct xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    trailer = b"/Size %d /Root %d 0 R" % (len(objects) + 1, root)
    if info:
        trailer += b" /Info %d 0 R" % info
    out.write(b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref))
    return out.getvalue()


def _stream(data, extra=b""):
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), extra, data)


def _text_ops(text, x=50, y=700, size=12):
    return b"BT /F1 %d Tf %d %d Td (%s) Tj ET" % (size, x, y, text.encode())


# --- producers ------------------------------------------------------------------------------


def _reportlab_files(folder):
    made = []

    def add(name, note="", **options):
        path = folder / f"{name}.pdf"
        _reportlab(path, **options)
        made.append(CorpusPdf(name, "ReportLab", path, note))

    add("rl-a4-text")
    add("rl-letter-landscape", size=landscape(letter), pages=2)
    add("rl-a5-small", size=A5)
    add("rl-a0-poster", size=A0, pages=1)
    add("rl-rotate-mixed", rotate=(90, 180, 270), pages=3)
    add(
        "rl-owner-password-rc4",
        encrypt=StandardEncryption("", ownerPassword="pemilik", canPrint=0, canCopy=0),
        pages=2,
    )
    # Outlines, internal and external links, a form with fields.
    path = folder / "rl-outline-links-form.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, 4):
        pdf.bookmarkPage(f"p{number}")
        pdf.addOutlineEntry(f"Bab {number}", f"p{number}", level=0)
        pdf.setFont("Helvetica", 12)
        pdf.drawString(50, 780, f"Bab {number}. {TEXT[:60]}")
        pdf.linkURL("https://kendalkab.bps.go.id", (50, 740, 250, 760), relative=0)
        pdf.linkAbsolute("ke bab 1", "p1", Rect=(50, 700, 200, 720))
        if number == 1:
            pdf.acroForm.textfield(name="nama", x=50, y=600, width=200, height=20, value="Rina")
            pdf.acroForm.checkbox(name="setuju", x=50, y=560, checked=True)
        pdf.showPage()
    pdf.showOutline()
    pdf.save()
    made.append(CorpusPdf("rl-outline-links-form", "ReportLab", path))
    return made


POSTSCRIPT = """%!PS-Adobe-3.0
%%Pages: {pages}
{setup}
{body}
%%EOF
"""


def _ps_pages(pages, width, height):
    body = []
    for number in range(1, pages + 1):
        body.append(
            f"%%Page: {number} {number}\n"
            f"/Helvetica findfont 14 scalefont setfont\n"
            f"40 {height - 60} moveto (Statistik Daerah Halaman {number}) show\n"
            f"/Helvetica findfont 10 scalefont setfont\n"
            f"40 {height - 90} moveto ({TEXT[:70]}) show\n"
            f"0.3 setgray 40 {height - 300} 200 150 rectfill\nshowpage"
        )
    return "\n".join(body)


def _ghostscript_files(folder, base):
    made = []

    def distill(name, ps_or_pdf, *options):
        path = folder / f"{name}.pdf"
        _run(
            [
                "gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                *options, f"-sOutputFile={path}", str(ps_or_pdf),
            ]
        )  # fmt: skip
        made.append(CorpusPdf(name, "Ghostscript", path))

    a4 = folder / "gs-a4.ps"
    a4.write_text(
        POSTSCRIPT.format(
            pages=4, setup="<< /PageSize [595 842] >> setpagedevice", body=_ps_pages(4, 595, 842)
        )
    )
    distill("gs-ps-a4", a4)
    distill("gs-pdf20", a4, "-dCompatibilityLevel=2.0")
    # Text drawn sideways: Ghostscript turns such pages with /Rotate (AutoRotatePages).
    sideways = folder / "gs-sideways.ps"
    body = []
    for number in range(1, 3):
        body.append(
            f"%%Page: {number} {number}\n/Helvetica findfont 12 scalefont setfont\n"
            f"gsave 300 100 translate 90 rotate 0 0 moveto "
            f"(Tabel {number} Luas Panen Padi Menurut Kecamatan di Kabupaten Kendal) show\n"
            f"0 -20 moveto ({TEXT[:60]}) show grestore showpage"
        )
    sideways.write_text(
        POSTSCRIPT.format(
            pages=2, setup="<< /PageSize [595 842] >> setpagedevice", body="\n".join(body)
        )
    )
    distill("gs-autorotated", sideways, "-dAutoRotatePages=/PageByPage")
    distill("gs-redistilled", base, "-dPDFSETTINGS=/ebook")
    return made


def _imagemagick_files(folder):
    made = []

    def convert(name, *argv):
        path = folder / f"{name}.pdf"
        # Debian's ImageMagick policy forbids the "PDF" coder; its PDF/A writer is allowed.
        _run(["convert", *argv, f"PDFA:{path}"])
        made.append(CorpusPdf(name, "ImageMagick", path))

    convert(
        "im-tiny-3.84pt",
        "-size",
        "16x16",
        "xc:gray60",
        "-density",
        "300",
        "-units",
        "PixelsPerInch",
    )
    # A 300 dpi A4 scan saved as 72 dpi: a 2,480 x 3,508 pt page.
    convert(
        "im-scan-2480pt",
        "-size", "2480x3508", "xc:white", "-fill", "black", "-pointsize", "80",
        "-draw", "text 200,400 'Kendal Dalam Angka'", "-draw", "rectangle 200,800 1800,1800",
        "-type", "Grayscale", "-density", "72", "-units", "PixelsPerInch", "-compress", "zip",
    )  # fmt: skip
    convert(
        "im-three-pages",
        "-size", "600x400", "xc:lightblue", "xc:lightyellow", "xc:lightgreen",
        "-density", "150", "-units", "PixelsPerInch", "-compress", "zip",
    )  # fmt: skip
    return made


FODT_LANDSCAPE = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="29.7cm"
   fo:page-height="21cm" style:print-orientation="landscape" fo:margin="2cm"/></style:page-layout>
 </office:automatic-styles>
 <office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/>
 </office:master-styles>
 <office:body><office:text>{paragraphs}</office:text></office:body>
</office:document>
"""

HTML = """<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Statistik</title>
<style>table{{border-collapse:collapse}}td,th{{border:1px solid #444;padding:4px}}
h1{{page-break-before:always}}</style></head><body>{sections}</body></html>"""


def _html(sections=3):
    parts = []
    for number in range(1, sections + 1):
        rows = "".join(
            f"<tr><td>Kecamatan {row}</td><td>{1000 * row + number}</td></tr>"
            for row in range(1, 12)
        )
        parts.append(
            f"<h1>Bab {number}. Penduduk</h1><p>{TEXT}</p>"
            f'<p>Sumber: <a href="https://kendalkab.bps.go.id">BPS Kabupaten Kendal</a></p>'
            f"<table><tr><th>Kecamatan</th><th>Jumlah</th></tr>{rows}</table>"
        )
    return HTML.format(sections="".join(parts))


def _libreoffice_files(folder):
    source = folder / "lo-src"
    source.mkdir(exist_ok=True)
    (source / "lo-text.txt").write_text("\n\n".join(f"Halaman teks. {TEXT}" for _ in range(40)))
    (source / "lo-html-links.html").write_text(_html())
    (source / "lo-landscape.fodt").write_text(
        FODT_LANDSCAPE.format(
            paragraphs="".join(f"<text:p>Baris {n}. {TEXT}</text:p>" for n in range(60))
        )
    )
    (source / "lo-pdfa.txt").write_text(f"Dokumen PDF/A. {TEXT}")
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    base = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]
    try:
        _run(
            [
                *base, "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(folder),
                str(source / "lo-text.txt"), str(source / "lo-landscape.fodt"),
            ]
        )  # fmt: skip
        _run(
            [
                *base, "--convert-to", "pdf:writer_web_pdf_Export", "--outdir", str(folder),
                str(source / "lo-html-links.html"),
            ]
        )  # fmt: skip
        pdfa = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
        _run([*base, "--convert-to", pdfa, "--outdir", str(folder), str(source / "lo-pdfa.txt")])
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    names = ["lo-text", "lo-landscape", "lo-html-links", "lo-pdfa"]
    return [CorpusPdf(name, "LibreOffice", folder / f"{name}.pdf") for name in names]


def _cairo_files(folder, sources):
    made = []
    for name, source in sources:
        path = folder / f"{name}.pdf"
        _run(["pdftocairo", "-pdf", str(source), str(path)])
        made.append(CorpusPdf(name, "cairo", path))
    return made


def _chromium_files(folder):
    page = folder / "chromium.html"
    page.write_text(_html(2))
    path = folder / "skia-html.pdf"
    chromium = os.environ.get("CHROMIUM_PATH", "chromium")
    _run(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
            f"--print-to-pdf={path}", page.as_uri(),
        ]
    )  # fmt: skip
    return [CorpusPdf("skia-html", "Chromium (Skia)", path)]


def _qpdf_files(folder, base):
    made = []

    def variant(name, change, note="", **save):
        path = folder / f"{name}.pdf"
        _pikepdf_variant(base, path, change, **save)
        made.append(CorpusPdf(name, "pikepdf/qpdf", path, note))

    def rotate(angle):
        def change(pdf):
            for page in pdf.pages:
                page.obj.Rotate = angle

        return change

    for angle in (90, 180, 270, -90, 450):
        variant(f"qpdf-rotate{angle}", rotate(angle))

    def offset_crop(pdf):
        for page in pdf.pages:
            page.obj.MediaBox = Array([-100, -200, 695, 1042])
            page.obj.CropBox = Array([20, 40, 520, 760])

    variant("qpdf-cropbox-offset", offset_crop)

    def offset_rotated(pdf):
        offset_crop(pdf)
        for number, page in enumerate(pdf.pages):
            page.obj.Rotate = (90, 270, 180)[number % 3]

    variant("qpdf-cropbox-offset-rotated", offset_rotated)

    def user_unit(pdf):
        for page in pdf.pages:
            page.obj.UserUnit = 10

    variant("qpdf-userunit10", user_unit, min_version="1.6")

    def huge(pdf):
        for page in pdf.pages:
            page.obj.MediaBox = Array([0, 0, 14400, 14400])

    variant("qpdf-huge-14400pt", huge)
    variant(
        "qpdf-object-streams",
        lambda pdf: None,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    variant("qpdf-linearized", lambda pdf: None, linearize=True)
    variant(
        "qpdf-owner-aes256",
        lambda pdf: None,
        encryption=pikepdf.Encryption(
            owner="rahasia", user="", allow=pikepdf.Permissions(extract=False, modify_other=False)
        ),
    )
    variant(
        "qpdf-owner-rc4-40",
        lambda pdf: None,
        encryption=pikepdf.Encryption(
            owner="rahasia", user="", R=2, aes=False, metadata=False,
            allow=pikepdf.Permissions(print_highres=False),
        ),
    )  # fmt: skip
    variant("qpdf-pdf20", lambda pdf: None, force_version="2.0")

    def attachment(pdf):
        pdf.attachments["tabel.csv"] = pikepdf.AttachedFileSpec(
            pdf, b"kecamatan;jumlah\nWeleri;1000\n", mime_type="text/csv"
        )

    variant("qpdf-attachment", attachment)

    def annotations(pdf):
        for page in pdf.pages:
            page.obj.Annots = pdf.make_indirect(
                Array(
                    [
                        Dictionary(
                            Type=Name.Annot, Subtype=Name.Text, Rect=[100, 100, 120, 120],
                            Contents=pikepdf.String("Catatan petugas"), Open=False,
                        ),
                        Dictionary(
                            Type=Name.Annot, Subtype=Name.Link, Rect=[50, 50, 200, 70],
                            Border=[0, 0, 0],
                            A=Dictionary(S=Name.URI, URI=pikepdf.String("https://bps.go.id")),
                        ),
                    ]
                )
            )  # fmt: skip

    variant("qpdf-annotations", annotations)

    def page_labels(pdf):
        pdf.Root.PageLabels = pdf.make_indirect(
            Dictionary(
                Nums=Array(
                    [0, Dictionary(S=Name.r), 1, Dictionary(S=Name.D, St=1, P=pikepdf.String("A-"))]
                )
            )
        )

    variant("qpdf-page-labels", page_labels)

    def rotate45(pdf):
        for page in pdf.pages:
            page.obj.Rotate = 45

    variant("qpdf-rotate45-invalid", rotate45, note="rotation")

    def empty_crop(pdf):
        for page in pdf.pages:
            page.obj.CropBox = Array([100, 100, 100, 100])

    variant("qpdf-cropbox-empty", empty_crop, note="CropBox")
    return made


def _incremental(folder):
    """An original with an incremental update: a prefix of it is the older document."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    first = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(_text_ops("Versi pertama: angka sementara")),
            font,
        ]
    )
    previous = int(re.findall(rb"startxref\s+(\d+)", first)[-1])
    body = io.BytesIO()
    body.write(first)
    offsets = {6: body.tell()}
    body.write(b"6 0 obj\n%s\nendobj\n" % _stream(_text_ops("Revisi: angka tetap", 50, 650)))
    offsets[3] = body.tell()
    body.write(
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R 6 0 R] "
        b"/Resources << /Font << /F1 5 0 R >> >> >>\nendobj\n"
    )
    xref = body.tell()
    body.write(b"xref\n")
    for number in sorted(offsets):
        body.write(b"%d 1\n%010d 00000 n \n" % (number, offsets[number]))
    body.write(
        b"trailer\n<< /Size 7 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (previous, xref)
    )
    path = folder / "hand-incremental-update.pdf"
    path.write_bytes(body.getvalue())
    return [CorpusPdf("hand-incremental-update", "hand-written", path)]


def _hand_written(folder):
    """The bad input of the issue, written by hand."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    made = []

    def write(name, objects, note=""):
        path = folder / f"{name}.pdf"
        path.write_bytes(raw_pdf(objects))
        made.append(CorpusPdf(name, "hand-written", path, note))

    text = _text_ops("Tabel tanpa sumber daya")
    # A page that draws a standard font but has no /Resources at all.
    write(
        "hand-no-resources",
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            _stream(b"0 0 1 rg 50 50 200 100 re f"),
        ],
    )
    # Resources, MediaBox, CropBox and Rotate inherited from the page tree; content arrays;
    # a page with no content at all.
    write(
        "hand-inherited-arrays-empty",
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 /MediaBox [0 0 612 792] "
            b"/CropBox [10 10 602 782] /Rotate 90 /Resources << /Font << /F1 6 0 R >> >> >>",
            b"<< /Type /Page /Parent 2 0 R /Contents [7 0 R 8 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R >>",
            b"<< /Type /Page /Parent 2 0 R /Rotate 0 /Contents 9 0 R >>",
            font,
            _stream(b"BT /F1 12 Tf 50 700 Td (Bagian pertama) Tj"),
            _stream(b" ( dan kedua) Tj ET"),
            _stream(_text_ops("Halaman tiga tegak")),
        ],
    )
    # A font whose program is missing (broken font) and an empty content stream.
    write(
        "hand-broken-font",
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
            b"/Resources << /Font << /F1 6 0 R >> >> >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 7 0 R "
            b"/Resources << >> >>",
            _stream(text),
            b"<< /Type /Font /Subtype /TrueType /BaseFont /NoSuchFont /FirstChar 32 "
            b"/LastChar 126 /FontDescriptor 8 0 R >>",
            _stream(b""),
            b"<< /Type /FontDescriptor /FontName /NoSuchFont /Flags 32 /FontBBox [0 0 1000 1000] "
            b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 "
            b"/FontFile2 99 0 R >>",
        ],
    )
    return made


def _damaged(folder, base):
    """A broken cross-reference table that qpdf can rebuild."""
    data = base.read_bytes()
    cut = data.rfind(b"startxref")
    path = folder / "hand-broken-xref.pdf"
    path.write_bytes(data[:cut] + b"startxref\n999999\n%%EOF\n")
    return [CorpusPdf("hand-broken-xref", "hand-written", path, note="repaired")]


NAMES = [
    "rl-a4-text", "rl-letter-landscape", "rl-a5-small", "rl-a0-poster", "rl-rotate-mixed",
    "rl-owner-password-rc4", "rl-outline-links-form", "yearbook-40",
    "gs-ps-a4", "gs-pdf20", "gs-autorotated", "gs-redistilled",
    "im-tiny-3.84pt", "im-scan-2480pt", "im-three-pages",
    "lo-text", "lo-landscape", "lo-html-links", "lo-pdfa",
    "cairo-from-reportlab", "cairo-from-rotated", "skia-html",
    "qpdf-rotate90", "qpdf-rotate180", "qpdf-rotate270", "qpdf-rotate-90", "qpdf-rotate450",
    "qpdf-cropbox-offset", "qpdf-cropbox-offset-rotated", "qpdf-userunit10", "qpdf-huge-14400pt",
    "qpdf-object-streams", "qpdf-linearized", "qpdf-owner-aes256", "qpdf-owner-rc4-40",
    "qpdf-pdf20", "qpdf-attachment", "qpdf-annotations", "qpdf-page-labels",
    "qpdf-rotate45-invalid", "qpdf-cropbox-empty",
    "hand-incremental-update", "hand-no-resources", "hand-inherited-arrays-empty",
    "hand-broken-font", "hand-broken-xref",
]  # fmt: skip


def build_corpus(folder):
    """Write the corpus into ``folder``; the list of CorpusPdf, in the order of NAMES."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    made = _reportlab_files(folder)
    base = folder / "rl-a4-text.pdf"
    yearbook = folder / "yearbook-40.pdf"
    build_yearbook(yearbook, pages=40, image_every=5)
    made.append(CorpusPdf("yearbook-40", "pikepdf (delivery.yearbook)", yearbook))
    made += _ghostscript_files(folder, base)
    made += _imagemagick_files(folder)
    made += _libreoffice_files(folder)
    made += _cairo_files(
        folder,
        [("cairo-from-reportlab", base), ("cairo-from-rotated", folder / "rl-rotate-mixed.pdf")],
    )
    made += _chromium_files(folder)
    made += _qpdf_files(folder, base)
    made += _incremental(folder)
    made += _hand_written(folder)
    made += _damaged(folder, base)
    if [item.name for item in made] != NAMES:
        raise RuntimeError("the corpus does not match NAMES")
    return made


# --- the judge ------------------------------------------------------------------------------

_CHECK_RANK = {0: 0, 3: 1, 2: 2}
LEGIBLE = 0.004  # the stamp's text height, at least this share of the page's shorter side  # qpdf --check: 0 clean, 3 warnings, 2 errors


def qpdf_check(path):
    return subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode


def page_count(path):
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def page_text(path, page):
    result = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-"],
        capture_output=True,
        text=True,
    )
    return result.stdout


_WORD = re.compile(
    r'<word xMin="([\d.e+-]+)" yMin="([\d.e+-]+)" xMax="([\d.e+-]+)" yMax="([\d.e+-]+)">'
    r"([^<]*)</word>"
)
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def stamp_words(path, page, code):
    """``(width, height, words)`` of the page as displayed (its crop box) with the boxes of
    the stamp's words "Kode jejak <code>"; ``words`` is empty when they are not found."""
    result = subprocess.run(
        ["pdftotext", "-bbox", "-cropbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
    )
    size = _PAGE.search(result.stdout)
    width, height = (float(size.group(1)), float(size.group(2))) if size else (0.0, 0.0)
    # poppler gives the crop box's size unrotated but the words' boxes as displayed.
    with pikepdf.open(path) as pdf:
        if page_rotation(pdf.pages[page - 1].obj)[0] in (90, 270):
            width, height = height, width
    words = [
        (text, float(x0), float(y0), float(x1), float(y1))
        for x0, y0, x1, y1, text in _WORD.findall(result.stdout)
    ]
    for index in range(len(words) - 2):
        if [w[0] for w in words[index : index + 3]] == ["Kode", "jejak", code]:
            return width, height, words[index : index + 3]
    return width, height, []


def placement_problems(path, page, code):
    """Why the stamp on ``page`` is not inside the visible box, upright, at the bottom."""
    width, height, words = stamp_words(path, page, code)
    if not words:
        return ["stamp words not found by pdftotext -bbox"]
    problems = []
    slack = 0.02 * min(width, height)  # poppler's boxes use the font's ascent and descent
    for text, x0, y0, x1, y1 in words:
        if x0 < -slack or y0 < -slack or x1 > width + slack or y1 > height + slack:
            problems.append(
                f"{text!r} at {x0:.1f},{y0:.1f}-{x1:.1f},{y1:.1f} outside {width}x{height}"
            )
    _, x0, y0, x1, y1 = words[2]
    if not x1 - x0 > y1 - y0:
        problems.append("the trace code is not upright (taller than wide)")
    if min(x1 - x0, y1 - y0) < LEGIBLE * min(width, height):
        problems.append("the stamp is a speck (smaller than 0.4% of the page)")
    if not words[0][1] < words[1][1] < words[2][1]:
        problems.append("the words do not read left to right")
    if not min(w[2] for w in words) > height / 2:
        problems.append("the stamp is not in the bottom half of the displayed page")
    return problems


def structure(path):
    """What a copy must keep: annotations, form fields, outline, attachments, page labels."""
    with pikepdf.open(path) as pdf:
        annotations = [len(page.obj.get("/Annots", [])) for page in pdf.pages]
        fields = len(pdf.Root.AcroForm.get("/Fields", [])) if "/AcroForm" in pdf.Root else 0
        with pdf.open_outline() as outline:
            titles = [str(item.title) for item in outline.root]
        labels = [page.label for page in pdf.pages]
        return {
            "annotations": annotations,
            "fields": fields,
            "outline": titles,
            "attachments": sorted(pdf.attachments),
            "page_labels": labels,
        }


def unstamped_prefixes(path, code, folder):
    """Offsets of ``%%EOF`` prefixes of the copy that poppler reads as pages without the code."""
    data = Path(path).read_bytes()
    found = []
    for match in re.finditer(rb"%%EOF", data):
        end = match.end()
        if len(data) - end <= 2:
            continue  # the whole file
        prefix = Path(folder) / "prefix.pdf"
        prefix.write_bytes(data[:end])
        result = subprocess.run(["pdftotext", str(prefix), "-"], capture_output=True, text=True)
        if result.returncode != 0:
            continue
        for text in result.stdout.split("\f"):
            if text.strip() and code not in text:
                found.append(end)
                break
    return found


def rendered_pages(path, folder):
    out = Path(tempfile.mkdtemp(dir=folder))
    result = subprocess.run(
        ["pdftoppm", "-scale-to", "48", "-gray", str(path), str(out / "p")], capture_output=True
    )
    count = len(list(out.iterdir()))
    shutil.rmtree(out, ignore_errors=True)
    return count if result.returncode == 0 else -1


def judge(original, copy, *, code, reader, folder):
    """Everything wrong with a stamped ``copy`` of ``original`` (empty list: it holds)."""
    problems = []
    pages = page_count(original)
    if page_count(copy) != pages:
        problems.append(f"page count {page_count(copy)} != {pages}")
    before, after = qpdf_check(original), qpdf_check(copy)
    if _CHECK_RANK.get(after, 9) > _CHECK_RANK.get(before, 9):
        problems.append(f"qpdf --check {after} (original {before})")
    for page in sorted({1, pages}):
        text = page_text(copy, page)
        if f"Kode jejak {code}" not in text or reader not in text:
            problems.append(f"stamp text not found on page {page}")
        problems += [f"page {page}: {p}" for p in placement_problems(copy, page, code)]
    if structure(copy) != structure(original):
        problems.append(f"structure changed: {structure(original)} -> {structure(copy)}")
    if unstamped_prefixes(copy, code, folder):
        problems.append("a prefix ending at %%EOF reads without the stamp")
    if rendered_pages(copy, folder) != pages:
        problems.append("pdftoppm does not render every page")
    return problems


def summary(original, copy, *, code):
    """One row of the corpus table: qpdf results and whether the stamp was found."""
    pages = page_count(original)
    found = all(f"Kode jejak {code}" in page_text(copy, page) for page in sorted({1, pages}))
    return {
        "pages": pages,
        "qpdf_original": qpdf_check(original),
        "qpdf_copy": qpdf_check(copy),
        "stamp": found,
    }
