from django.db import migrations


def load(apps, schema_editor):
    from catalog.subjects import load_subjects

    load_subjects(apps.get_model("catalog", "SubjectCategory"), apps.get_model("catalog", "Subject"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_search_index")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
