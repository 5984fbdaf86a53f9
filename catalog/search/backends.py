"""Two implementations of one search interface: SQLite FTS5 and PostgreSQL full-text search.

Both receive text that ``text.py`` has already folded and stemmed, and queries
made only of alphanumeric tokens, so they match, rank and fail the same way.

Index layout (created by migration 0002, outside the ORM):
- ``meta``: per published publication, title (+raw words), abstract and subjects
  (+raw words), numbers — what ranking looks at;
- ``fulltext``: per published publication, everything above plus the distinct
  stems of its PDF pages — what decides whether it matches at all;
- ``pages``: per extracted page, its stems — where the page hits come from.
"""

from django.db import connection

PAGE_BITS = 20  # SQLite page rowid = publication id << 20 | page number (pages up to ~1 million)
META_WEIGHTS = (10.0, 3.0, 10.0)  # title, body, numbers
RANK_CAP = 20_000  # SQLite: above this many metadata matches, bm25 ranks title matches only


def get_backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()


class SqliteBackend:
    vendor = "sqlite"

    # --- writing -----------------------------------------------------------------------------
    def index_many(self, rows):
        """``rows``: (publication_id, title, body, numbers, fulltext) tuples; replaces them."""
        rows = list(rows)
        if not rows:
            return
        ids = [(row[0],) for row in rows]
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

    def remove(self, publication_id):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalog_meta_fts WHERE rowid = %s", [publication_id])
            cursor.execute("DELETE FROM catalog_text_fts WHERE rowid = %s", [publication_id])

    def index_pages(self, publication_id, pages):
        """``pages``: (page_id, number, stems) tuples."""
        base = publication_id << PAGE_BITS
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT OR REPLACE INTO catalog_page_fts (rowid, text) VALUES (%s, %s)",
                [(base | number, stems) for _page_id, number, stems in pages],
            )

    def remove_pages(self, publication_id):
        low = publication_id << PAGE_BITS
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM catalog_page_fts WHERE rowid BETWEEN %s AND %s",
                [low, low | ((1 << PAGE_BITS) - 1)],
            )

    # --- reading -----------------------------------------------------------------------------
    @staticmethod
    def expression(query, operator="AND"):
        parts = []
        for term in query.terms:
            if term.is_phrase:
                parts.append('"' + " ".join(term.parts) + '"')
            elif term.prefix and len(term.prefix) >= 2:
                parts.append(f'("{term.parts[0]}" OR "{term.prefix}"*)')
            else:
                parts.append(f'"{term.parts[0]}"')
        return f" {operator} ".join(parts)

    def prepare_matches(self, query):
        """Evaluate the full-text match once into a per-connection temporary table.

        Count, facets and ranking each read the matching ids; FTS5 would otherwise
        walk its index again for every one of them.
        """
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE IF NOT EXISTS catalog_hits (id INTEGER PRIMARY KEY)")
            cursor.execute("DELETE FROM temp.catalog_hits")
            cursor.execute(
                "INSERT INTO temp.catalog_hits (id) SELECT rowid FROM catalog_text_fts"
                " WHERE catalog_text_fts MATCH %s",
                [self.expression(query)],
            )
        return "SELECT id FROM temp.catalog_hits", []

    def match_ids(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def rank(self, query, base_sql, base_params, exact_ids, limit, offset, *, filtered=True):
        """Ids of ``base`` (a query selecting id and year) in relevance order.

        Exact number matches first, then publications whose metadata matches (by
        bm25, title and numbers weighing most), then those that match only inside
        their PDF, newest first. Without filters the metadata index answers alone
        (every published publication is in it), which spares a join over all matches.
        """
        if not filtered:
            return self._rank_unfiltered(query, exact_ids, limit, offset)
        exact = ", ".join(str(int(pk)) for pk in exact_ids) or "NULL"
        weights = ", ".join(str(w) for w in META_WEIGHTS)
        sql = f"""
            WITH m AS MATERIALIZED (
                SELECT rowid AS id, bm25(catalog_meta_fts, {weights}) AS score
                FROM catalog_meta_fts WHERE catalog_meta_fts MATCH %s
            )
            SELECT p.id FROM ({base_sql}) p LEFT JOIN m ON m.id = p.id
            ORDER BY p.id IN ({exact}) DESC, m.score IS NULL, m.score, p.year DESC, p.id DESC
            LIMIT %s OFFSET %s
        """  # noqa: S608 - only integers and the ORM's own SQL are interpolated
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.expression(query), *base_params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def _rank_unfiltered(self, query, exact_ids, limit, offset):
        expression = self.expression(query)
        need = offset + limit
        weights = ", ".join(str(w) for w in META_WEIGHTS)
        ids = list(dict.fromkeys(exact_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM catalog_meta_fts WHERE catalog_meta_fts MATCH %s",
                [expression],
            )
            meta_count = cursor.fetchone()[0]
            ranked_expression = expression
            if meta_count > RANK_CAP:
                # A very common word: bm25 hardly tells the rows apart and costs a pass over
                # all of them; rank the title matches and list the rest newest-added first.
                ranked_expression = "{title} : (" + expression + ")"
            top = "SELECT rowid FROM catalog_meta_fts WHERE catalog_meta_fts MATCH %s ORDER BY "
            top += f"bm25(catalog_meta_fts, {weights}) LIMIT %s"  # only our constant weights
            cursor.execute(top, [ranked_expression, need + len(ids)])
            ids += [pk for (pk,) in cursor.fetchall() if pk not in ids]
            if len(ids) < need and meta_count > RANK_CAP:
                cursor.execute(
                    "SELECT rowid FROM catalog_meta_fts WHERE catalog_meta_fts MATCH %s"
                    " ORDER BY rowid DESC LIMIT %s",
                    [expression, need + len(ids)],
                )
                ids += [pk for (pk,) in cursor.fetchall() if pk not in ids]
            if len(ids) < need:
                # Matches only inside the PDF text, newest first.
                cursor.execute(
                    "SELECT p.id FROM catalog_publication p JOIN temp.catalog_hits h ON h.id = p.id"
                    " WHERE p.id NOT IN (SELECT rowid FROM catalog_meta_fts"
                    " WHERE catalog_meta_fts MATCH %s)"
                    " ORDER BY p.year DESC, p.id DESC LIMIT %s",
                    [expression, need],
                )
                ids += [pk for (pk,) in cursor.fetchall() if pk not in ids]
        return ids[offset:need]

    def page_hits(self, query, publication_ids, per_publication=3):
        """{publication id: [page numbers, best first]} for pages with any of the query's words."""
        if not publication_ids or not query:
            return {}
        expression = self.expression(query, "OR")
        selects, params = [], []
        mask = (1 << PAGE_BITS) - 1
        for pk in publication_ids:
            low = pk << PAGE_BITS
            selects.append(
                "SELECT * FROM (SELECT rowid AS r, bm25(catalog_page_fts) AS s"
                " FROM catalog_page_fts WHERE catalog_page_fts MATCH %s"
                " AND rowid BETWEEN %s AND %s ORDER BY s LIMIT %s)"
            )
            params += [expression, low, low | mask, per_publication]
        hits = {}
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(selects), params)
            for rowid, score in cursor.fetchall():
                hits.setdefault(rowid >> PAGE_BITS, []).append((score, rowid & mask))
        return {pk: [number for _s, number in sorted(found)] for pk, found in hits.items()}


class PostgresBackend:
    # PostgreSQL ranks every match with ts_rank_cd; the filtered flag changes nothing here.
    vendor = "postgresql"

    def index_many(self, rows):
        rows = list(rows)
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM catalog_search WHERE publication_id = ANY(%s)", [[r[0] for r in rows]]
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

    def remove(self, publication_id):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalog_search WHERE publication_id = %s", [publication_id])

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
    def expression(query, operator="&"):
        parts = []
        for term in query.terms:
            if term.is_phrase:
                parts.append("(" + " <-> ".join(f"'{p}'" for p in term.parts) + ")")
            elif term.prefix and len(term.prefix) >= 2:
                parts.append(f"('{term.parts[0]}' | '{term.prefix}':*)")
            else:
                parts.append(f"'{term.parts[0]}'")
        return f" {operator} ".join(parts)

    def prepare_matches(self, query):
        """A subquery of the matching ids (the GIN index answers it quickly each time)."""
        return (
            "SELECT publication_id FROM catalog_search WHERE fulltext @@ to_tsquery('simple', %s)",
            [self.expression(query)],
        )

    def match_ids(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def rank(self, query, base_sql, base_params, exact_ids, limit, offset, *, filtered=True):
        sql = f"""
            SELECT p.id FROM ({base_sql}) p
            LEFT JOIN catalog_search s ON s.publication_id = p.id,
            to_tsquery('simple', %s) q
            ORDER BY p.id = ANY(%s) DESC, (s.meta @@ q) DESC, ts_rank_cd(s.meta, q) DESC,
                     p.year DESC, p.id DESC
            LIMIT %s OFFSET %s
        """  # noqa: S608 - only the ORM's own SQL is interpolated
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [*base_params, self.expression(query), list(exact_ids), limit, offset]
            )
            return [row[0] for row in cursor.fetchall()]

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
