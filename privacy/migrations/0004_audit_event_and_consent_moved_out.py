"""AuditEvent moved to ``history`` and Consent to ``accounts``: their tables stay (state only)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('history', '0001_audit_event_moved_from_privacy'),
        ('accounts', '0003_consent_moved_from_privacy'),
        ('privacy', '0003_survey_email_consent_for_existing_accounts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='consent',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='AuditEvent',
                ),
                migrations.DeleteModel(
                    name='Consent',
                ),
            ],
        ),
    ]
