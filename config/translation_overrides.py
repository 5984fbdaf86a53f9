"""Wording that overrides what third-party catalogs say.

Django's own Indonesian catalog (django.contrib.auth comes first in INSTALLED_APPS)
calls a password "Sandi" while allauth and our pages say "Kata sandi". Strings
listed here land in the project catalog (locale/), which takes precedence over
every app's catalog. Nothing imports this module; makemessages reads it.
"""

from django.utils.translation import gettext_noop

OVERRIDES = [
    gettext_noop("Password"),
]
