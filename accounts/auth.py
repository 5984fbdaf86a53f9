def axes_username(request, credentials):
    """The account name django-axes counts failed logins against.

    allauth authenticates with ``email=`` credentials; the login form posts ``login``.
    """
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        value = request.POST.get("login", "")
    return (value or "").strip().lower()
