from django.urls import path

from .views import office, public

app_name = "catalog"

urlpatterns = [
    path("publications/", public.publication_list, name="publication-list"),
    path("publications/<int:pk>/", public.publication_detail, name="publication-detail"),
    path("publications/<int:pk>/cover.webp", public.publication_cover, name="publication-cover"),
    path(
        "office/<str:code>/catalog/",
        office.publication_list,
        name="office-publication-list",
    ),
    path(
        "office/<str:code>/catalog/new/",
        office.publication_create,
        name="office-publication-create",
    ),
    path(
        "office/<str:code>/catalog/<int:pk>/",
        office.publication_detail,
        name="office-publication-detail",
    ),
    path(
        "office/<str:code>/catalog/<int:pk>/edit/",
        office.publication_edit,
        name="office-publication-edit",
    ),
    path(
        "office/<str:code>/catalog/<int:pk>/retry/",
        office.publication_retry,
        name="office-publication-retry",
    ),
    path(
        "office/<str:code>/catalog/<int:pk>/ocr-retry/",
        office.publication_ocr_retry,
        name="office-publication-ocr-retry",
    ),
]
