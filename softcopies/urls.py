from django.urls import path

from .views import office, public

app_name = "softcopies"

urlpatterns = [
    path("softcopies/new/", public.request_create, name="request-create"),
    path("account/softcopies/", public.request_list, name="request-list"),
    path("account/softcopies/<str:number>/", public.request_detail, name="request-detail"),
    path("account/softcopies/<str:number>/cancel/", public.request_cancel, name="request-cancel"),
    path(
        "account/softcopies/<str:number>/download/",
        public.request_download,
        name="request-download",
    ),
    path("office/<str:code>/softcopies/", office.queue, name="office-queue"),
    path("office/<str:code>/softcopies/new/", office.request_create, name="office-create"),
    path("office/<str:code>/softcopies/summary/", office.summary, name="office-summary"),
    path("office/<str:code>/softcopies/<str:number>/", office.request_detail, name="office-detail"),
    path(
        "office/<str:code>/softcopies/<str:number>/assign/",
        office.request_action,
        {"action": "assign"},
        name="office-assign",
    ),
    path(
        "office/<str:code>/softcopies/<str:number>/start/",
        office.request_action,
        {"action": "start"},
        name="office-start",
    ),
    path(
        "office/<str:code>/softcopies/<str:number>/reject/",
        office.request_action,
        {"action": "reject"},
        name="office-reject",
    ),
    path(
        "office/<str:code>/softcopies/<str:number>/note/",
        office.request_action,
        {"action": "note"},
        name="office-note",
    ),
    path(
        "office/<str:code>/softcopies/<str:number>/deliver/",
        office.request_action,
        {"action": "deliver"},
        name="office-deliver",
    ),
]
