"""Two implementations of one search interface: SQLite FTS5 and PostgreSQL full-text search.

Both receive text that ``text.py`` has already folded and stemmed, and queries
made only of alphanumeric tokens, so they match, rank and fail the same way.

Index layout (created by migrations 0002, 0005, 0007 and 0009, outside the ORM):
- ``meta``: per published publication, title (+raw words), abstract and subjects
  (+raw words), numbers — what ranking looks at;
- ``fulltext``: per published publication, everything above plus the distinct
  stems of its PDF pages — what decides whether it matches at all;
- ``pages``: per extracted page, its stems — where the page hits come from; on SQLite
  each page row also names its publication (``pub``: ``p<id>``);
- SQLite's ``catalog_text_vocab`` (fts5vocab) lists the indexed
  words, PostgreSQL's ``catalog_search_vocab`` too (kept with the word maps), for
  expanding a word being typed; PostgreSQL's ``catalog_search_strong`` holds the title
  and number words apart (migration 0007);
- ``catalog_search_map``: the word maps of ``maps.py`` (both databases).

Each backend answers: ``match_ids`` (everything matching), ``meta_ids`` (matching in
the record, or only in the title and numbers, optionally among given ids),
``relevance_order`` (given ids best first) and ``page_hits``; for the word maps also
``kind_ids`` (the publications of some words in one kind of text), ``expansions``,
``index_words`` (what the index holds for some publications) and ``common_words``
(for a rebuild). ``ranking.py`` and ``maps.py`` decide what to ask. Every index write
goes through ``_maintained``, which keeps the word maps exact.
"""

import json

from django.db import connection

from . import maps
from .text import stem

PAGE_BITS = 20  # SQLite page rowid = publication id << 20 | page number (pages up to ~1 million)
PAGE_MASK = (1 << PAGE_BITS) - 1
# A typed word longer than the prefix indexes (2-4 characters) is expanded into the words
# of the index that start with it, up to this many; beyond that FTS5 merges them itself.
EXPAND_MAX = 24


# Only these ids (a JSON list); "+rowid": FTS5 must walk its match, not look each id up
# (which would evaluate the whole match once per id).
_AMONG = " AND +rowid IN (SELECT value FROM json_each(%s))"
# Word maps (maps.py): a typed word is listed as the indexed words starting with it when
# there are at most this many.
LIST_MAX = 64


def _maintained(backend, ids, write):
    """Run ``write()`` (index rows of ``ids`` change) keeping the word maps exact, or mark
    them stale for a bulk write (the import rebuilds them)."""
    if len(ids) > maps.MAINTAIN_MAX:
        write()
        maps.mark_stale()
        return
    if not maps.ready():
        write()
        return
    old = backend.index_words(ids)
    write()
    maps.update(backend, old, backend.index_words(ids))


def get_backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()


