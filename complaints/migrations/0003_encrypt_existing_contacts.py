from django.db import migrations

FIELDS = ["contact_name", "contact_email", "contact_whatsapp"]


def encrypt_existing(apps, schema_editor):
    """Re-save contact details written before encryption (read as plaintext, saved encrypted)."""
    Complaint = apps.get_model("complaints", "Complaint")
    for complaint in Complaint.objects.only("pk", *FIELDS).iterator():
        if any(getattr(complaint, name) for name in FIELDS):
            complaint.save(update_fields=FIELDS)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_encrypt_contact_fields")]

    operations = [migrations.RunPython(encrypt_existing, migrations.RunPython.noop)]
