"""A supervisor opens the dashboard: the charts draw (canvas, no console error, no CSP
violation), every chart has its table, and the monthly XLSX downloads with the figures."""

import datetime

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.choices import Role
from offices.seed import load_office
from tests.e2e.conftest import check_accessibility
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.reports.conftest import make_visit


@pytest.fixture
def office(transactional_db, e2e_settings):
    return load_office("3324")


def _log_in(page, visit, email):
    visit("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")


def test_supervisor_dashboard_draws_charts_and_downloads_xlsx(page, visit, office, tmp_path):
    supervisor = MembershipFactory(
        office=office, role=Role.SUPERVISOR, user__email="kepala@example.com"
    ).user
    today = timezone.localtime(timezone.now(), office.tzinfo).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    make_visit(office, UserFactory(sex="female"), start=today, wait=4, number="A-001")
    make_visit(
        office,
        UserFactory(sex="male"),
        start=today + datetime.timedelta(minutes=20),
        wait=15,
        number="A-002",
    )
    _log_in(page, visit, supervisor.email)

    visit("/office/3324/reports/")
    page.wait_for_selector("#chart-visits-by_service[data-drawn='true']")
    drawn = page.locator("canvas[data-drawn='true']")
    assert drawn.count() >= 5
    assert page.locator("canvas").count() == drawn.count()
    # The chart has pixels, and its numbers are in the table beside it.
    assert page.evaluate(
        "() => document.getElementById('chart-visits-by_service').reportChart.data.datasets[0].data"
    ) == [2, 0, 0, 0]
    service_table = page.locator("#table-visits-by_service table")
    assert service_table.locator("tbody tr").first.inner_text().split("\t") == ["Perpustakaan", "2"]
    assert page.locator("[data-figure='waiting.within_share'] dd").inner_text() == "50,0 %"
    check_accessibility(page)

    month = f"{today:%Y-%m}"
    page.locator("#id_month").fill(month)
    page.locator("#id_file_format").select_option("xlsx")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Unduh").click()
    download = download_info.value
    assert download.suggested_filename == f"laporan-bulanan-pst-3324-{month}.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = load_workbook(saved)
    summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(values_only=True) if row}
    assert summary["Kunjungan langsung"] == 2
    assert summary["Persentase dalam target"] == 50.0


def test_public_statistics_page_draws_its_chart(page, visit, office):
    from reports.models import ReportSettings

    make_visit(office, UserFactory(), start=timezone.now(), wait=2, number="A-001")
    ReportSettings.for_office(office).set_publish(True, by=None)
    visit("/statistics/3324/")
    page.wait_for_selector("#chart-public-months[data-drawn='true']")
    last_row = page.locator("table.report-public tbody tr").last
    assert last_row.inner_text().split("\t")[1:] == ["1", "0"]
