from django.urls import path

from .views import office, public

app_name = "feedback"

urlpatterns = [
    path("survey/<str:token>/", public.survey, name="survey"),
    path("account/surveys/", public.my_surveys, name="my-surveys"),
    path("ikm/<str:code>/", public.summary, name="summary"),
    path("office/<str:code>/ikm/", office.results, name="results"),
    path("office/<str:code>/ikm/report/", office.results_report, name="report"),
    path("office/<str:code>/ikm/settings/", office.settings_edit, name="settings"),
    path("office/<str:code>/ratings/mine/", office.my_ratings, name="my-ratings"),
]
