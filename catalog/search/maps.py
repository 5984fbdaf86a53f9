"""Word maps: the publications of each common word as one bit map, kept in the database.

A word that thousands of publications share is the costly case for both databases:
FTS5 decodes its whole posting list and PostgreSQL visits every matching row of the
heap (GIN gives row addresses, not ids), then every id travels to Python to become the
map that facets and tiers work on (``facets.py``). Here the map itself is stored, per
kind of text:

- ``a``: everything a publication matches on (record and page text: ``fulltext``),
- ``r``: its record (title, abstract, subjects, numbers: ``meta``),
- ``s``: its title and numbers (the strong tier),

for every word found in at least ``min_docs`` publications (``MIN_SHARE`` of the
catalogue, at least ``MIN_DOCS``), in all three kinds (a common word's title map may be
sparse, but a query never has to ask the index for a common word). A map is the publication-id bit map of ``facets.py``
as little-endian bytes, zlib-compressed (a rare-ish word's map shrinks to a few
hundred bytes). Reading a word is one primary-key lookup, whatever its frequency.

A query term is answered from the maps of its words (a word being typed: every
indexed word starting with it, listed from the vocabulary: SQLite's fts5vocab, the
``catalog_search_vocab`` table on PostgreSQL) ORed with one full-text query for its words
that have no map: rare words, so few rows. Terms are ANDed. Phrases (numbers such as
1102001.3324), and typed words that too many words start with, go to the full-text
index as a whole. (A ``term & !mapped`` query is no way out on PostgreSQL: a negation
makes GIN's answer lossy, so every row of the common words gets rechecked.)

Writers keep the maps exact: ``update`` runs inside the transaction that changes the
index rows, and sets or clears the publication's bit in the maps of its old and new
words (row locks in word order on PostgreSQL; SQLite has one writer). A bulk write of
more than ``MAINTAIN_MAX`` publications marks the maps not ready instead, and whoever
made it (the import) rebuilds them after; while they are not ready, or never built
(catalogues under ``BUILD_FROM`` publications do not need them), search asks the
full-text index as before (``backends.py``). ``rebuild`` recomputes everything under a
table lock: the words from the index's vocabulary, their publications from the index.
"""

import json
import zlib
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from ..choices import ProcessingState
from ..models import Publication
from .facets import id_map

KINDS = ("a", "r", "s")
MIN_DOCS = 200
MIN_SHARE = 0.005
MAINTAIN_MAX = 10
BUILD_FROM = 5000
STATE_ID = 1


def encode(mask):
    return zlib.compress(mask.to_bytes((mask.bit_length() + 7) // 8, "little"), 1)


def decode(data):
    return int.from_bytes(zlib.decompress(bytes(data)), "little")


# --- state -----------------------------------------------------------------------------------
def ready():
    """Whether maps exist and are in step with the index."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ready FROM catalog_search_map_state WHERE id = %s", [STATE_ID])
        row = cursor.fetchone()
    return bool(row and row[0])


def _state_exists(cursor):
    cursor.execute("SELECT 1 FROM catalog_search_map_state WHERE id = %s", [STATE_ID])
    return cursor.fetchone() is not None


def mark_stale():
    """After a bulk write that did not maintain the maps: search stops using them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_search_map_state SET ready = %s WHERE id = %s", [False, STATE_ID]
        )


def needs_rebuild(published_count):
    """Maps that were made stale, or none yet for a catalogue big enough to want them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ready FROM catalog_search_map_state WHERE id = %s", [STATE_ID])
        row = cursor.fetchone()
    if row is None:
        return published_count >= BUILD_FROM
    return not row[0]


# --- reading ---------------------------------------------------------------------------------
def read(kind, words):
    """{word: map} of those ``words`` that have a map of ``kind``."""
    words = list(dict.fromkeys(words))
    if not words:
        return {}
    found = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT word, ids FROM catalog_search_map WHERE kind = %s AND word = ANY(%s)",
                [kind, words],
            )
        else:
            cursor.execute(
                "SELECT word, ids FROM catalog_search_map WHERE kind = %s"
                " AND word IN (SELECT value FROM json_each(%s))",
                [kind, json.dumps(words)],
            )
        for word, data in cursor.fetchall():
            found[word] = decode(data)
    return found


@dataclass
class TermSets:
    """The maps of a query's matches: everywhere (``a``), in the record, in title/numbers."""

    backend: object
    query: object
    cache: dict

    def get(self, kind):
        if kind not in self.cache:
            self.cache[kind] = evaluate(self.backend, self.query, kind)
        return self.cache[kind]


def evaluate(backend, query, kind):
    """The map of the publications whose ``kind`` text matches every term of ``query``."""
    result = None
    for term in query.terms:
        term_map = _term(backend, term, kind)
        result = term_map if result is None else result & term_map
        if not result:
            return 0
    return result or 0


def _term(backend, term, kind):
    if term.is_phrase:
        return id_map(backend.kind_ids(kind, term))
    words = [term.parts[0]]
    if term.prefix and len(term.prefix) >= 2:
        expansions = backend.expansions(term.prefix)
        if expansions is None:
            # Too many words start with it (two or three letters typed): the index answers.
            return id_map(backend.kind_ids(kind, term))
        words += [w for w in expansions if w != words[0]]
    maps = read(kind, words)
    result = 0
    for word_map in maps.values():
        result |= word_map
    rest = [w for w in words if w not in maps]
    if rest:
        result |= id_map(backend.kind_ids(kind, None, words=rest))
    return result


# --- writing ---------------------------------------------------------------------------------
def update(backend, old_words, new_words):
    """Keep the maps exact for some publications whose index rows change.

    ``old_words`` and ``new_words``: {publication id: {kind: set of words}} before and
    after (a removed publication has no new words). Runs in the writer's transaction.
    """
    if not ready():
        return
    for kind in KINDS:
        touched = {}
        for words_by_pk in (old_words, new_words):
            for pk, kinds in words_by_pk.items():
                for word in kinds.get(kind, ()):
                    touched.setdefault(word, set()).add(pk)
        if not touched:
            continue
        rows = _lock_rows(kind, sorted(touched))
        changes = []
        for word, data, _docs in rows:
            mask = decode(data)
            before = mask
            for pk in touched[word]:
                bit = 1 << pk
                if word in new_words.get(pk, {}).get(kind, ()):
                    mask |= bit
                else:
                    mask &= ~bit
            if mask != before:
                changes.append((encode(mask), mask.bit_count(), kind, word))
        if changes:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE catalog_search_map SET ids = %s, docs = %s WHERE kind = %s AND word = %s",
                    changes,
                )
    backend.add_vocabulary({word for kinds in new_words.values() for word in kinds.get("a", ())})


