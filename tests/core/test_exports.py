"""The one CSV/XLSX writer: formulas neutralised, accents kept, the rows counted."""

import io

from openpyxl import load_workbook

from core.exports import safe_cell, write_csv, write_xlsx

ROWS = [
    ["Kode", "Isi", "Jumlah"],
    ['=HYPERLINK("http://x")', "Dinas Kependudukan – Kendal", 3],
    ["+62 812", None, -1],
]


def test_text_that_would_run_as_a_formula_is_written_as_text():
    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@SUM", "\tx", "ok", -1, None)] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM",
        "'\tx",
        "ok",
        -1,
        None,
    ]


def test_csv_has_a_bom_and_neutral_cells():
    content, count = write_csv(iter(ROWS))

    text = content.decode()
    assert count == 2
    assert text.startswith("\ufeffKode,Isi,Jumlah")
    assert "'=HYPERLINK" in text and "Kendal" in text and "'+62 812,,-1" in text


def test_xlsx_keeps_numbers_and_neutral_text():
    content, count = write_xlsx(iter(ROWS), "Pengaduan")

    sheet = load_workbook(io.BytesIO(content)).active
    assert count == 2
    assert sheet.title == "Pengaduan"
    assert [cell.value for cell in sheet[2]] == [
        '\'=HYPERLINK("http://x")',
        "Dinas Kependudukan – Kendal",
        3,
    ]
    assert [cell.value for cell in sheet[3]] == ["'+62 812", None, -1]
