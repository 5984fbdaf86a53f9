from django.urls import path, re_path

from .views import office, public

app_name = "visits"

urlpatterns = [
    # Public: devices in the waiting room and the visitor's phone.
    path("kiosk/<str:code>/<int:device_id>/", public.kiosk, name="kiosk"),
    path("board/<str:code>/", public.board, name="board"),
    path(
        "guest-book/<str:code>/<int:device_id>/", public.guest_book_tablet, name="guest-book-tablet"
    ),
    path("tickets/<int:pk>/", public.ticket_status, name="ticket-status"),
    path("tickets/<int:pk>/print/", public.ticket_print, name="ticket-print"),
    path("visits/rate/<str:token>/", public.rate, name="rate"),
    # Front office.
    path("office/<str:code>/visits/", office.dashboard, name="dashboard"),
    path("office/<str:code>/visits/list/", office.visit_list, name="visit-list"),
    path("office/<str:code>/visits/figures/", office.figures, name="figures"),
    path("office/<str:code>/visits/close-day/", office.close_day, name="close-day"),
    path("office/<str:code>/visits/guest-book/", office.guest_book, name="guest-book"),
    path("office/<str:code>/visits/counter/<int:number>/", office.console, name="console"),
    path(
        "office/<str:code>/visits/counter/<int:number>/call-next/",
        office.call_next,
        name="call-next",
    ),
    re_path(
        r"^office/(?P<code>[^/]+)/visits/tickets/(?P<pk>\d+)/(?P<action>recall|no-show|start|finish|transfer)/$",
        office.ticket_action,
        name="ticket-action",
    ),
    path("office/<str:code>/visits/<int:pk>/", office.visit_detail, name="visit-detail"),
    re_path(
        r"^office/(?P<code>[^/]+)/visits/(?P<pk>\d+)/(?P<action>start|finish|check-out|locker|record)/$",
        office.visit_action,
        name="visit-action",
    ),
    path(
        "office/<str:code>/visits/lockers/<int:pk>/return/",
        office.locker_return,
        name="locker-return",
    ),
    path("office/<str:code>/visits/devices/", office.device_list, name="device-list"),
    path(
        "office/<str:code>/visits/devices/<int:pk>/revoke/",
        office.device_revoke,
        name="device-revoke",
    ),
]
