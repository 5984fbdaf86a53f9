from django.utils.functional import SimpleLazyObject

from .models import site_office


def site(request):
    """The office the public site speaks for, and whether the user works at an office.

    Both are fetched only when a template uses them (the office once per request).
    """
    user = request.user

    def is_office_staff():
        return user.is_authenticated and (user.is_superuser or user.memberships.exists())

    return {
        "site_office": SimpleLazyObject(lambda: site_office(request)),
        "is_office_staff": SimpleLazyObject(is_office_staff),
    }
