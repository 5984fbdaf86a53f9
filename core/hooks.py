"""Named points where a lower app lets higher apps act (STYLE.md 12a).

A lower app declares a hook (``visit_finished = Hook("visits.visit_finished")``) and
calls it; a higher app registers a function into it in its ``AppConfig.ready``, so the
lower app never imports the higher one. Calling a hook calls every registered function
in registration order and returns their results.
"""


class Hook:
    def __init__(self, name):
        self.name = name
        self._functions = []

    def __repr__(self):
        return f"<Hook {self.name}: {len(self._functions)} function(s)>"

    def register(self, function):
        if function not in self._functions:
            self._functions.append(function)
        return function

    def __call__(self, *args, **kwargs):
        return [function(*args, **kwargs) for function in self._functions]

    def first(self, *args, **kwargs):
        """The first truthy result (or None): for hooks that look something up."""
        for function in self._functions:
            result = function(*args, **kwargs)
            if result:
                return result
        return None
