from django.urls import path

from .views import office, public

app_name = "privacy"

urlpatterns = [
    path("privacy/", public.notice, name="notice"),
    path("account/privacy/", public.my_data, name="my-data"),
    path("account/privacy/data.json", public.my_data_json, name="my-data-json"),
    path("account/privacy/consents/", public.consent_list, name="consent-list"),
    path(
        "account/privacy/consents/<int:pk>/withdraw/",
        public.consent_withdraw,
        name="consent-withdraw",
    ),
    path("account/privacy/consents/give/<str:purpose>/", public.consent_give, name="consent-give"),
    path("account/privacy/delete/", public.deletion_request, name="deletion-request"),
    path(
        "account/privacy/delete/<str:uidb64>/<str:token>/",
        public.deletion_confirm,
        name="deletion-confirm",
    ),
    path("office/<str:code>/privacy/audit/", office.audit_log, name="office-audit"),
    path("office/<str:code>/privacy/settings/", office.settings_edit, name="office-settings"),
    path("office/<str:code>/privacy/requests/", office.request_list, name="office-requests"),
    path(
        "office/<str:code>/privacy/requests/<int:pk>/close/",
        office.request_close,
        name="office-request-close",
    ),
    path("office/<str:code>/privacy/breaches/", office.breach_list, name="office-breaches"),
]
