from django.urls import path

from .views import office, public

app_name = "core"

urlpatterns = [
    path("", public.home, name="home"),
    path("contact/", public.contact, name="contact"),
    path("office/", office.office_home, name="office-home"),
]
