"""Realistic PDFs with real text, for demo data, tests and the benchmark (reportlab)."""

import io
import random
import textwrap

import pypdfium2 as pdfium
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def make_pdf(pages, *, title="", encrypt_password=None):
    """A PDF whose page ``i`` shows ``pages[i]`` (wrapped); bytes. ``title`` heads every page."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt_password)
    width, height = A4
    for number, text in enumerate(pages, start=1):
        y = height - 60
        if title:
            pdf.setFont("Helvetica-Bold", 13)
            pdf.drawString(50, y, title[:90])
            y -= 28
        pdf.setFont("Helvetica", 10.5)
        for paragraph in text.split("\n"):
            for line in textwrap.wrap(paragraph, 95) or [""]:
                if y < 60:
                    break
                pdf.drawString(50, y, line)
                y -= 15
        pdf.setFont("Helvetica", 8)
        pdf.drawString(width / 2 - 10, 30, str(number))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_scanned_pdf(pages, *, title="", dpi=200, skew=0.6, noise=0.04, seed=1):
    """An image-only PDF, as a scanner makes it: each page of ``make_pdf(pages)`` rendered to
    a grey image at ``dpi``, turned by ``skew`` degrees and speckled with ``noise`` (the
    share of pixels flipped); bytes. It has no text layer: only OCR can read it."""
    rng = random.Random(seed)
    document = pdfium.PdfDocument(make_pdf(pages, title=title))
    images = []
    try:
        for index in range(len(document)):
            page = document[index]
            image = page.render(scale=dpi / 72).to_pil().convert("L")
            page.close()
            image = image.rotate(skew * (1 if index % 2 else -1), fillcolor=255, expand=False)
            pixels = image.load()
            width, height = image.size
            for _ in range(int(width * height * noise / 10)):
                x, y = rng.randrange(width), rng.randrange(height)
                pixels[x, y] = 255 - pixels[x, y]
            images.append(image)
    finally:
        document.close()
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return buffer.getvalue()
