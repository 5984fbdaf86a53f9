from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from accounts.choices import Role
from offices.models import Office, site_office

from ..forms import SearchForm
from ..models import Publication
from ..search import search
from ..searchlog import record_search


@require_GET
def publication_list(request):
    form = SearchForm(request.GET)
    params = form.params()
    result = search(
        params.get("q", ""),
        subject=params.get("subject"),
        year=params.get("year"),
        office=params.get("office"),
        availability=params.get("availability"),
        sort=params.get("sort") or "relevance",
        page=params.get("page") or 1,
    )
    if (params.get("page") or 1) == 1 and params.get("q", "").strip():
        code = params.get("office")
        office = Office.objects.filter(code=code).first() if code else site_office(request)
        record_search(params.get("q", ""), result.count, office=office)
    keep = {k: v for k, v in params.items() if k != "page" and v not in ("", None)}
    context = {
        "form": form,
        "params": params,
        "result": result,
        "base_query": urlencode(keep),
        "has_filters": any(params.get(k) for k in ("subject", "year", "office", "availability")),
    }
    template = "catalog/public/publication_list.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)


def _visible_publication(request, pk):
    publication = get_object_or_404(
        Publication.objects.select_related("office").prefetch_related("subjects__category"), pk=pk
    )
    if not publication.is_published and not (
        request.user.is_authenticated
        and request.user.has_office_role(publication.office, Role.OFFICER)
    ):
        raise Http404
    return publication


@require_GET
def publication_detail(request, pk):
    publication = _visible_publication(request, pk)
    related = publication.related.published().select_related("office").order_by("-year")[:12]
    return render(
        request,
        "catalog/public/publication_detail.html",
        {"publication": publication, "related": related},
    )


@require_GET
def publication_cover(request, pk):
    """The cover thumbnail, streamed from private storage (published or own office only)."""
    publication = _visible_publication(request, pk)
    if not publication.cover:
        raise Http404
    response = FileResponse(
        default_storage.open(publication.cover.name, "rb"), content_type="image/webp"
    )
    response["Cache-Control"] = (
        "public, max-age=3600" if publication.is_published else "private, no-store"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
