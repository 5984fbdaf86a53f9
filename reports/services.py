"""Writes of the reports app: the export audit log."""

from .models import ExportLog


def record_export(office, *, actor, kind, file_format, period, with_personal_data, rows, ip):
    return ExportLog.objects.create(
        office=office,
        actor=actor,
        kind=kind,
        file_format=file_format,
        start=period.start,
        end=period.end,
        with_personal_data=with_personal_data,
        row_count=rows,
        ip_address=ip,
    )