def _lock_rows(kind, words):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT word, ids, docs FROM catalog_search_map WHERE kind = %s"
                " AND word = ANY(%s) ORDER BY word FOR UPDATE",
                [kind, words],
            )
        else:
            cursor.execute(
                "SELECT word, ids, docs FROM catalog_search_map WHERE kind = %s"
                " AND word IN (SELECT value FROM json_each(%s))",
                [kind, json.dumps(words)],
            )
        return cursor.fetchall()


def _record_maps(backend, common):
    """The record maps of the common words, from their maps of everything: only a
    publication with page text can have a word outside its record, so only those few
    are read (a second pass over the whole index would cost as much as the first)."""
    with_pages = Publication.objects.published().filter(processing_state=ProcessingState.READY)
    outside = {}  # word → publications that have it only in their pages
    for pk, kinds in backend.index_words(list(with_pages.values_list("pk", flat=True))).items():
        record = kinds.get("r", set())
        for word in kinds.get("a", set()) - record:
            if word in common:
                outside.setdefault(word, []).append(pk)
    return {word: mask & ~id_map(outside.get(word, ())) for word, mask in common.items()}


def rebuild(backend, *, min_docs=None):
    """Recompute every map from the index; returns the number of maps. Ready afterwards."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("LOCK TABLE catalog_search_map IN EXCLUSIVE MODE")
        if min_docs is None:
            published = Publication.objects.published().count()
            min_docs = max(MIN_DOCS, int(published * MIN_SHARE))
        cursor.execute("DELETE FROM catalog_search_map")
        backend.rebuild_vocabulary()
        count = 0
        # A word common anywhere gets a map of every kind (its record and title maps may be
        # sparse): a query then never asks the index for a common word in one kind only.
        common = {word: id_map(ids) for word, ids in backend.common_words(min_docs).items()}
        for kind in KINDS:
            if kind == "a":
                found = common
            elif kind == "r":
                found = _record_maps(backend, common)
            else:
                found = {w: id_map(ids) for w, ids in backend.words_ids(kind, list(common)).items()}
            rows = [(kind, word, encode(mask), mask.bit_count()) for word, mask in found.items()]
            cursor.executemany(
                "INSERT INTO catalog_search_map (kind, word, ids, docs) VALUES (%s, %s, %s, %s)",
                rows,
            )
            count += len(rows)
        values = [True, min_docs, timezone.now().isoformat(), STATE_ID]
        if _state_exists(cursor):
            cursor.execute(
                "UPDATE catalog_search_map_state SET ready = %s, min_docs = %s, built_at = %s"
                " WHERE id = %s",
                values,
            )
        else:
            cursor.execute(
                "INSERT INTO catalog_search_map_state (ready, min_docs, built_at, id)"
                " VALUES (%s, %s, %s, %s)",
                values,
            )
    return count