def _fetch_ids(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


class SqliteBackend:
    vendor = "sqlite"

    # --- writing -----------------------------------------------------------------------------
    def index_many(self, rows):
        """``rows``: (publication_id, title, body, numbers, fulltext) tuples; replaces them."""
        rows = list(rows)
        if not rows:
            return
        ids = [(row[0],) for row in rows]

        def write():
            with connection.cursor() as cursor:
                cursor.executemany("DELETE FROM catalog_meta_fts WHERE rowid = %s", ids)
                cursor.executemany("DELETE FROM catalog_text_fts WHERE rowid = %s", ids)
                cursor.executemany(
                    "INSERT INTO catalog_meta_fts (rowid, title, body, numbers)"
                    " VALUES (%s, %s, %s, %s)",
                    [row[:4] for row in rows],
                )
                cursor.executemany(
                    "INSERT INTO catalog_text_fts (rowid, text) VALUES (%s, %s)",
                    [(row[0], row[4]) for row in rows],
                )

        _maintained(self, [row[0] for row in rows], write)

    def remove(self, publication_id):
        def write():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM catalog_meta_fts WHERE rowid = %s", [publication_id])
                cursor.execute("DELETE FROM catalog_text_fts WHERE rowid = %s", [publication_id])

        _maintained(self, [publication_id], write)

    def index_pages(self, publication_id, pages):
        """``pages``: (page_id, number, stems) tuples."""
        base = publication_id << PAGE_BITS
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT OR REPLACE INTO catalog_page_fts (rowid, text, pub) VALUES (%s, %s, %s)",
                [(base | number, stems, f"p{publication_id}") for _page_id, number, stems in pages],
            )

    def remove_pages(self, publication_id):
        low = publication_id << PAGE_BITS
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM catalog_page_fts WHERE rowid BETWEEN %s AND %s",
                [low, low | PAGE_MASK],
            )

    # --- reading -----------------------------------------------------------------------------
    def _listed(self, prefix):
        """The indexed words starting with ``prefix``, at most LIST_MAX + 1 (one read per
        search: this backend object lives for one search)."""
        cache = self.__dict__.setdefault("_listed_cache", {})
        if prefix not in cache:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT term FROM catalog_text_vocab WHERE term >= %s AND term < %s LIMIT %s",
                    [prefix, prefix + "\U0010ffff", LIST_MAX + 1],
                )
                cache[prefix] = [row[0] for row in cursor.fetchall()]
        return cache[prefix]

    def _expansions(self, query):
        """{typed word: [index words starting with it]} for typed words past the prefix indexes.

        ``"weleri"*`` on a word the prefix indexes do not cover makes FTS5 copy the whole
        list of every matching word into memory for each statement; the exact words are
        read in place, skipping what the other words rule out.
        """
        expansions = {}
        for term in query.terms:
            prefix = term.prefix
            if not prefix or len(prefix) <= 4 or prefix in expansions:
                continue
            found = self._listed(prefix)
            if len(found) <= EXPAND_MAX:
                expansions[prefix] = found
        return expansions

    def expression(self, query, operator="AND"):
        expansions = self._expansions(query)
        parts = []
        for term in query.terms:
            if term.is_phrase:
                parts.append('"' + " ".join(term.parts) + '"')
            elif term.prefix and len(term.prefix) >= 2:
                words = expansions.get(term.prefix)
                if words is None:
                    words = [term.parts[0], f'"{term.prefix}"*']
                    if term.prefix == term.parts[0]:
                        words = words[1:]
                    parts.append(
                        "(" + " OR ".join(w if w.endswith("*") else f'"{w}"' for w in words) + ")"
                    )
                else:
                    # Every indexed word comes with its stem, so a word whose stem is the
                    # typed word's stem adds nothing to that stem ("kemiskinan": "miskin").
                    unique = dict.fromkeys(
                        [term.parts[0], *(w for w in words if stem(w) != term.parts[0])]
                    )
                    parts.append("(" + " OR ".join(f'"{w}"' for w in unique) + ")")
            else:
                parts.append(f'"{term.parts[0]}"')
        return f" {operator} ".join(parts)

    @staticmethod
    def _ids(sql, params):
        # One string of ids is several times quicker to fetch than one row per id, and
        # the JSON parser the quickest way to read it.
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            joined = cursor.fetchone()[0]
        return json.loads(f"[{joined}]") if joined else []

    def match_ids(self, query):
        """Ids of the published publications matching every word, anywhere."""
        return self._ids(
            "SELECT group_concat(rowid) FROM catalog_text_fts WHERE catalog_text_fts MATCH %s",
            [self.expression(query)],
        )

    def meta_ids(self, query, *, strong=False, among=None):
        """Ids of those matching in their record; ``strong``: in the title or the numbers.

        ``among``: only these ids (a list).
        """
        expression = self.expression(query)
        if strong:
            expression = "{title numbers} : (" + expression + ")"
        sql = "SELECT group_concat(rowid) FROM catalog_meta_fts WHERE catalog_meta_fts MATCH %s"
        params = [expression]
        if among is not None:
            if not among:
                return []
            sql += _AMONG
            params.append(json.dumps(among))
        return self._ids(sql, params)

    def relevance_order(self, query, ids):
        """Those of ``ids`` that match in their record, best first: bm25 weighing the title
        and the numbers (10) over the abstract and subjects (3)."""
        if not ids:
            return []
        return _fetch_ids(
            "SELECT rowid FROM catalog_meta_fts WHERE catalog_meta_fts MATCH %s"
            " AND +rowid IN (SELECT value FROM json_each(%s))"  # see _AMONG
            " ORDER BY bm25(catalog_meta_fts, 10.0, 3.0, 10.0), rowid DESC",
            [self.expression(query), json.dumps(ids)],
        )

    def page_hits(self, query, publication_ids, per_publication=3):
        """{publication id: [page numbers, best first]} for pages with any of the query's words.

        One statement for all the publications: each page row carries its publication as a
        ``p<id>`` word, so FTS5 reads only those publications' pages and computes bm25's
        statistics once.
        """
        if not publication_ids or not query:
            return {}
        publications = " OR ".join(f"p{int(pk)}" for pk in publication_ids)
        expression = f"{{text}} : ({self.expression(query, 'OR')}) AND {{pub}} : ({publications})"
        found = {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, bm25(catalog_page_fts, 1.0, 0.0) FROM catalog_page_fts"
                " WHERE catalog_page_fts MATCH %s",
                [expression],
            )
            for rowid, score in cursor.fetchall():
                found.setdefault(rowid >> PAGE_BITS, []).append((score, rowid & PAGE_MASK))
        return {
            pk: [number for _score, number in sorted(pages)[:per_publication]]
            for pk, pages in found.items()
        }

    # --- word maps (maps.py) -----------------------------------------------------------------
    _KIND_FILTER = {"a": "", "r": "", "s": "{title numbers} : "}
    _KIND_TABLE = {"a": "catalog_text_fts", "r": "catalog_meta_fts", "s": "catalog_meta_fts"}

    def index_words(self, ids):
        """{publication id: {kind: set of words}} as the index holds them now."""
        found = {}
        among = json.dumps(list(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, title, body, numbers FROM catalog_meta_fts"
                " WHERE rowid IN (SELECT value FROM json_each(%s))",
                [among],
            )
            for pk, title, body, numbers in cursor.fetchall():
                strong = set(f"{title} {numbers}".split())
                found[pk] = {"s": strong, "r": strong | set(body.split())}
            cursor.execute(
                "SELECT rowid, text FROM catalog_text_fts"
                " WHERE rowid IN (SELECT value FROM json_each(%s))",
                [among],
            )
            for pk, text in cursor.fetchall():
                found.setdefault(pk, {})["a"] = set(text.split())
        return found

    def expansions(self, prefix):
        """Every indexed word starting with ``prefix``, or None when there are too many."""
        found = self._listed(prefix)
        return found if len(found) <= LIST_MAX else None

    def kind_ids(self, kind, term, *, words=None):
        """Ids whose ``kind`` text has any of ``words``, or matches ``term``."""
        if words is not None:
            expression = "(" + " OR ".join(f'"{w}"' for w in words) + ")"
        elif term.is_phrase:
            expression = '"' + " ".join(term.parts) + '"'
        else:
            expression = f'("{term.parts[0]}" OR "{term.prefix}"*)'
        table = self._KIND_TABLE[kind]
        return self._ids(
            f"SELECT group_concat(rowid) FROM {table} WHERE {table} MATCH %s",  # noqa: S608
            [self._KIND_FILTER[kind] + expression],
        )

    def add_vocabulary(self, words):
        """FTS5 keeps its vocabulary itself (catalog_text_vocab)."""

    def rebuild_vocabulary(self):
        """FTS5 keeps its vocabulary itself (catalog_text_vocab)."""

    def common_words(self, min_docs):
        """{word: ids} of the words found in at least ``min_docs`` publications (anywhere)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT term FROM catalog_text_vocab WHERE doc >= %s", [min_docs])
            candidates = [row[0] for row in cursor.fetchall()]
        found = {}
        for word in candidates:
            ids = self.kind_ids("a", None, words=[word])
            if len(ids) >= min_docs:
                found[word] = ids
        return found

    def words_ids(self, kind, words):
        """{word: ids} of some words in ``kind`` text (for a rebuild)."""
        return {word: self.kind_ids(kind, None, words=[word]) for word in words}


class PostgresBackend:
    vendor = "postgresql"

    def index_many(self, rows):
        rows = list(rows)
        if not rows:
            return
        ids = [r[0] for r in rows]

        def write():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM catalog_search WHERE publication_id = ANY(%s)", [ids])
                cursor.execute(
                    "DELETE FROM catalog_search_strong WHERE publication_id = ANY(%s)", [ids]
                )
                cursor.executemany(
                    """INSERT INTO catalog_search (publication_id, meta, fulltext) VALUES (
                        %s,
                        setweight(to_tsvector('simple', %s), 'A')
                          || setweight(to_tsvector('simple', %s), 'B')
                          || setweight(to_tsvector('simple', %s), 'A'),
                        to_tsvector('simple', %s))""",
                    rows,
                )
                cursor.executemany(
                    "INSERT INTO catalog_search_strong (publication_id, document)"
                    " VALUES (%s, to_tsvector('simple', %s) || to_tsvector('simple', %s))",
                    [(r[0], r[1], r[3]) for r in rows],
                )

        _maintained(self, ids, write)

    def remove(self, publication_id):
        def write():
            with connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM catalog_search WHERE publication_id = %s", [publication_id]
                )
                cursor.execute(
                    "DELETE FROM catalog_search_strong WHERE publication_id = %s", [publication_id]
                )

        _maintained(self, [publication_id], write)

    def index_pages(self, publication_id, pages):
        with connection.cursor() as cursor:
            cursor.executemany(
                """INSERT INTO catalog_page_search (page_id, publication_id, number, document)
                   VALUES (%s, %s, %s, to_tsvector('simple', %s))
                   ON CONFLICT (page_id) DO UPDATE SET document = EXCLUDED.document""",
                [(page_id, publication_id, number, stems) for page_id, number, stems in pages],
            )

    def remove_pages(self, publication_id):
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM catalog_page_search WHERE publication_id = %s", [publication_id]
            )

    @staticmethod
    def term_expression(term):
        if term.is_phrase:
            return "(" + " <-> ".join(f"'{p}'" for p in term.parts) + ")"
        if term.prefix and len(term.prefix) >= 2:
            return f"('{term.parts[0]}' | '{term.prefix}':*)"
        return f"'{term.parts[0]}'"

    @classmethod
    def expression(cls, query, operator="&"):
        return f" {operator} ".join(cls.term_expression(term) for term in query.terms)

    def match_ids(self, query):
        return _fetch_ids(
            "SELECT publication_id FROM catalog_search WHERE fulltext @@ to_tsquery('simple', %s)",
            [self.expression(query)],
        )

    def meta_ids(self, query, *, strong=False, among=None):
        if strong:  # title and number words only (migration 0007)
            sql = (
                "SELECT publication_id FROM catalog_search_strong"
                " WHERE document @@ to_tsquery('simple', %s)"
            )
        else:
            sql = "SELECT publication_id FROM catalog_search WHERE meta @@ to_tsquery('simple', %s)"
        params = [self.expression(query)]
        if among is not None:
            if not among:
                return []
            sql += " AND publication_id = ANY(%s)"
            params.append(list(among))
        return _fetch_ids(sql, params)

    def relevance_order(self, query, ids):
        if not ids:
            return []
        return _fetch_ids(
            "SELECT publication_id FROM catalog_search, to_tsquery('simple', %s) q"
            " WHERE publication_id = ANY(%s) AND meta @@ q"
            " ORDER BY ts_rank(meta, q) DESC, publication_id DESC",
            [self.expression(query), list(ids)],
        )

    def page_hits(self, query, publication_ids, per_publication=3):
        if not publication_ids or not query:
            return {}
        sql = """
            SELECT publication_id, number FROM (
                SELECT publication_id, number, row_number() OVER (
                    PARTITION BY publication_id ORDER BY ts_rank(document, q) DESC, number
                ) AS position
                FROM catalog_page_search, to_tsquery('simple', %s) q
                WHERE publication_id = ANY(%s) AND document @@ q
            ) ranked WHERE position <= %s ORDER BY publication_id, position
        """
        hits = {}
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [self.expression(query, "|"), list(publication_ids), per_publication]
            )
            for pk, number in cursor.fetchall():
                hits.setdefault(pk, []).append(number)
        return hits

    # --- word maps (maps.py) -----------------------------------------------------------------
    _KIND_COLUMN = {
        "a": ("catalog_search", "fulltext"),
        "r": ("catalog_search", "meta"),
        "s": ("catalog_search_strong", "document"),
    }

    def index_words(self, ids):
        """{publication id: {kind: set of words}} as the index holds them now."""
        found = {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.publication_id, tsvector_to_array(s.fulltext),"
                " tsvector_to_array(s.meta), tsvector_to_array(g.document)"
                " FROM catalog_search s LEFT JOIN catalog_search_strong g USING (publication_id)"
                " WHERE s.publication_id = ANY(%s)",
                [list(ids)],
            )
            for pk, everything, record, strong in cursor.fetchall():
                found[pk] = {"a": set(everything), "r": set(record), "s": set(strong or ())}
        return found

    def expansions(self, prefix):
        """Every indexed word starting with ``prefix`` (``catalog_search_vocab``, kept with the
        word maps), or None when there are too many."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM catalog_search_vocab WHERE word >= %s AND word < %s LIMIT %s",
                [prefix, prefix + "\U0010ffff", LIST_MAX + 1],
            )
            found = [row[0] for row in cursor.fetchall()]
        return found if len(found) <= LIST_MAX else None

    def add_vocabulary(self, words):
        if words:
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO catalog_search_vocab (word) SELECT unnest(%s::text[])"
                    " ON CONFLICT DO NOTHING",
                    [sorted(words)],
                )

    def rebuild_vocabulary(self):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE catalog_search_vocab")
            cursor.execute(
                "INSERT INTO catalog_search_vocab (word)"
                " SELECT DISTINCT unnest(tsvector_to_array(fulltext)) FROM catalog_search"
            )

    def kind_ids(self, kind, term, *, words=None):
        """Ids whose ``kind`` text has any of ``words``, or matches ``term``."""
        if words is not None:
            expression = "(" + " | ".join(f"'{w}'" for w in words) + ")"
        else:
            expression = self.term_expression(term)
        table, column = self._KIND_COLUMN[kind]
        return _fetch_ids(
            f"SELECT publication_id FROM {table} WHERE {column} @@ to_tsquery('simple', %s)",  # noqa: S608
            [expression],
        )

    def common_words(self, min_docs):
        """{word: ids} of the words found in at least ``min_docs`` publications (anywhere):
        one pass over the table, grouped by PostgreSQL."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, string_agg(publication_id::text, ',') FROM ("
                " SELECT publication_id, unnest(tsvector_to_array(fulltext)) AS word"
                " FROM catalog_search) words GROUP BY word HAVING count(*) >= %s",
                [min_docs],
            )
            return {word: json.loads(f"[{joined}]") for word, joined in cursor.fetchall()}

    def words_ids(self, kind, words):
        """{word: ids} of some words in ``kind`` text (for a rebuild): one pass."""
        table, column = self._KIND_COLUMN[kind]
        found = dict.fromkeys(words, ())
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, string_agg(publication_id::text, ',') FROM ("  # noqa: S608
                f" SELECT publication_id, unnest(tsvector_to_array({column})) AS word FROM {table}"
                ") words WHERE word = ANY(%s) GROUP BY word",
                [list(words)],
            )
            for word, joined in cursor.fetchall():
                found[word] = json.loads(f"[{joined}]")
        return found
