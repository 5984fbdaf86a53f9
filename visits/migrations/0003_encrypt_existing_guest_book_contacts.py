from django.db import migrations


def encrypt_existing(apps, schema_editor):
    """Re-save contact details written before encryption (read as plaintext, saved encrypted)."""
    GuestBookEntry = apps.get_model("visits", "GuestBookEntry")
    for entry in GuestBookEntry.objects.only("pk", "email", "phone").iterator():
        entry.save(update_fields=["email", "phone"])


class Migration(migrations.Migration):
    dependencies = [("visits", "0002_encrypt_guest_book_contacts")]

    operations = [migrations.RunPython(encrypt_existing, migrations.RunPython.noop)]
