from django.conf import settings
from django.utils.functional import SimpleLazyObject


def _default_office():
    from offices.models import Office

    return Office.objects.filter(code=settings.DEFAULT_OFFICE_CODE).first()


def site(request):
    """The office the public site speaks for, and whether the user works at an office.

    Both are fetched only when a template uses them.
    """
    user = request.user

    def is_office_staff():
        return user.is_authenticated and (user.is_superuser or user.memberships.exists())

    return {
        "site_office": SimpleLazyObject(_default_office),
        "is_office_staff": SimpleLazyObject(is_office_staff),
    }
