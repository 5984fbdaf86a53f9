from django.urls import path

from .views import office, public

app_name = "offices"

urlpatterns = [
    path("", public.home, name="home"),
    path("contact/", public.contact, name="contact"),
    path("office/", office.office_home, name="office-home"),
    path("offices/<str:code>/standards/", public.standard_list, name="standard-list"),
    path(
        "offices/<str:code>/standards/<str:service>/",
        public.standard_detail,
        name="standard-detail",
    ),
    path(
        "office/<str:code>/standards/<str:service>/edit/",
        office.standard_edit,
        name="standard-edit",
    ),
    path(
        "office/<str:code>/standards/<str:service>/history/",
        office.standard_history,
        name="standard-history",
    ),
    path("office/<str:code>/leave-days/", office.leave_day_list, name="leave-day-list"),
    path(
        "office/<str:code>/leave-days/<int:pk>/delete/",
        office.leave_day_delete,
        name="leave-day-delete",
    ),
]
