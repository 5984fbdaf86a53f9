from django.urls import path

from .views import office, public

app_name = "complaints"

urlpatterns = [
    path("complaints/new/", public.complaint_create, name="complaint-create"),
    path("complaints/track/", public.complaint_lookup, name="complaint-lookup"),
    path("complaints/track/<str:code>/", public.complaint_track, name="complaint-track"),
    path(
        "complaints/track/<str:code>/confirm/", public.complaint_confirm, name="complaint-confirm"
    ),
    path("complaints/mine/", public.complaint_mine, name="complaint-mine"),
    path("office/<str:code>/complaints/", office.complaint_list, name="complaint-list"),
    path(
        "office/<str:code>/complaints/new/",
        office.complaint_create,
        name="complaint-register",
    ),
    path(
        "office/<str:code>/complaints/export.<str:fmt>",
        office.complaint_export,
        name="complaint-export",
    ),
    path("office/<str:code>/complaints/policy/", office.policy_edit, name="policy-edit"),
    path(
        "office/<str:code>/complaints/<str:tracking_code>/",
        office.complaint_detail,
        name="complaint-detail",
    ),
    path(
        "office/<str:code>/complaints/<str:tracking_code>/reveal/",
        office.complaint_reveal,
        name="complaint-reveal",
    ),
    path(
        "office/<str:code>/complaints/<str:tracking_code>/<str:action>/",
        office.complaint_action,
        name="complaint-action",
    ),
    path(
        "office/<str:code>/complaints/<str:tracking_code>/files/<int:pk>/",
        office.attachment_download,
        name="attachment-download",
    ),
]
