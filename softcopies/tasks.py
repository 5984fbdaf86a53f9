"""Background jobs of the softcopies app.

The jobs live beside the code they run (``notify.send_notification``,
``services.add_text_layer_to_scan``); this module names them under their first path,
which jobs already queued carry.
"""

from .notify import send_notification
from .services import add_text_layer_to_scan

__all__ = ["add_text_layer_to_scan", "send_notification"]
