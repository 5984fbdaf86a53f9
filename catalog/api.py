"""``GET /api/v1/publications`` (search with facets) and ``GET /api/v1/publications/{id}``."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from core.api import page_links

from .choices import Availability, SortOrder
from .models import Publication
from .search import search

router = Router(tags=["publications"])


class SearchParams(Schema):
    q: str = ""
    subject: int | None = None
    year: int | None = None
    office: str | None = None
    availability: Availability | None = None
    sort: SortOrder = SortOrder.RELEVANCE
    page: int = Field(1, ge=1)


class PageHitOut(Schema):
    page: int
    snippet: str


class PublicationSummaryOut(Schema):
    id: int
    title: str
    year: int
    office: str
    catalog_number: str
    publication_number: str
    issn: str
    has_softcopy: bool
    has_hardcopy: bool
    url: str
    cover_url: str
    snippet: str
    page_hits: list[PageHitOut]


class FacetValueOut(Schema):
    value: str | int
    label: str
    count: int


class FacetsOut(Schema):
    subject: list[FacetValueOut]
    year: list[FacetValueOut]
    office: list[FacetValueOut]
    availability: list[FacetValueOut]


class SearchOut(Schema):
    count: int
    next: str | None = Field(..., description="Absolute URL of the next page, or null")
    previous: str | None = Field(..., description="Absolute URL of the previous page, or null")
    page: int
    num_pages: int
    results: list[PublicationSummaryOut]
    facets: FacetsOut


class SubjectOut(Schema):
    id: int
    title: str
    category: str


class RelatedOut(Schema):
    id: int
    title: str
    year: int
    url: str


class HardcopyOut(Schema):
    copies: int
    call_number: str
    reading_room_only: bool


class PublicationOut(Schema):
    id: int
    title: str
    abstract: str
    office: str
    office_name: str
    year: int
    catalog_number: str
    publication_number: str
    issn: str
    isbn: str
    scheduled_date: date | None
    release_date: date | None
    revision_date: date | None
    language: str
    frequency: str
    subjects: list[SubjectOut]
    page_count: int | None
    file_size: int | None
    cover_url: str
    access_level: str
    has_softcopy: bool
    hardcopy: HardcopyOut
    related: list[RelatedOut]
    url: str


def _absolute(request, path):
    return request.build_absolute_uri(path) if path else ""


@router.get("", response=SearchOut, auth=None, url_name="publication-list")
def publication_list(request, params: Query[SearchParams]):
    """Search the published catalogue: all words must match (Indonesian word forms too)."""
    result = search(
        params.q[:200],
        subject=params.subject,
        year=params.year,
        office=params.office,
        availability=params.availability,
        sort=params.sort,
        page=params.page,
    )
    return {
        "count": result.count,
        **page_links(request, page=result.page, has_next=result.page < result.num_pages),
        "page": result.page,
        "num_pages": result.num_pages,
        "facets": result.facets,
        "results": [
            {
                "id": hit.publication.pk,
                "title": hit.publication.title,
                "year": hit.publication.year,
                "office": hit.publication.office.code,
                "catalog_number": hit.publication.catalog_number,
                "publication_number": hit.publication.publication_number,
                "issn": hit.publication.issn,
                "has_softcopy": hit.publication.has_softcopy,
                "has_hardcopy": hit.publication.has_hardcopy,
                "url": _absolute(request, hit.publication.get_absolute_url()),
                "cover_url": _absolute(request, hit.publication.cover_url()),
                "snippet": str(hit.snippet),
                "page_hits": [{"page": n, "snippet": str(s)} for n, s in hit.page_hits],
            }
            for hit in result.hits
        ],
    }


@router.get("/{publication_id}", response=PublicationOut, auth=None, url_name="publication-detail")
def publication_detail(request, publication_id: int):
    """One published publication with its holdings and related publications."""
    publication = get_object_or_404(
        Publication.objects.published()
        .select_related("office")
        .prefetch_related("subjects__category"),
        pk=publication_id,
    )
    related = publication.related.published().order_by("-year")[:20]
    return {
        "id": publication.pk,
        "title": publication.title,
        "abstract": publication.abstract,
        "office": publication.office.code,
        "office_name": publication.office.name,
        "year": publication.year,
        "catalog_number": publication.catalog_number,
        "publication_number": publication.publication_number,
        "issn": publication.issn,
        "isbn": publication.isbn,
        "scheduled_date": publication.scheduled_date,
        "release_date": publication.release_date,
        "revision_date": publication.revision_date,
        "language": publication.language,
        "frequency": publication.frequency,
        "subjects": [
            {"id": s.pk, "title": s.title, "category": s.category.title}
            for s in publication.subjects.all()
        ],
        "page_count": publication.page_count,
        "file_size": publication.file_size,
        "cover_url": _absolute(request, publication.cover_url()),
        "access_level": publication.access_level,
        "has_softcopy": publication.has_softcopy,
        "hardcopy": {
            "copies": publication.hardcopy_copies,
            "call_number": publication.hardcopy_call_number,
            "reading_room_only": publication.reading_room_only,
        },
        "related": [
            {
                "id": r.pk,
                "title": r.title,
                "year": r.year,
                "url": _absolute(request, r.get_absolute_url()),
            }
            for r in related
        ],
        "url": _absolute(request, publication.get_absolute_url()),
    }
