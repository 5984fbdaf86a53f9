from django.urls import path

from . import views

app_name = "ops"

urlpatterns = [
    path("metrics", views.metrics_view, name="metrics"),
]
