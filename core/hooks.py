"""Named hooks: how a lower app lets a higher one take part without importing it.

A higher app registers a handler for a name when it loads (``AppConfig.ready``); the
lower app calls ``hooks.call(name, **kwargs)`` and gets the handlers' answers, in the
order they were registered. With nothing registered the answer is an empty list, so
the lower app works alone. Names are ``"<app>.<what>"`` strings documented where they
are called.
"""

_handlers = {}


def register(name, handler):
    """Add ``handler(**kwargs)`` for ``name`` (once: registering it again changes nothing)."""
    handlers = _handlers.setdefault(name, [])
    if handler not in handlers:
        handlers.append(handler)


def call(name, **kwargs):
    """Every registered handler's answer for ``name``, in registration order."""
    return [handler(**kwargs) for handler in _handlers.get(name, ())]


def registered(name):
    return bool(_handlers.get(name))
