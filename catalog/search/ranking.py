"""Which matches come first: a walk through tiers, each ordered as well as it cheaply can be.

1. exact catalogue, publication, ISSN or ISBN numbers;
2. matches in the title or the numbers;
3. matches elsewhere in the record (abstract, subjects);
4. matches only inside the PDF text, newest first.

Within tiers 2 and 3 relevance (bm25 on SQLite, ts_rank on PostgreSQL) orders up to
``RANK_CAP`` candidates. A larger tier means words that thousands of publications share:
relevance can hardly tell them apart (bm25's weight for a word tends to nothing as its
share of the catalogue passes a half) and computing it costs a pass over every one of
them, so such a tier is listed newest first. The walk stops as soon as the page is full.
"""

from .facets import members

RANK_CAP = 2000


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
    if mask.bit_count() <= RANK_CAP:
        # Few matches left (a rare word, or filters): rank them all at once.
        candidates = members(mask, match_ids)
        ordered = backend.relevance_order(query, candidates)
        strong = set(backend.meta_ids(query, strong=True, among=candidates))
        if add(pk for pk in ordered if pk in strong) or add(ordered):
            return ids
        add(index.newest_first(set(candidates) - taken, need - len(ids)))
        return ids
    for strong in (True, False):
        candidates = [
            pk for pk in members(mask, backend.meta_ids(query, strong=strong)) if pk not in taken
        ]
        if len(candidates) <= RANK_CAP:
            ordered = backend.relevance_order(query, candidates)
        else:
            ordered = index.newest_first(set(candidates), need - len(ids))
        if add(ordered):
            return ids
    rest = set(members(mask, match_ids)) - taken
    add(index.newest_first(rest, need - len(ids)))
    return ids
