import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from catalog.models import Publication, SearchLog, Subject
from catalog.subjects import load_subjects
from complaints.models import Complaint
from delivery.models import DeliveryRecord
from feedback.models import SurveyResponse
from history.choices import AuditAction
from history.models import AuditEvent
from reports.models import ExportLog, ReportSettings
from softcopies.models import SoftcopyRequest
from visits.models import Visit

from .conftest import at, make_visit

pytestmark = pytest.mark.usefixtures("frozen")

NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}


def dashboard_url(code="3324"):
    return reverse("reports:dashboard-show", args=[code])


def figure(html, key):
    """The text shown for one figure (``data-figure="visits.walk_in"``)."""
    block = html.split(f'data-figure="{key}"', 1)[1]
    return block.split("<dd>", 1)[1].split("</dd>", 1)[0].strip()


# --- who may see the reports ------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["dashboard-show", "monthly-download", "export-create"])
def test_anonymous_sent_to_login(client, kendal, url_name):
    response = client.get(reverse(f"reports:{url_name}", args=["3324"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["citizen", "clerk", "outsider_officer"])
@pytest.mark.parametrize("url_name", ["dashboard-show", "monthly-download", "export-create"])
def test_others_refused(client_for, request, who, url_name, kendal):
    user = request.getfixturevalue(who)
    response = client_for(user).get(
        reverse(f"reports:{url_name}", args=["3324"]), {"month": "2026-11", "file_format": "xlsx"}
    )
    assert response.status_code == 403
    assert ExportLog.objects.count() == 0


@pytest.mark.parametrize("who", ["citizen", "clerk", "outsider_officer"])
def test_others_cannot_export_or_publish(client_for, request, who, kendal):
    client = client_for(request.getfixturevalue(who))
    export = client.post(
        reverse("reports:export-create", args=["3324"]),
        {"kind": "visits", "file_format": "csv", **NOVEMBER, "with_personal_data": "on"},
    )
    publish = client.post(
        reverse("reports:settings-update", args=["3324"]), {"publish_statistics": "on"}
    )
    assert (export.status_code, publish.status_code) == (403, 403)
    assert ExportLog.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    assert not ReportSettings.objects.filter(publish_statistics=True).exists()


# --- the dashboard ------------------------------------------------------------------------


def test_dashboard_shows_hand_computed_figures(client_for, supervisor, november):
    response = client_for(supervisor).get(dashboard_url(), NOVEMBER)
    html = response.content.decode()
    assert response.status_code == 200
    assert figure(html, "visits.walk_in") == "4"
    assert figure(html, "visits.online") == "4"
    assert figure(html, "waiting.within_share") == "66,7 %"
    assert figure(html, "waiting.median") == "8,0 mnt"
    assert figure(html, "waiting.p90") == "12,0 mnt"
    assert figure(html, "reads.downloads") == "2"
    assert figure(html, "searches.empty") == "3"
    assert figure(html, "complaints.overdue") == "1"
    assert "inflasi kendal" in html
    # The charts' data travels in a JSON island that CSP does not execute.
    assert '<script id="report-charts" type="application/json">' in html
    charts = response.context["charts"]["charts"]
    by_id = {chart["id"]: chart for chart in charts}
    assert by_id["chart-visits-by_channel"]["datasets"][0]["data"] == [4, 4]
    assert by_id["chart-waiting-distribution"]["datasets"][0]["data"] == [1, 1, 1, 0, 0, 0]
    # Every chart has its canvas and its table.
    for chart_id in by_id:
        assert f'<canvas id="{chart_id}"' in html
        assert f'id="table-{chart_id.removeprefix("chart-")}"' in html
    # No personal data on the dashboard.
    assert "Ani Mahasiswa" not in html and "ani@example.com" not in html


def test_dashboard_default_is_this_month(client_for, supervisor, kendal):
    make_visit(
        kendal, supervisor, start=datetime.datetime(2026, 12, 1, 8, tzinfo=at(1, 0).tzinfo), wait=3
    )
    response = client_for(supervisor).get(dashboard_url())
    period = response.context["period"]
    html = response.content.decode()
    assert 'name="start" value="2026-12-01"' in html and 'name="end" value="2026-12-01"' in html
    assert (period.start, period.end) == (datetime.date(2026, 12, 1), datetime.date(2026, 12, 1))
    assert figure(response.content.decode(), "visits.walk_in") == "1"


def test_dashboard_empty_period_says_no_data(client_for, supervisor, kendal):
    response = client_for(supervisor).get(
        dashboard_url(), {"start": "2025-01-01", "end": "2025-01-31"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="notice report-empty"') == 9
    assert figure(html, "visits.walk_in") == "0"
    assert figure(html, "waiting.median") == "–"
    assert response.context["charts"] == {"charts": []}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-11-30", "end": "2026-11-01"}, "Tanggal mulai sesudah tanggal akhir."),
        ({"start": "1900-01-01", "end": "1900-02-01"}, "paling awal tahun 2000"),
        ({"start": "2010-01-01", "end": "2026-01-01"}, "paling lama tiga tahun"),
        ({"start": "kemarin", "end": ""}, "Masukkan tanggal yang valid."),
    ],
)
def test_dashboard_refuses_bad_ranges_clearly(client_for, supervisor, kendal, params, message):
    response = client_for(supervisor).get(dashboard_url(), params)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert response.context["sections"] == []
    assert 'id="report-charts"' not in html


def test_admin_sees_any_office(client_for, admin, other_office):
    response = client_for(admin).get(dashboard_url("3374"), NOVEMBER)
    assert response.status_code == 200
    assert response.context["office"] == other_office


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_queries_do_not_grow_with_rows(
    client_for, supervisor, kendal, people, django_assert_num_queries, count
):
    load_subjects()
    publication = Publication.objects.create(office=kendal, title="Kendal Dalam Angka", year=2026)
    publication.subjects.set([Subject.objects.get(title="Kependudukan")])
    for i in range(count):
        person = people["ABCD"[i]]
        make_visit(kendal, person, start=at(2 + i, 9), wait=5 + i, number=f"A-00{i + 1}")
        DeliveryRecord.objects.create(
            user=person, publication=publication, office=kendal, channel="read", created_at=at(3, 9)
        )
        SearchLog.objects.create(
            office=kendal, query=f"kata {i}", result_count=0, day=at(3, 9).date()
        )
        SoftcopyRequest.objects.create(
            office=kendal,
            number=f"PS-{i}",
            user=person,
            purpose="x",
            description="Tabel",
            created_at=at(3, 9),
            due_date=at(5, 9).date(),
        )
        SurveyResponse.objects.create(
            office=kendal,
            service="library",
            channel="walk_in",
            day=at(3, 9).date(),
            overall=4,
            **{f"u{n}": 3 for n in range(1, 10)},
        )
        Complaint.objects.create(
            office=kendal,
            tracking_code=f"ADU-{i}",
            channel="web",
            description="x",
            received_at=at(3, 9),
            target_working_days=5,
            due_date=at(10, 9).date(),
        )
    client = client_for(supervisor)
    # session, user, office, memberships, the offices menu; sections: visits 5,
    # waiting 4, visitors 1, reads 5, softcopies 5, ikm 4, searches 2, complaints 5,
    # messages 2.
    with django_assert_num_queries(37):
        response = client.get(dashboard_url(), NOVEMBER)
    assert figure(response.content.decode(), "visits.walk_in") == str(count)
    sections = {section.key: section for section in response.context["sections"]}
    assert len(sections["waiting"].tables[2].rows) == count
    assert len(sections["searches"].tables[0].rows) == count
    assert len(sections["complaints"].tables[2].rows) == count
    assert len(sections["softcopies"].tables[2].rows) == count
    assert sections["ikm"].figures[0].value == count


# --- the monthly report -------------------------------------------------------------------


def test_monthly_xlsx_numbers_match(client_for, supervisor, november):
    response = client_for(supervisor).get(
        reverse("reports:monthly-download", args=["3324"]),
        {"month": "2026-11", "file_format": "xlsx"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="laporan-bulanan-pst-3324-2026-11.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Ringkasan"
    assert len(workbook.sheetnames) == 10
    visits_sheet = workbook[workbook.sheetnames[1]]
    values = {row[0]: row[1] for row in visits_sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["Kunjungan langsung"] == 4
    assert isinstance(values["Kunjungan daring"], int) and values["Kunjungan daring"] == 4
    waiting_sheet = workbook[workbook.sheetnames[2]]
    values = {row[0]: row[1] for row in waiting_sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["Persentase dalam target"] == 66.7
    assert values["Median waktu tunggu"] == 8.0
    assert values["Persentil ke-90 waktu tunggu"] == 12.0


def test_monthly_pdf_renders(client_for, supervisor, november, tmp_path):
    import subprocess

    response = client_for(supervisor).get(
        reverse("reports:monthly-download", args=["3324"]),
        {"month": "2026-11", "file_format": "pdf"},
    )
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for heading in [
        "Laporan Bulanan PST",
        "Kunjungan",
        "Waktu tunggu",
        "Pengaduan",
        "Pencarian tanpa hasil",
        "inflasi kendal",
    ]:
        assert heading in text


def test_monthly_bad_month_redirects_with_message(client_for, supervisor, kendal):
    response = client_for(supervisor).get(
        reverse("reports:monthly-download", args=["3324"]),
        {"month": "2026-13", "file_format": "xlsx"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == dashboard_url()
    assert "Tulis bulan sebagai YYYY-MM" in response.content.decode()


# --- exports ------------------------------------------------------------------------------


def export(client, **data):
    return client.post(
        reverse("reports:export-create", args=["3324"]),
        {"kind": "visits", "file_format": "csv", **NOVEMBER, **data},
        REMOTE_ADDR="192.0.2.7",
    )


@pytest.mark.parametrize("kind", ["visits", "downloads", "requests", "complaints"])
def test_export_minimises_personal_data(client_for, supervisor, november, kind):
    response = export(client_for(supervisor), kind=kind)
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    for secret in [
        "ani@example.com",
        "Ani Mahasiswa",
        "0812",
        "10.1.2.3",
        "Pelapor Rahasia",
        "pelapor@example.com",
        "0813",
        "Tabel rahasia pribadi",
        "Dedi Peneliti",
        "Budi Pegawai",
    ]:
        assert secret not in text
    entry = ExportLog.objects.get()
    assert (entry.kind, entry.with_personal_data, entry.actor, entry.ip_address) == (
        kind,
        False,
        supervisor,
        "192.0.2.7",
    )
    assert entry.row_count == {"visits": 4, "downloads": 6, "requests": 3, "complaints": 3}[kind]
    assert len(text.strip().splitlines()) == entry.row_count + 1


def test_export_with_personal_data_is_recorded(client_for, supervisor, november):
    response = export(client_for(supervisor), with_personal_data="on", file_format="xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert (rows[0][-4], rows[0][-2], rows[0][-1]) == ("Nama", "Telepon", "Instansi")
    assert [row[-3] for row in rows[1:]] == [
        "ani@example.com",
        "budi@example.com",
        "ani@example.com",
        "cici@example.com",
    ]
    assert rows[1][6] == 4.0  # the wait in minutes, a number
    entry = ExportLog.objects.get()
    assert (entry.with_personal_data, entry.file_format, entry.row_count) == (True, "xlsx", 4)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.actor, event.office.code, event.ip_address) == (supervisor, "3324", "192.0.2.7")
    assert event.target == "reports:visits 2026-11-01–2026-11-30"
    assert event.detail == "xlsx, 4 rows, personal data: yes"
    log_page = client_for(supervisor).get(reverse("reports:export-create", args=["3324"]))
    assert "192.0.2.7" in log_page.content.decode()


def test_export_neutralises_formulas(client_for, supervisor, november):
    november["p1"].title = '=HYPERLINK("http://evil")'
    november["p1"].save(update_fields=["title"])
    text = export(client_for(supervisor), kind="downloads").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_export_unknown_kind_refused(client_for, supervisor, kendal):
    response = export(client_for(supervisor), kind="passwords")
    assert response.status_code == 400
    assert response.context["form"].errors["kind"] == [
        "Masukkan pilihan yang valid. passwords bukan salah satu dari pilihan yang tersedia."
    ]
    assert ExportLog.objects.count() == 0


def test_export_bad_range_refused_without_log(client_for, supervisor, kendal):
    response = export(client_for(supervisor), start="2026-11-30", end="2026-11-01")
    assert response.status_code == 400
    assert "Tanggal mulai sesudah tanggal akhir." in response.content.decode()
    assert ExportLog.objects.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_export_log_queries(client_for, supervisor, kendal, django_assert_num_queries, count):
    for _ in range(count):
        ExportLog.objects.create(
            office=kendal,
            actor=supervisor,
            kind="visits",
            file_format="csv",
            start=datetime.date(2026, 11, 1),
            end=datetime.date(2026, 11, 30),
        )
    client = client_for(supervisor)
    with django_assert_num_queries(7):
        response = client.get(reverse("reports:export-create", args=["3324"]))
    assert response.content.decode().count('class="export-log-row"') == count


# --- public statistics --------------------------------------------------------------------


def test_public_statistics_hidden_until_published(client, client_for, supervisor, november):
    url = reverse("reports:statistics-show", args=["3324"])
    assert client.get(url).status_code == 404
    response = client_for(supervisor).post(
        reverse("reports:settings-update", args=["3324"]), {"publish_statistics": "on"}
    )
    assert response.status_code == 302
    settings_row = ReportSettings.objects.get()
    assert (settings_row.publish_statistics, settings_row.updated_by) == (True, supervisor)
    event = AuditEvent.objects.get(action=AuditAction.SETTINGS)
    assert (event.actor, event.target, event.detail) == (
        supervisor,
        "reports:publish_statistics",
        "publish_statistics=True",
    )
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    rows = {row[0]: row[1:] for row in page.context["rows"]}
    assert len(rows) == 12
    assert rows["2026-11"] == [4, 4]
    assert rows["2026-10"] == [1, 1]
    assert rows["2026-12"] == [1, 0]
    assert "Ani" not in html
    client_for(supervisor).post(reverse("reports:settings-update", args=["3324"]), {})
    assert client.get(url).status_code == 404


def test_search_page_logs_the_search(client, kendal):
    client.get(reverse("catalog:publication-list"), {"q": "  Inflasi   KENDAL "})
    client.get(reverse("catalog:publication-list"), {"q": ""})
    client.get(reverse("catalog:publication-list"), {"q": "inflasi", "page": 2})
    from catalog.models import SearchLog

    entry = SearchLog.objects.get()
    assert (entry.query, entry.result_count, entry.office, entry.day) == (
        "inflasi kendal",
        0,
        kendal,
        datetime.date(2026, 12, 1),
    )


def test_visit_count_unchanged_by_reports(november):
    assert Visit.objects.count() == 7


def test_back_office_home_links_reports_for_supervisors_only(client_for, supervisor, clerk):
    link = reverse("reports:dashboard-show", args=["3324"])
    assert link in client_for(supervisor).get(reverse("offices:office-home")).content.decode()
    assert link not in client_for(clerk).get(reverse("offices:office-home")).content.decode()


def test_public_statistics_show_ikm_when_the_survey_summary_is_published(client, november):
    from feedback.models import SurveySettings

    ReportSettings.for_office(november["p1"].office).set_publish(True, by=None)
    url = reverse("reports:statistics-show", args=["3324"])
    assert len(client.get(url).context["rows"][0]) == 3  # month, walk-in, online
    SurveySettings.objects.create(office=november["p1"].office, publish_summary=True)
    rows = {row[0]: row[1:] for row in client.get(url).context["rows"]}
    # November: answers 4, 3 and 2 on every element → IKM 75.00; October: one answer of 1s.
    assert rows["2026-11"] == [4, 4, 75.0]
    assert rows["2026-10"] == [1, 1, 25.0]
    assert rows["2026-09"] == [0, 0, None]
