"""Word maps for search (catalog.search.maps): one bit map of publications per common word.

``catalog_search_map`` holds, for each kind of text (``a``: everything a publication
matches on, ``r``: its record, ``s``: its title and numbers) and each word that many
publications share, the map of those publications (bit *n* = publication *n*, little
endian, zlib-compressed). ``catalog_search_map_state`` says whether the maps are in step
with the index (``ready``) and from which share of the catalogue a word gets a map.
On PostgreSQL ``catalog_search_vocab`` lists every indexed word (SQLite's fts5vocab
tables do that there), so that a word being typed can be expanded into words.
Both databases, outside the ORM like the other search tables.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE TABLE catalog_search_map (kind varchar(1) NOT NULL, word varchar(200) NOT NULL,"
    " ids blob NOT NULL, docs integer NOT NULL, PRIMARY KEY (kind, word)) WITHOUT ROWID",
    "CREATE TABLE catalog_search_map_state (id integer PRIMARY KEY, ready boolean NOT NULL,"
    " min_docs integer NOT NULL, built_at varchar(40) NOT NULL)",
]
SQLITE_DOWN = [
    "DROP TABLE IF EXISTS catalog_search_map_state",
    "DROP TABLE IF EXISTS catalog_search_map",
]
POSTGRES_UP = [
    "CREATE TABLE catalog_search_map (kind varchar(1) NOT NULL, word varchar(200) NOT NULL,"
    " ids bytea NOT NULL, docs integer NOT NULL, PRIMARY KEY (kind, word))",
    # Every indexed word (SQLite has fts5vocab), for listing the words a typed word starts.
    "CREATE TABLE catalog_search_vocab (word text COLLATE \"C\" PRIMARY KEY)",
    "CREATE TABLE catalog_search_map_state (id integer PRIMARY KEY, ready boolean NOT NULL,"
    " min_docs integer NOT NULL, built_at varchar(40) NOT NULL)",
]
POSTGRES_DOWN = [
    "DROP TABLE IF EXISTS catalog_search_vocab",
    "DROP TABLE IF EXISTS catalog_search_map_state",
    "DROP TABLE IF EXISTS catalog_search_map",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0010_text_recognition")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
            elidable=False,
        )
    ]
