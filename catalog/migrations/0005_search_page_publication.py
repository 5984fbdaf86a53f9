"""SQLite only: page rows name their publication (``pub``) and the vocabulary is readable.

``pub`` holds ``p<publication id>``, so one FTS5 query finds the best pages of the twenty
publications on a results page (reading only their pages) instead of twenty queries that
each read a common word's whole list. ``catalog_text_vocab`` lists the indexed words, so
a typed word can be expanded into the words starting with it.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE catalog_page_fts_new USING fts5("
    "text, pub, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4')",
    "INSERT INTO catalog_page_fts_new (rowid, text, pub)"
    " SELECT rowid, text, 'p' || (rowid >> 20) FROM catalog_page_fts",
    "DROP TABLE catalog_page_fts",
    "ALTER TABLE catalog_page_fts_new RENAME TO catalog_page_fts",
    "CREATE VIRTUAL TABLE catalog_text_vocab USING fts5vocab(catalog_text_fts, 'row')",
]
SQLITE_DOWN = [
    "DROP TABLE IF EXISTS catalog_text_vocab",
    "CREATE VIRTUAL TABLE catalog_page_fts_old USING fts5("
    "text, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4')",
    "INSERT INTO catalog_page_fts_old (rowid, text) SELECT rowid, text FROM catalog_page_fts",
    "DROP TABLE catalog_page_fts",
    "ALTER TABLE catalog_page_fts_old RENAME TO catalog_page_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_publication_updated_index")]

    operations = [
        migrations.RunPython(_run(SQLITE_UP), _run(SQLITE_DOWN), elidable=False),
    ]
