import io
import subprocess

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from catalog.models import SearchLog
from reports.models import ReportSettings

pytestmark = pytest.mark.usefixtures("frozen")


def test_monthly_report_command_writes_xlsx(november, tmp_path):
    output = tmp_path / "nov.xlsx"
    out = io.StringIO()
    call_command(
        "monthly_report",
        "--office",
        "3324",
        "--month",
        "2026-11",
        "--format",
        "xlsx",
        "--output",
        str(output),
        stdout=out,
    )
    assert out.getvalue().startswith(f"Wrote {output} (")
    workbook = load_workbook(output)
    summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(values_only=True) if row}
    assert summary["Kunjungan langsung"] == 4
    assert summary["Pengaduan diterima"] == 3
    assert summary["Pencarian tanpa hasil"] == 3


def test_monthly_report_command_writes_pdf(november, tmp_path):
    output = tmp_path / "nov.pdf"
    call_command(
        "monthly_report",
        "--office",
        "3324",
        "--month",
        "2026-11",
        "--format",
        "pdf",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    text = subprocess.run(
        ["pdftotext", str(output), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Laporan Bulanan PST" in text
    assert "BPS Kabupaten Kendal (3324)" in text
    assert "Periode: 2026-11-01 – 2026-11-30" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--office", "9999", "--month", "2026-11"], "No office with code 9999."),
        (["--office", "3324", "--month", "2026-13"], "YYYY-MM"),
    ],
)
def test_monthly_report_command_refuses_bad_input(kendal, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("monthly_report", *args, "--output", str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()


def test_demo_seed_is_idempotent(kendal):
    from reports.demo import seed

    seed(kendal, stdout=io.StringIO())
    seed(kendal, stdout=io.StringIO())
    assert SearchLog.objects.filter(office=kendal).count() == 5
    assert ReportSettings.objects.get(office=kendal).publish_statistics is True
