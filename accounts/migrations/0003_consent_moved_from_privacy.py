"""The model moves here from ``privacy``: its table stays (state only, no data moved)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Keep the model's content type (and the permissions on it) under its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="accounts", model="consent").exists():
        ContentType.objects.filter(app_label="privacy", model="consent").update(
            app_label="accounts"
        )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="privacy", model="consent").exists():
        ContentType.objects.filter(app_label="accounts", model="consent").update(
            app_label="privacy"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('privacy', '0003_survey_email_consent_for_existing_accounts'),
        ('accounts', '0002_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Consent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('purpose', models.CharField(choices=[('account', 'Account and online library services'), ('guest_book', 'Guest book of a walk-in visit'), ('survey_email', 'Satisfaction survey invitations by e-mail')], max_length=20, verbose_name='purpose')),
                        ('notice_version', models.CharField(default='2026-11', max_length=20, verbose_name='notice version')),
                        ('given_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='given at')),
                        ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawn at')),
                        ('guardian_consent', models.BooleanField(default=False, verbose_name='consent given by a parent or guardian')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='consents', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'consent',
                        'verbose_name_plural': 'consents',
                        'db_table': 'privacy_consent',
                        'ordering': ['-given_at'],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
