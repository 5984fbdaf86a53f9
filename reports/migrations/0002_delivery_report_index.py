"""A covering index for the reports' passes over the delivery log.

Every reads-and-downloads figure filters one office's records by time and reads only
the channel, the user and the publication; with those in the index, SQLite and
PostgreSQL answer a year of records from the index alone (bench/reports.py). The
index belongs to delivery's table but serves only the reports, so it lives here;
plain SQL both databases accept.
"""

from django.db import migrations

INDEX = "reports_delivery_cover_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_reports_logs_and_settings"),
        ("delivery", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON delivery_deliveryrecord "
            "(office_id, created_at, channel, user_id, publication_id)",
            reverse_sql=f"DROP INDEX {INDEX}",
        ),
    ]
