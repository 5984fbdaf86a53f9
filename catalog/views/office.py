from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Role
from core.views import run
from offices.permissions import office_required

from ..choices import ProcessingState, Visibility
from ..errors import CatalogError
from ..forms import PublicationForm
from ..models import Publication
from ..services import retry_processing, save_publication

PER_PAGE = 25


def _publication(office, pk):
    return get_object_or_404(Publication.objects.select_related("office"), pk=pk, office=office)


@office_required(Role.OFFICER)
def publication_list(request, office):
    publications = Publication.objects.filter(office=office).order_by("-updated_at", "-pk")
    q = request.GET.get("q", "").strip()[:200]
    if q:
        publications = publications.filter(
            Q(title__icontains=q) | Q(catalog_number__icontains=q) | Q(issn__icontains=q)
        )
    state = request.GET.get("state", "")
    if state in Visibility.values:
        publications = publications.filter(visibility=state)
    elif state in ProcessingState.values:
        publications = publications.filter(processing_state=state)
    page = Paginator(publications, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/office/publication_list.html",
        {
            "office": office,
            "page": page,
            "q": q,
            "state": state,
            "visibilities": Visibility.choices,
            "states": ProcessingState.choices,
        },
    )


def _save(request, office, form, publication):
    try:
        save_publication(
            form.save(commit=False),
            by=request.user,
            subjects=form.cleaned_data["subjects"],
            related=form.cleaned_data["related"],
            pdf=form.cleaned_data.get("pdf"),
        )
    except CatalogError as exc:
        form.add_error("pdf", exc.message)
        return None
    for note in form.pdf_info.notes if form.pdf_info else []:
        messages.warning(request, note)
    return form.instance


@office_required(Role.OFFICER)
def publication_create(request, office):
    form = PublicationForm(request.POST or None, request.FILES or None, office=office)
    if request.method == "POST" and form.is_valid():
        publication = _save(request, office, form, None)
        if publication is not None:
            messages.success(request, _("The publication has been saved."))
            return redirect("catalog:office-publication-detail", office.code, publication.pk)
    return render(request, "catalog/office/publication_form.html", {"office": office, "form": form})


@office_required(Role.OFFICER)
def publication_edit(request, office, pk):
    publication = _publication(office, pk)
    form = PublicationForm(
        request.POST or None, request.FILES or None, instance=publication, office=office
    )
    posted = request.method == "POST" and form.is_valid()
    saved = posted and _save(request, office, form, publication)
    if saved:
        messages.success(request, _("The publication has been saved."))
        return redirect("catalog:office-publication-detail", office.code, publication.pk)
    return render(
        request,
        "catalog/office/publication_form.html",
        {"office": office, "form": form, "publication": publication},
    )


@office_required(Role.OFFICER)
def publication_detail(request, office, pk):
    publication = _publication(office, pk)
    context = {"office": office, "publication": publication}
    if request.headers.get("HX-Request"):
        return render(request, "catalog/office/publication_detail.html#processing", context)
    context["events"] = publication.events.select_related("actor")[:30]
    context["subjects"] = publication.subjects.all()
    return render(request, "catalog/office/publication_detail.html", context)


@require_POST
@office_required(Role.OFFICER)
def publication_retry(request, office, pk):
    publication = _publication(office, pk)
    run(
        request,
        lambda: retry_processing(publication, by=request.user),
        _("The PDF will be processed again."),
    )
    return redirect("catalog:office-publication-detail", office.code, publication.pk)
