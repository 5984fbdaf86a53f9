"""Error pages, and the one way a view runs a domain step (STYLE.md 6, 17).

``run(request, action, success)`` runs a step and turns its ``DomainError`` into an error
message. Transition views dispatch one way: a table of named ``Step`` objects, looked
up by the action in the URL and run by ``perform`` (see visits, complaints and
softcopies ``views/office.py``).
"""

import dataclasses
from collections.abc import Callable

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render

from .errors import DomainError


def error_404(request, exception):
    return render(request, "404.html", status=404)


def error_403(request, exception):
    return render(request, "403.html", status=403)


def error_500(request):
    return render(request, "500.html", status=500)


def run(request, action, success):
    """Run a domain step; show its success message, or its refusal as an error message.

    Returns the step's result, or None when it was refused.
    """
    try:
        result = action()
    except DomainError as exc:
        messages.error(request, str(exc))
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result


@dataclasses.dataclass(frozen=True)
class Step:
    """One named step a transition view offers.

    ``do(obj, user, data)`` changes ``obj`` (data: the form's cleaned data, or {});
    ``success`` is the message (text, or a function of ``(obj, result)``); ``form`` the
    form its POST must fill (None: a plain button); ``invalid`` a message for an invalid
    form (default: the form's own errors).
    """

    do: Callable
    success: object
    form: type | None = None
    invalid: str = ""

    def message(self, obj, result):
        return self.success(obj, result) if callable(self.success) else self.success


@dataclasses.dataclass
class Outcome:
    form: object = None
    result: object = None
    done: bool = False
    refused: bool = False


def perform(request, steps, name, obj, *, form_kwargs=None, redisplay=False, refusal_on_form=False):
    """Run the step ``name`` of the table ``steps`` on ``obj`` (404 for an unknown name).

    An invalid form is reported as messages (``Step.invalid`` or each error), unless the
    caller shows the form again (``redisplay``: the form carries its errors). A refusal
    becomes an error message, or an error on the form with ``refusal_on_form`` (so what
    was typed is shown again with the reason, not lost).
    """
    step = steps.get(name)
    if step is None:
        raise Http404
    form = None
    if step.form is not None:
        form = step.form(request.POST, request.FILES, **(form_kwargs or {}))
        if not form.is_valid():
            if not redisplay:
                _form_errors(request, form, step.invalid)
            return Outcome(form=form)
    data = form.cleaned_data if form is not None else {}
    try:
        result = step.do(obj, request.user, data)
    except DomainError as exc:
        if refusal_on_form and form is not None:
            form.add_error(None, str(exc))
        else:
            messages.error(request, str(exc))
        return Outcome(form=form, refused=True)
    messages.success(request, step.message(obj, result))
    return Outcome(form=form, result=result, done=True)


def _form_errors(request, form, invalid):
    if invalid:
        messages.error(request, invalid)
        return
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
