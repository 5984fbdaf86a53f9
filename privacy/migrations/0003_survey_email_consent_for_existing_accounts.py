"""Survey e-mails became their own purpose; until now the account consent covered them.

Each account with an active account consent gets a survey-e-mail consent of the same
date and notice version, so nobody's invitations stop silently and each person can
withdraw them on "Data saya". New accounts opt in at sign-up.
"""

from django.db import migrations


def forward(apps, schema_editor):
    Consent = apps.get_model("privacy", "Consent")
    has_survey = Consent.objects.filter(purpose="survey_email").values("user_id")
    accounts = Consent.objects.filter(
        purpose="account", withdrawn_at__isnull=True, user__isnull=False
    ).exclude(user_id__in=has_survey)
    Consent.objects.bulk_create(
        [
            Consent(
                user_id=consent.user_id,
                purpose="survey_email",
                notice_version=consent.notice_version,
                given_at=consent.given_at,
                guardian_consent=consent.guardian_consent,
            )
            for consent in accounts
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_consent_purposes_and_audit_action")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
