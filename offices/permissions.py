"""One way to guard back-office views: ``@office_required(Role.OFFICER)``.

The wrapped view takes the office code from its URL (``<code>``), gets the office,
checks the user's role there and passes ``office`` on, with the office's zone active
(``offices.time``: templates show its wall clock). Anonymous users are sent to the
login page; signed-in users without the role get 403.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.choices import Role
from core.middleware import set_log_office

from .models import Office
from .time import activate


def office_required(role=Role.OFFICER):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, code, *args, **kwargs):
            office = get_object_or_404(Office, code=code)
            if not request.user.has_office_role(office, role):
                raise PermissionDenied
            set_log_office(office.code)
            request.office = office
            with activate(office):
                return view(request, office, *args, **kwargs)

        return wrapper

    return decorator


def staff_required(view):
    """Any officer or supervisor of some office (or an administrator)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_superuser or user.memberships.exists()):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
