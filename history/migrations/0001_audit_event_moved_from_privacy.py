"""The model moves here from ``privacy``: its table stays (state only, no data moved)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Keep the model's content type (and the permissions on it) under its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="history", model="auditevent").exists():
        ContentType.objects.filter(app_label="privacy", model="auditevent").update(
            app_label="history"
        )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="privacy", model="auditevent").exists():
        ContentType.objects.filter(app_label="history", model="auditevent").update(
            app_label="privacy"
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('privacy', '0003_survey_email_consent_for_existing_accounts'),
        ('offices', '0002_leaveday'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='time')),
                        ('action', models.CharField(choices=[('reveal', 'Revealed personal data'), ('export', 'Exported data'), ('settings', 'Changed settings'), ('state', "Changed a record's state"), ('data_request', 'Handled a data-subject request'), ('deletion', 'Deleted or pseudonymised personal data'), ('breach', 'Recorded a data breach'), ('retention', 'Applied the retention periods'), ('consent', 'Gave or withdrew consent')], max_length=20, verbose_name='action')),
                        ('target', models.CharField(max_length=200, verbose_name='what')),
                        ('detail', models.CharField(blank=True, max_length=500, verbose_name='detail')),
                        ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='from')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='who')),
                        ('office', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='offices.office')),
                    ],
                    options={
                        'verbose_name': 'audit event',
                        'verbose_name_plural': 'audit events',
                        'db_table': 'privacy_auditevent',
                        'ordering': ['-at'],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
