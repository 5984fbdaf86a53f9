"""The full-text index: FTS5 tables on SQLite, tsvector tables with GIN indexes on PostgreSQL.

The tables are not models: only catalog.search.backends reads and writes them.
Text arrives already folded and stemmed (Sastrawi), so the database only splits words.
"""

from django.db import migrations

SQLITE_UP = [
    # prefix indexes make search-as-you-type ("kepend", "ang") fast.
    "CREATE VIRTUAL TABLE catalog_meta_fts USING fts5("
    "title, body, numbers, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4')",
    "CREATE VIRTUAL TABLE catalog_text_fts USING fts5("
    "text, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4')",
    "CREATE VIRTUAL TABLE catalog_page_fts USING fts5("
    "text, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4')",
]
SQLITE_DOWN = [
    "DROP TABLE IF EXISTS catalog_page_fts",
    "DROP TABLE IF EXISTS catalog_text_fts",
    "DROP TABLE IF EXISTS catalog_meta_fts",
]
POSTGRES_UP = [
    # No foreign keys: test flushes truncate the model tables without CASCADE; the search
    # code deletes index rows itself and only ever returns ids of existing publications.
    "CREATE TABLE catalog_search (publication_id bigint PRIMARY KEY, "
    "meta tsvector NOT NULL, fulltext tsvector NOT NULL)",
    "CREATE INDEX catalog_search_meta_gin ON catalog_search USING gin (meta)",
    "CREATE INDEX catalog_search_fulltext_gin ON catalog_search USING gin (fulltext)",
    "CREATE TABLE catalog_page_search (page_id bigint PRIMARY KEY, "
    "publication_id bigint NOT NULL, number integer NOT NULL, document tsvector NOT NULL)",
    "CREATE INDEX catalog_page_search_document_gin ON catalog_page_search USING gin (document)",
    "CREATE INDEX catalog_page_search_publication ON catalog_page_search (publication_id)",
]
POSTGRES_DOWN = ["DROP TABLE IF EXISTS catalog_page_search", "DROP TABLE IF EXISTS catalog_search"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_publications")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
            elidable=False,
        )
    ]
