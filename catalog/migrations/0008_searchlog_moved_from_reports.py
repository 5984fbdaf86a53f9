"""The model moves here from ``reports``: its table stays (state only, no data moved)."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Keep the model's content type (and the permissions on it) under its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="catalog", model="searchlog").exists():
        ContentType.objects.filter(app_label="reports", model="searchlog").update(
            app_label="catalog"
        )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="reports", model="searchlog").exists():
        ContentType.objects.filter(app_label="catalog", model="searchlog").update(
            app_label="reports"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('reports', '0002_delivery_report_index'),
        ('catalog', '0007_search_strong_postgres'),
        ('offices', '0002_leaveday'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SearchLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('query', models.CharField(max_length=200, verbose_name='search words')),
                        ('result_count', models.PositiveIntegerField(verbose_name='results')),
                        ('day', models.DateField(verbose_name='day')),
                        ('office', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='offices.office')),
                    ],
                    options={
                        'verbose_name': 'search',
                        'verbose_name_plural': 'searches',
                        'db_table': 'reports_searchlog',
                        'indexes': [models.Index(fields=['office', 'day'], name='searchlog_office_day')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
