"""The monthly report (Laporan Bulanan PST) as an XLSX workbook and a PDF.

Both render the same ``SectionResult`` list the dashboard shows: the workbook has a
summary sheet and one sheet per section, with numbers stored as numbers; the PDF
has, per section, the headline figures, each table and a chart drawn with
reportlab.graphics.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from core.exports import safe_cell
from offices.time import local_now

from .sections.base import DOUGHNUT, HBAR, LINE

INVALID_SHEET_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def report_title(office, period):
    return _("PST monthly report") + f" — {office.name} — {period.start:%Y-%m}"


def _sheet_name(title, used):
    name = str(title).translate(INVALID_SHEET_CHARS)[:31].strip()
    base, n = name, 2
    while name in used:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


def _cell(value):
    """Numbers stay numbers; lazy strings become text (never a formula); None stays empty."""
    if value is None or isinstance(value, int | float):
        return value
    return safe_cell(str(value))


def render_xlsx(office, period, sections):
    bold = Font(bold=True)
    workbook = Workbook()
    summary = workbook.active
    used = set()
    summary.title = _sheet_name(_("Summary"), used)
    summary.append([report_title(office, period)])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([_("Office"), office.name, office.code])
    summary.append([_("Period"), period.start, period.end])
    summary.append([_("Produced"), local_now(office).replace(tzinfo=None)])
    for row in (3, 4):
        for col in ("B", "C"):
            summary[f"{col}{row}"].number_format = "yyyy-mm-dd"
    summary["B4"].number_format = "yyyy-mm-dd hh:mm"
    summary.append([])
    for section in sections:
        summary.append([str(section.title)])
        summary.cell(summary.max_row, 1).font = bold
        for figure in section.figures:
            summary.append([str(figure.label), _cell(figure.value), figure.unit])

    for section in sections:
        sheet = workbook.create_sheet(_sheet_name(section.title, used))
        sheet.append([str(section.title)])
        sheet["A1"].font = Font(bold=True, size=13)
        if section.note:
            sheet.append([str(section.note)])
        sheet.append([])
        for figure in section.figures:
            sheet.append([str(figure.label), _cell(figure.value), figure.unit])
        for table in section.tables:
            sheet.append([])
            sheet.append([str(table.title)])
            sheet.cell(sheet.max_row, 1).font = bold
            sheet.append([str(column) for column in table.columns])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            if not table.rows:
                sheet.append([_("No data")])
            for row in table.rows:
                sheet.append([_cell(value) for value in row])
        sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _pdf_value(value, unit=""):
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        # Indonesian style: 1.234,5
        text = f"{value:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")
    elif isinstance(value, int):
        text = f"{value:,}".replace(",", ".")
    else:
        return str(value)
    return f"{text} {unit}".strip() if unit else text


def _chart(table, width):
    """A reportlab Drawing for a charted table (bars, lines or a pie), or None."""
    data = table.chart_data()
    values = [list(d["data"]) for d in data["datasets"]]
    if not table.chart or not table.rows or not any(any(v) for v in values):
        return None
    palette = [colors.HexColor("#1f5fa8"), colors.HexColor("#e07b00"), colors.HexColor("#2e8b57")]
    labels = [label[:28] for label in data["labels"]]
    if table.chart == DOUGHNUT:
        drawing = Drawing(width, 150)
        pie = Pie()
        pie.x, pie.y, pie.width, pie.height = 20, 10, 130, 130
        pie.data = values[0]
        pie.labels = [f"{label} ({n})" for label, n in zip(labels, values[0], strict=True)]
        pie.sideLabels = True
        for i in range(len(values[0])):
            pie.slices[i].fillColor = [
                *palette,
                colors.grey,
                colors.HexColor("#9b59b6"),
                colors.HexColor("#c0392b"),
                colors.HexColor("#16a085"),
            ][i % 7]
        drawing.add(pie)
        return drawing
    if table.chart == HBAR:
        height = 30 + 10 * len(labels) * len(values)
        drawing = Drawing(width, height)
        chart = HorizontalBarChart()
        chart.x, chart.y = 170, 15
        chart.width, chart.height = width - 190, height - 25
        chart.categoryAxis.categoryNames = labels
        chart.categoryAxis.reverseDirection = True
        chart.categoryAxis.labels.fontSize = 6
    elif table.chart == LINE:
        drawing = Drawing(width, 170)
        chart = HorizontalLineChart()
        chart.x, chart.y, chart.width, chart.height = 35, 35, width - 50, 120
        step = max(1, len(labels) // 12)
        chart.categoryAxis.categoryNames = [
            label if i % step == 0 else "" for i, label in enumerate(labels)
        ]
        chart.categoryAxis.labels.angle = 45
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.fontSize = 6
        for i in range(len(values)):
            chart.lines[i].strokeColor = palette[i % 3]
    else:
        drawing = Drawing(width, 170)
        chart = VerticalBarChart()
        chart.x, chart.y, chart.width, chart.height = 35, 45, width - 50, 115
        chart.categoryAxis.categoryNames = labels
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.fontSize = 6
    chart.data = values
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 6
    if table.chart != LINE:
        for i in range(len(values)):
            chart.bars[i].fillColor = palette[i % 3]
    drawing.add(chart)
    return drawing


def render_pdf(office, period, sections):
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.6 * cm,
        title=report_title(office, period),
        author=office.name,
    )
    width = doc.width
    grid = TableStyle(
        [
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
            ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    story = [
        Paragraph(_("PST monthly report"), styles["Title"]),
        Paragraph(f"{office.name} ({office.code})", styles["Heading2"]),
        Paragraph(
            _("Period") + f": {period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}", styles["Normal"]
        ),
        Spacer(1, 12),
    ]
    for section in sections:
        story.append(Paragraph(str(section.title), styles["Heading1"]))
        if section.note:
            story.append(Paragraph(str(section.note), small))
        figures = [
            [Paragraph(str(f.label), small), _pdf_value(f.value, f.unit)] for f in section.figures
        ]
        if figures:
            figure_table = PdfTable(figures, colWidths=[width * 0.6, width * 0.25], hAlign="LEFT")
            figure_table.setStyle(
                TableStyle(
                    [
                        ("FONTSIZE", (0, 0), (-1, -1), 8),
                        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                    ]
                )
            )
            story.append(figure_table)
        for table in section.tables:
            block = [Spacer(1, 8), Paragraph(str(table.title), styles["Heading3"])]
            if not table.rows:
                block.append(Paragraph(_("No data"), small))
                story.append(KeepTogether(block))
                continue
            chart = _chart(table, width)
            if chart is not None:
                block.append(chart)
            rows = [[Paragraph(f"<b>{column}</b>", small) for column in table.columns]]
            rows += [
                [Paragraph(_escape(_pdf_value(row[0])), small), *(_pdf_value(v) for v in row[1:])]
                for row in table.rows
            ]
            first = width * (0.45 if len(table.columns) > 2 else 0.6)
            rest = (width - first) / max(1, len(table.columns) - 1)
            pdf_table = PdfTable(
                rows,
                colWidths=[first] + [rest] * (len(table.columns) - 1),
                repeatRows=1,
                hAlign="LEFT",
            )
            pdf_table.setStyle(grid)
            block.append(pdf_table)
            story.append(KeepTogether(block[:3]) if chart is not None else KeepTogether(block[:2]))
            story.extend(block[3:] if chart is not None else block[2:])
        story.append(Spacer(1, 14))
    doc.build(story)
    return out.getvalue()


def _escape(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
