"""Which matches come first: a walk through tiers, each ordered as well as it cheaply can be.

1. exact catalogue, publication, ISSN or ISBN numbers;
2. matches in the title or the numbers;
3. matches elsewhere in the record (abstract, subjects);
4. matches only inside the PDF text, newest first.

When at most ``RANK_CAP`` matches are left (a rare word, or filters), relevance (bm25 on
SQLite, ts_rank on PostgreSQL) orders tiers 2 and 3 together, its weights putting title
and number matches first. Otherwise each tier is ranked by relevance when it holds at
most ``RANK_CAP`` candidates (about 5 ms of bm25 on SQLite). A larger tier means words
that thousands of publications share: relevance can hardly tell them apart (bm25's
weight for a word tends to nothing as its share of the catalogue passes a half) and
computing it costs a pass over every one of them, so such a tier is listed newest
first. The walk stops as soon as the page is full.

``rank`` asks the full-text index for each tier; ``rank_with_maps`` (when the word maps
of ``maps.py`` are ready) takes each tier as an AND of maps instead, so a tier of 60,000
costs the same as a tier of ten: only the relevance order of a small tier and the page
itself go to the database.
"""

from .facets import id_map, map_ids, members

RANK_CAP = 1000
AMONG_MAX = 10_000


def rank(backend, query, index, mask, match_ids, exact_ids, need):
    """The first ``need`` ids among the matches left by the filters (``mask``), best first."""
    ids = []
    taken = set()

    def add(candidates):
        for pk in candidates:
            if pk not in taken:
                taken.add(pk)
                ids.append(pk)
                if len(ids) >= need:
                    return True
        return False

    if add(members(mask, exact_ids)):
        return ids
    left = mask.bit_count()
    if left <= RANK_CAP:
        # Few matches left (a rare word, or filters): rank them all at once. Title and
        # numbers weigh 10 to the abstract's 3, so their matches come first here too.
        if add(backend.relevance_order(query, members(mask, match_ids))):
            return ids
        add(index.newest_first(mask & ~id_map(taken), need - len(ids)))
        return ids
    # Filters left a few thousand: the database checks the tiers among them, rather than
    # sending every publication of a tier that the filters then mostly rule out.
    matching = members(mask, match_ids)
    among = matching if left <= AMONG_MAX else None
    tier = backend.meta_ids(query, strong=True, among=among)
    strong = tier if among is not None else members(mask, tier)
    if len(strong) <= RANK_CAP:
        ordered = backend.relevance_order(query, strong)
    else:
        ordered = index.newest_first(id_map(strong) & ~id_map(taken), need - len(ids))
    if add(ordered):
        return ids
    rest = mask & ~id_map(taken)
    # Only a publication with page text can match in its PDF alone: ask which of those
    # match in their record; the other matches need no asking.
    with_text = rest & index.with_text
    if with_text.bit_count() <= AMONG_MAX:
        in_record = backend.meta_ids(query, among=members(with_text, matching))
        pdf_only = with_text & ~id_map(in_record)
    else:
        pdf_only = rest & ~id_map(backend.meta_ids(query))
    record = rest & ~pdf_only
    if record.bit_count() <= RANK_CAP:
        ordered = backend.relevance_order(query, members(record, matching))
    else:
        ordered = index.newest_first(record, need - len(ids))
    if add(ordered):
        return ids
    add(index.newest_first(pdf_only, need - len(ids)))
    return ids


def rank_with_maps(backend, query, index, mask, sets, exact_ids, need):
    """``rank`` when the word maps answer the query (``sets``: maps.TermSets): the same tiers,
    each one an AND of maps instead of a question to the database."""
    ids = []
    taken = set()

    def add(candidates):
        for pk in candidates:
            if pk not in taken:
                taken.add(pk)
                ids.append(pk)
                if len(ids) >= need:
                    return True
        return False

    if add(members(mask, exact_ids)):
        return ids
    if mask.bit_count() <= RANK_CAP:
        if add(backend.relevance_order(query, map_ids(mask))):
            return ids
        add(index.newest_first(mask & ~id_map(taken), need - len(ids)))
        return ids
    strong = sets.get("s") & mask
    if strong.bit_count() <= RANK_CAP:
        ordered = backend.relevance_order(query, map_ids(strong))
    else:
        ordered = index.newest_first(strong & ~id_map(taken), need - len(ids))
    if add(ordered):
        return ids
    rest = mask & ~id_map(taken)
    record = rest & sets.get("r")
    if record.bit_count() <= RANK_CAP:
        ordered = backend.relevance_order(query, map_ids(record))
    else:
        ordered = index.newest_first(record, need - len(ids))
    if add(ordered):
        return ids
    add(index.newest_first(rest & ~record, need - len(ids)))
    return ids
