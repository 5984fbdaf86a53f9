"""Catalogue search: one interface over SQLite FTS5 and PostgreSQL full-text search.

``search(...)`` answers the public catalogue page and ``GET /api/v1/publications``.
Both databases run the same design, so they give the same answers at the same speed:

- text is folded and stemmed in Python (``text.py``), so each database only splits
  words; matching is per word, ANDed;
- the matches of a query are a *map* (a Python int, bit *n* for publication *n*):
  from the stored word maps of its common words (``maps.py``: one primary-key read per
  word whatever its frequency) and a full-text query for its rare words, or, until
  the maps are built (small catalogues, right after a bulk import), from the full-text
  index (``backends.py``);
- filters, counts and facets are ANDs and ``bit_count()``s over in-memory maps of the
  catalogue (``facets.py``): no row is read per match;
- the first page is found by walking tiers (exact numbers, title/numbers, record,
  PDF-only), each an AND of maps, ordered by the database's relevance (bm25 /
  ``ts_rank``) only when it holds at most 1,000 (``ranking.py``);
- only the twenty publications shown are read, with their best pages (one query for
  all of them) and passages (``snippets.py``, from the stored page text).

The database's work per search is therefore a handful of indexed reads, not a pass
over every matching row: that pass is what a bare full-text query pays (the floor
``bench/search.py`` measures against), and what made a common word cost hundreds of
milliseconds on PostgreSQL, whose GIN index yields row addresses that must each be
visited to become ids.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from ..choices import Availability, ProcessingState, SortOrder
from ..models import Publication, PublicationPage
from . import maps
from .backends import get_backend
from .facets import count_facets, facet_index, map_ids, members
from .ranking import rank, rank_with_maps
from .snippets import snippet
from .text import index_text, normalize_number, number_text, parse_query, stem, words

__all__ = [
    "SearchResult",
    "index_pages",
    "index_publication",
    "parse_query",
    "refresh_maps",
    "search",
]

PAGE_SIZE = 20
MAX_PAGE = 500
FULLTEXT_MAX_CHARS = 400_000


@dataclass
class Hit:
    publication: Publication
    snippet: str = ""
    page_hits: list = field(default_factory=list)  # [(page number, snippet)]


@dataclass
class SearchResult:
    query: str
    count: int
    hits: list
    facets: dict
    page: int
    page_size: int
    sort: str

    @property
    def first_number(self):
        return (self.page - 1) * self.page_size + 1

    @property
    def num_pages(self):
        return max(1, -(-self.count // self.page_size))


# --- indexing ------------------------------------------------------------------------------------
def _meta_fields(publication, subject_titles):
    title = index_text(publication.title, raw=True)
    body = index_text(publication.abstract, *subject_titles, raw=True)
    numbers = number_text(
        publication.catalog_number,
        publication.publication_number,
        publication.issn,
        publication.isbn,
        str(publication.year),
    )
    return title, body, numbers


def document_rows(publications):
    """The index rows of some publications (subjects and pages read in two queries)."""
    publications = list(publications)
    subjects = {}
    through = Publication.subjects.through.objects.filter(
        publication_id__in=[p.pk for p in publications]
    ).values_list("publication_id", "subject__title")
    for pk, title in through:
        subjects.setdefault(pk, []).append(title)
    with_text = [p.pk for p in publications if p.processing_state == ProcessingState.READY]
    page_stems = {}
    if with_text:
        for pk, text in PublicationPage.objects.filter(publication_id__in=with_text).values_list(
            "publication_id", "text"
        ):
            seen = page_stems.setdefault(pk, {})
            for word in words(text):
                seen.setdefault(stem(word), None)
    for publication in publications:
        title, body, numbers = _meta_fields(publication, subjects.get(publication.pk, []))
        meta = f"{title} {body} {numbers}"
        present = set(meta.split())
        extra = " ".join(s for s in page_stems.get(publication.pk, {}) if s not in present)
        fulltext = f"{meta} {extra}"[:FULLTEXT_MAX_CHARS]
        yield publication.pk, title, body, numbers, fulltext


def index_publication(publication):
    """Put a publication into the index if it is published, take it out otherwise."""
    backend = get_backend()
    if publication.is_published:
        backend.index_many(document_rows([publication]))
    else:
        backend.remove(publication.pk)


def index_publications(publications):
    """Index many publications at once (the bulk import): published in, drafts out."""
    backend = get_backend()
    publications = list({p.pk: p for p in publications}.values())
    backend.index_many(document_rows(p for p in publications if p.is_published))
    for publication in publications:
        if not publication.is_published:
            backend.remove(publication.pk)


def index_pages(publication_id, pages):
    """Index extracted pages: ``pages`` are PublicationPage objects."""
    get_backend().index_pages(
        publication_id, [(page.pk, page.number, index_text(page.text)) for page in pages]
    )


def remove_pages(publication_id):
    get_backend().remove_pages(publication_id)


def refresh_maps(*, force=False, min_docs=None):
    """Rebuild the word maps (maps.py) when a bulk write made them stale, or when the
    catalogue has grown big enough to want them (``force``: always). Returns the number
    of maps built, or None."""
    if force or maps.needs_rebuild(Publication.objects.published().count()):
        return maps.rebuild(get_backend(), min_docs=min_docs)
    return None


# --- searching -----------------------------------------------------------------------------------
def _filtered(base, *, subject=None, year=None, office=None, availability=None):
    if subject:
        base = base.filter(subjects__pk=subject)
    if year:
        base = base.filter(year=year)
    if office:
        base = base.filter(office__code=office)
    if availability == Availability.SOFTCOPY:
        base = base.with_softcopy()
    elif availability == Availability.HARDCOPY:
        base = base.with_hardcopy()
    return base


def search(
    q="",
    *,
    subject=None,
    year=None,
    office=None,
    availability=None,
    sort=SortOrder.RELEVANCE,
    page=1,
    page_size=PAGE_SIZE,
    prefix=True,
):
    """Published publications matching ``q`` (all words, Indonesian word forms), ranked."""
    query = parse_query(q, prefix=prefix)
    page = min(max(1, page), MAX_PAGE)
    backend = get_backend()
    index = facet_index()
    filters = {"subject": subject, "year": year, "office": office, "availability": availability}
    sets = matched = None
    if query and maps.ready():
        # Word maps (maps.py): the matches as a map, the tiers as ANDs of maps.
        sets = maps.TermSets(backend, query, {})
        matched = sets.get("a")
        match_ids = None
    elif query:
        match_ids = backend.match_ids(query)
    elif q.strip():
        match_ids = []  # only punctuation or symbols: nothing can match
    else:
        match_ids = None  # no words: the whole catalogue
    count, facets, mask = count_facets(index, match_ids, matched=matched, **filters)
    offset = (page - 1) * page_size
    need = offset + page_size
    if not count:
        ids = []
    elif match_ids is None and sets is None:
        ids = index.newest_first(mask, need)[offset:]  # no words: the newest first
    elif sort == SortOrder.NEWEST:
        ids = index.newest_first(mask, need)[offset:]
    elif sets is not None:
        exact_ids = _exact_ids(query, q, map_ids(mask)) if query.number else []
        ids = rank_with_maps(backend, query, index, mask, sets, exact_ids, need)[offset:]
    else:
        exact_ids = _exact_ids(query, q, members(mask, match_ids)) if query.number else []
        ids = rank(backend, query, index, mask, match_ids, exact_ids, need)[offset:]
    publications = Publication.objects.select_related("office").in_bulk(ids)
    ordered = [publications[pk] for pk in ids if pk in publications]
    hits = _hits(backend, query, ordered)
    return SearchResult(
        query=q,
        count=count,
        hits=hits,
        facets=facets,
        page=page,
        page_size=page_size,
        sort=sort,
    )


NUMBER_FIELDS = ("catalog_number", "publication_number", "issn", "isbn")


def _exact_ids(query, typed, candidates):
    """Publications whose number is exactly what was typed: by the indexes, else by digits.

    ``candidates`` are the matches left by the filters; comparing digits only (2088 1234
    for 2088-1234) reads the numbers of the first few hundred of them.
    """
    typed = typed.strip()
    variants = sorted({typed, typed.upper()})
    number_q = Q()
    for name in NUMBER_FIELDS:
        # "not empty" lets the planner use the partial index of an optional number.
        number_q |= Q(**{f"{name}__in": variants}) & ~Q(**{name: ""})
    # No ordering: the planner then reads the four number indexes instead of the catalogue.
    found = Publication.objects.published().filter(number_q).order_by()
    exact = list(found.values_list("pk", flat=True)[:50])
    if exact or normalize_number(typed) == typed.upper():
        return exact
    rows = Publication.objects.filter(pk__in=candidates[:500]).values_list("pk", *NUMBER_FIELDS)
    return [
        row[0]
        for row in rows
        if query.number in {normalize_number(value) for value in row[1:] if value}
    ]


def _hits(backend, query, publications):
    with_text = [p.pk for p in publications if p.processing_state == ProcessingState.READY]
    page_numbers = backend.page_hits(query, with_text) if query else {}
    wanted = [(pk, numbers[0]) for pk, numbers in page_numbers.items() if numbers]
    texts = {}
    if wanted:
        condition = Q()
        for pk, number in wanted:
            condition |= Q(publication_id=pk, number=number)
        texts = {
            (pk, number): text
            for pk, number, text in PublicationPage.objects.filter(condition).values_list(
                "publication_id", "number", "text"
            )
        }
    hits = []
    for publication in publications:
        # The best page gets a passage; the others are listed by number.
        pages = [
            (number, snippet(texts.get((publication.pk, number), ""), query) if i == 0 else "")
            for i, number in enumerate(page_numbers.get(publication.pk, []))
        ]
        summary = snippet(publication.abstract, query) if query else ""
        if not summary or "<mark>" not in summary:
            summary = pages[0][1] if pages else (summary or snippet(publication.abstract, None))
        hits.append(Hit(publication=publication, snippet=summary, page_hits=pages))
    return hits
