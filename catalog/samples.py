"""Realistic PDFs with real text, for demo data, tests and the benchmark (reportlab)."""

import io
import textwrap

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
