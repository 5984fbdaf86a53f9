"""Where apps above ``complaints`` act on a complaint (filled in their ``AppConfig.ready``).

- ``notify_complainant(complaint=, event=, text=)``: before the complainant is told of an
  event; each function returns the set of contacts it took over (``{"email",
  "whatsapp"}``): the channels app answers on the channel the complaint came by and
  writes to WhatsApp numbers. What nobody took over goes by e-mail from here.
- ``detail_panels(complaint=, request=)``: HTML fragments for the officers' complaint
  page (channels: the messages on the complaint's channels and their delivery).
"""

from core.hooks import Hook

notify_complainant = Hook("complaints.notify_complainant")
detail_panels = Hook("complaints.detail_panels")
