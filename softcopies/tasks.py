"""Background jobs of the softcopies app.

The job lives beside the code it runs (``notify.send_notification``); this module names
it under its first path, which jobs already queued carry.
"""

from .notify import send_notification

__all__ = ["send_notification"]
