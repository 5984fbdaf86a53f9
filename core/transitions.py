"""The one pattern for a change of state (STYLE.md 8), used by every model that has one.

A model lists its transitions and the states each may start from (a ``choices.py``
group) in ``transitions``; each transition is a method decorated with ``@transition``::

    class QueueTicket(TransitionMixin, LogMixin, models.Model):
        transitions = TICKET_TRANSITIONS  # {"call": (WAITING,), "recall": (CALLED,), ...}

        @transition("recall", refuse=_("Only a called ticket can be called again."))
        def recall(self, *, by):
            self.call_count += 1
            self.save(update_fields=["call_count"])
            self.log(EventAction.TICKET_RECALLED, actor=by)

The decorated method runs in one transaction with its row locked (``select_for_update``)
and reloaded, after the state check; a refused step raises the model's ``error_class`` (a
``DomainError``) and changes nothing. Templates ask ``obj.allowed_actions(user)`` instead of spelling states.
"""

import functools

from django.db import transaction

from .errors import DomainError


def lock(obj):
    """Reload ``obj`` from its row, locked until the transaction ends."""
    obj.refresh_from_db(from_queryset=type(obj)._base_manager.select_for_update())
    return obj


def transition(name, *, refuse):
    """Run the method under a row lock, once ``name`` is allowed from the current state.

    ``refuse`` is the message of the refusal (a string, or a function of the object).
    """

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            with transaction.atomic():
                lock(self)
                if not self.can(name):
                    message = refuse(self) if callable(refuse) else refuse
                    raise self.error_class(message, "invalid_state")
                return method(self, *args, **kwargs)

        wrapper.transition = name
        return wrapper

    return decorator


class TransitionMixin:
    """``transitions``: transition name → the states it may start from."""

    transitions = {}
    state_field = "status"
    # The DomainError subclass the app's code and tests catch (e.g. VisitError).
    error_class = DomainError

    def can(self, name):
        return getattr(self, self.state_field) in self.transitions[name]

    def allowed_actions(self, user=None):
        """The transitions allowed now; models narrow them by the user's role."""
        return {name for name in self.transitions if self.can(name)}
