"""PostgreSQL only: title and number words in a narrow table of their own.

Finding the publications whose title or numbers match used ``meta @@ 'word':A``; the GIN
index cannot check weights, so PostgreSQL read every row's whole ``meta`` (about 1 kB)
again: 150-300 ms for a common word on 100,000 publications. This table holds only the
weight-A words (title and numbers, ``ts_filter``), so its index answers directly.
"""

from django.db import migrations

POSTGRES_UP = [
    "CREATE TABLE catalog_search_strong (publication_id bigint PRIMARY KEY, "
    "document tsvector NOT NULL)",
    "INSERT INTO catalog_search_strong (publication_id, document)"
    " SELECT publication_id, ts_filter(meta, '{a}') FROM catalog_search",
    "CREATE INDEX catalog_search_strong_gin ON catalog_search_strong USING gin (document)",
]
POSTGRES_DOWN = ["DROP TABLE IF EXISTS catalog_search_strong"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_number_indexes")]

    operations = [
        migrations.RunPython(_run(POSTGRES_UP), _run(POSTGRES_DOWN), elidable=False),
    ]
