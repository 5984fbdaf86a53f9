"""SearchLog moved to ``catalog``: its table stays (state only)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0008_searchlog_moved_from_reports'),
        ('reports', '0002_delivery_report_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='SearchLog',
                ),
            ],
        ),
    ]
