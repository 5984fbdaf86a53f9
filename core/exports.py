"""The one writer of every CSV and XLSX file the application hands out (STYLE.md 12d).

Rows come as lists, the header first; values are text, numbers, dates or None. Every
cell passes through ``safe_cell``: text a spreadsheet would run as a formula (starting
with ``= + - @``, a tab or a carriage return) is written with a leading apostrophe, so
an exported complaint or search cannot run code on an officer's computer.
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe_cell(value):
    """``value`` for a cell: None stays empty, formula-looking text becomes plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(rows):
    """The rows as UTF-8 CSV bytes (with a BOM, so Excel reads the accents) and the
    number of data rows (the header not counted)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    count = -1
    for row in rows:
        writer.writerow(["" if value is None else safe_cell(value) for value in row])
        count += 1
    return buffer.getvalue().encode(), max(count, 0)


def write_xlsx(rows, title):
    """The rows as one XLSX sheet named ``title`` and the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(title)[:31])
    count = -1
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
        count += 1
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), max(count, 0)


def write(rows, file_format, *, title):
    """``(content, row count)`` of the rows as ``csv`` or ``xlsx``."""
    if file_format == "csv":
        return write_csv(rows)
    return write_xlsx(rows, title)


def download(content, file_format, filename):
    """An attachment response for written content (``filename`` without its extension)."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
